package api

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// A test mux declaring the app's path with a stub: never where a span maps.
func TestGetItem(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/items/{id}", stubItem)
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest("GET", "/api/items/1", nil))
}

func stubItem(w http.ResponseWriter, r *http.Request) {}
