// An inventory API on Go's net/http 1.22 patterns, instrumented with otelhttp around the ServeMux (the
// standard OpenTelemetry instrumentation for net/http) and exported with OTLP/HTTP from the environment.
package main

import (
	"context"
	"log"
	"net/http"
	"os"
	"os/signal"

	"example.com/inventory/internal/api"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

func main() {
	ctx := context.Background()
	exporter, err := otlptracehttp.New(ctx)
	if err != nil {
		log.Fatal(err)
	}
	provider := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exporter))
	otel.SetTracerProvider(provider)

	mux := http.NewServeMux()
	api.Register(mux)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("ok"))
	})

	server := &http.Server{Addr: "127.0.0.1:" + os.Getenv("PORT"), Handler: otelhttp.NewHandler(mux, "inventory")}
	go func() {
		stop := make(chan os.Signal, 1)
		signal.Notify(stop, os.Interrupt)
		<-stop
		server.Shutdown(ctx)
	}()
	if err := server.ListenAndServe(); err != http.ErrServerClosed {
		log.Fatal(err)
	}
	provider.Shutdown(ctx)
}
