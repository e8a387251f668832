// Builds the OpenTelemetry Collector (core v0.165.0: the OTLP receiver and the nop exporter, nothing else) from
// the Go module proxy, once per machine, into ~/.cache/trace-lens/otelcol (or $TRACE_LENS_CACHE). The ingest
// benchmark runs it beside the built-in receiver on the same load: the Collector is the peer receivers are
// measured against. Minutes the first time (hundreds of modules).
// Usage: node scripts/build-collector.mjs   -> prints the binary's path on the last line
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { CACHE, goBuild, runAsScript } from './goBuild.mjs';

export const COLLECTOR_VERSION = 'v0.165.0';
/** The collector's stable modules are released as v1.x beside v0.x. */
const STABLE_VERSION = 'v1.71.0';

const MAIN = `// The smallest Collector distribution: an OTLP receiver, a nop exporter.
package main

import (
	"log"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/provider/envprovider"
	"go.opentelemetry.io/collector/confmap/provider/fileprovider"
	"go.opentelemetry.io/collector/exporter"
	"go.opentelemetry.io/collector/exporter/nopexporter"
	"go.opentelemetry.io/collector/otelcol"
	"go.opentelemetry.io/collector/receiver"
	"go.opentelemetry.io/collector/receiver/otlpreceiver"
	"go.opentelemetry.io/collector/service/telemetry/otelconftelemetry"
)

func components() (otelcol.Factories, error) {
	var factories otelcol.Factories
	var err error
	if factories.Receivers, err = otelcol.MakeFactoryMap[receiver.Factory](otlpreceiver.NewFactory()); err != nil {
		return factories, err
	}
	factories.Exporters, err = otelcol.MakeFactoryMap[exporter.Factory](nopexporter.NewFactory())
	factories.Telemetry = otelconftelemetry.NewFactory()
	return factories, err
}

func main() {
	settings := otelcol.CollectorSettings{
		BuildInfo: component.BuildInfo{Command: "otelcol-bench", Description: "OTLP receiver and nop exporter", Version: "${COLLECTOR_VERSION.slice(1)}"},
		Factories: components,
		ConfigProviderSettings: otelcol.ConfigProviderSettings{
			ResolverSettings: confmap.ResolverSettings{
				ProviderFactories: []confmap.ProviderFactory{envprovider.NewFactory(), fileprovider.NewFactory()},
				DefaultScheme:     "env",
			},
		},
	}
	if err := otelcol.NewCommand(settings).Execute(); err != nil {
		log.Fatal(err)
	}
}
`;

/** Named by its source too: a changed main.go builds a new binary rather than reusing an old one. */
export const COLLECTOR_BINARY = join(CACHE, 'otelcol', `otelcol-${COLLECTOR_VERSION}-${createHash('sha256').update(MAIN).digest('hex').slice(0, 8)}`);

export function buildCollector() {
  return goBuild({
    name: 'otelcol',
    binary: COLLECTOR_BINARY,
    why: 'the ingest benchmark builds the Collector with it',
    files: { 'go.mod': 'module tracelens/otelcolbuild\n\ngo 1.24\n', 'main.go': MAIN },
    steps: [
      {
        say: `fetching the collector ${COLLECTOR_VERSION} modules (minutes on a cold cache)`,
        args: [
          'get',
          `go.opentelemetry.io/collector/otelcol@${COLLECTOR_VERSION}`,
          `go.opentelemetry.io/collector/receiver/otlpreceiver@${COLLECTOR_VERSION}`,
          `go.opentelemetry.io/collector/exporter/nopexporter@${COLLECTOR_VERSION}`,
          `go.opentelemetry.io/collector/service@${COLLECTOR_VERSION}`,
          `go.opentelemetry.io/collector/confmap@${STABLE_VERSION}`,
          `go.opentelemetry.io/collector/confmap/provider/fileprovider@${STABLE_VERSION}`,
          `go.opentelemetry.io/collector/confmap/provider/envprovider@${STABLE_VERSION}`,
        ],
      },
      { say: 'tidying its go.mod', args: ['mod', 'tidy'] },
    ],
    target: '.',
  });
}

runAsScript(import.meta, 'otelcol', buildCollector);
