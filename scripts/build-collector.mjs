// Builds the OpenTelemetry Collector (core v0.165.0: the OTLP receiver and the nop exporter, nothing else) from
// the Go module proxy, once per machine, into ~/.cache/trace-lens/otelcol (or $TRACE_LENS_CACHE). The ingest
// benchmark runs it beside the built-in receiver on the same load: the Collector is the peer receivers are
// measured against. Minutes the first time (hundreds of modules).
// Usage: node scripts/build-collector.mjs   -> prints the binary's path on the last line
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const COLLECTOR_VERSION = 'v0.165.0';
/** The collector's stable modules are released as v1.x beside v0.x. */
const STABLE_VERSION = 'v1.71.0';
const cache = process.env.TRACE_LENS_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'trace-lens');

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
export const COLLECTOR_BINARY = join(cache, 'otelcol', `otelcol-${COLLECTOR_VERSION}-${createHash('sha256').update(MAIN).digest('hex').slice(0, 8)}`);

function log(message) {
  process.stderr.write(`[otelcol] ${new Date().toISOString().slice(11, 19)} ${message}\n`);
}

function go(args, cwd) {
  const started = Date.now();
  const result = spawnSync('go', args, { cwd, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, GOFLAGS: '-mod=mod' } });
  if (result.error) throw new Error(`go ${args[0]}: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`go ${args.join(' ')} failed with exit code ${result.status}`);
  log(`go ${args[0]} done in ${Math.round((Date.now() - started) / 1000)} s`);
}

export function buildCollector() {
  if (existsSync(COLLECTOR_BINARY)) return COLLECTOR_BINARY;
  if (spawnSync('go', ['version'], { stdio: 'ignore' }).status !== 0) throw new Error('Go is not installed: the ingest benchmark builds the Collector with it');
  const work = join(cache, 'otelcol', 'build');
  mkdirSync(work, { recursive: true });
  writeFileSync(join(work, 'go.mod'), 'module tracelens/otelcolbuild\n\ngo 1.24\n');
  writeFileSync(join(work, 'main.go'), MAIN);
  log(`fetching the collector ${COLLECTOR_VERSION} modules (minutes on a cold cache)`);
  go(
    [
      'get',
      `go.opentelemetry.io/collector/otelcol@${COLLECTOR_VERSION}`,
      `go.opentelemetry.io/collector/receiver/otlpreceiver@${COLLECTOR_VERSION}`,
      `go.opentelemetry.io/collector/exporter/nopexporter@${COLLECTOR_VERSION}`,
      `go.opentelemetry.io/collector/confmap@${STABLE_VERSION}`,
      `go.opentelemetry.io/collector/confmap/provider/fileprovider@${STABLE_VERSION}`,
      `go.opentelemetry.io/collector/confmap/provider/envprovider@${STABLE_VERSION}`,
      `go.opentelemetry.io/collector/service@${COLLECTOR_VERSION}`,
    ],
    work,
  );
  go(['mod', 'tidy'], work);
  log('compiling the collector');
  const partial = `${COLLECTOR_BINARY}.partial`;
  go(['build', '-o', partial, '.'], work);
  // Renamed only when whole: an interrupted build never leaves a binary that looks finished.
  renameSync(partial, COLLECTOR_BINARY);
  log(`built ${COLLECTOR_BINARY}`);
  return COLLECTOR_BINARY;
}

if (resolve(process.argv[1] ?? '') === fileURLToPath(import.meta.url)) {
  try {
    console.log(buildCollector());
  } catch (error) {
    log(error.message);
    process.exit(1);
  }
}
