package api

import (
	"encoding/json"
	"fmt"
	"net/http"
)

var items = map[string]string{"1": "hammer", "2": "saw"}

// Register declares the API's routes: methods in the patterns, one path with two handlers.
func Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/items", listItems)
	mux.HandleFunc("POST /api/items", createItem)
	mux.HandleFunc("GET /api/items/{id}", getItem)
	mux.HandleFunc("DELETE /api/items/{id}", deleteItem)
	mux.HandleFunc("PUT /api/items/{id}/stock", updateStock)
}

func listItems(w http.ResponseWriter, r *http.Request) {
	json.NewEncoder(w).Encode(items)
}

func createItem(w http.ResponseWriter, r *http.Request) {
	w.WriteHeader(http.StatusCreated)
}

func getItem(w http.ResponseWriter, r *http.Request) {
	name, ok := items[r.PathValue("id")]
	if !ok {
		http.Error(w, fmt.Sprintf("item %s not found", r.PathValue("id")), http.StatusNotFound)
		return
	}
	json.NewEncoder(w).Encode(name)
}

func deleteItem(w http.ResponseWriter, r *http.Request) {
	w.WriteHeader(http.StatusNoContent)
}

func updateStock(w http.ResponseWriter, r *http.Request) {
	w.WriteHeader(http.StatusAccepted)
}
