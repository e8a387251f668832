// A benchmark's probe inside the extension host: every extension shares this host's one thread, so the delay of
// this extension's event loop is what Trace Lens costs every other extension. "Reset" starts a measurement,
// "Report" writes it (ms) to $TRACE_LENS_PROBE_FILE. Used by scripts/bench-waterfall-vscode.mjs only.
const { monitorEventLoopDelay } = require('node:perf_hooks');
const { writeFileSync } = require('node:fs');
const vscode = require('vscode');

exports.activate = (context) => {
  let histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  context.subscriptions.push(
    vscode.commands.registerCommand('loopProbe.reset', () => histogram.reset()),
    vscode.commands.registerCommand('loopProbe.report', () => {
      const ms = (ns) => Math.round(ns / 1e5) / 10;
      const report = { p50: ms(histogram.percentile(50)), p99: ms(histogram.percentile(99)), max: ms(histogram.max), samples: histogram.count };
      writeFileSync(process.env.TRACE_LENS_PROBE_FILE, JSON.stringify(report));
    }),
    { dispose: () => histogram.disable() },
  );
};
