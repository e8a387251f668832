// A benchmark's probe inside the extension host: every extension shares this host's one thread, so the delay of
// this extension's event loop is what Trace Lens costs every other extension. "Reset" starts a measurement,
// "Report" writes it (ms) to $TRACE_LENS_PROBE_FILE. Used by scripts/bench-waterfall-vscode.mjs only.
// With $TRACE_LENS_PROBE_PROFILES (a folder), each measurement also records a CPU profile of the host's thread
// there, to see what held it, and a sampling heap profile of what it allocated (garbage included: what makes its
// collector pause).
const { monitorEventLoopDelay } = require('node:perf_hooks');
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { Session } = require('node:inspector');
const vscode = require('vscode');

exports.activate = (context) => {
  let histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const profiles = process.env.TRACE_LENS_PROBE_PROFILES;
  const session = profiles ? new Session() : undefined;
  let profiled = 0;
  if (session) {
    session.connect();
    session.post('Profiler.enable');
    session.post('HeapProfiler.enable');
  }
  context.subscriptions.push(
    vscode.commands.registerCommand('loopProbe.reset', () => {
      histogram.reset();
      session?.post('Profiler.start');
      session?.post('HeapProfiler.startSampling', {
        samplingInterval: 64 * 1024,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: true,
      });
    }),
    vscode.commands.registerCommand('loopProbe.report', () => {
      const ms = (ns) => Math.round(ns / 1e5) / 10;
      const { heapUsed, external } = process.memoryUsage();
      const report = {
        p50: ms(histogram.percentile(50)),
        p99: ms(histogram.percentile(99)),
        max: ms(histogram.max),
        samples: histogram.count,
        heapMiB: Math.round(heapUsed / 2 ** 20),
        externalMiB: Math.round(external / 2 ** 20),
      };
      writeFileSync(process.env.TRACE_LENS_PROBE_FILE, JSON.stringify(report));
      session?.post('Profiler.stop', (error, result) => {
        if (!error) writeFileSync(join(profiles, `host-${++profiled}.cpuprofile`), JSON.stringify(result.profile));
      });
      session?.post('HeapProfiler.stopSampling', (error, result) => {
        if (!error) writeFileSync(join(profiles, `host-${profiled}.heapprofile`), JSON.stringify(result.profile));
      });
    }),
    { dispose: () => histogram.disable() },
  );
};
