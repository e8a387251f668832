// Builds the real Jaeger (v2 binary, module version v1.76.0) from the Go module proxy, once per machine, into
// ~/.cache/trace-lens/jaeger. The source tests run it on loopback with memory storage.
// Usage: node scripts/build-jaeger.mjs   -> prints the binary's path on the last line
import { join } from 'node:path';
import { CACHE, goBuild, runAsScript } from './goBuild.mjs';

export const JAEGER_MODULE_VERSION = 'v1.76.0';
export const JAEGER_BINARY = join(CACHE, 'jaeger', `jaeger-${JAEGER_MODULE_VERSION}`);

export function buildJaeger() {
  return goBuild({
    name: 'jaeger',
    binary: JAEGER_BINARY,
    why: 'the Jaeger tests need it to build Jaeger from the Go module proxy',
    files: { 'go.mod': 'module tracelens/jaegerbuild\n\ngo 1.24\n' },
    steps: [
      {
        say: `fetching github.com/jaegertracing/jaeger/cmd/jaeger@${JAEGER_MODULE_VERSION} and its modules (minutes on a cold cache)`,
        args: ['get', '-tool', `github.com/jaegertracing/jaeger/cmd/jaeger@${JAEGER_MODULE_VERSION}`],
      },
    ],
    target: 'github.com/jaegertracing/jaeger/cmd/jaeger',
  });
}

runAsScript(import.meta, 'jaeger', buildJaeger);
