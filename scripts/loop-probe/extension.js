// A benchmark's probe inside the extension host: every extension shares this host's one thread, so the delay of
// this extension's event loop is what Trace Lens costs every other extension. "Reset" starts a measurement,
// "Report" writes it (ms) to $TRACE_LENS_PROBE_FILE. Used by scripts/bench-waterfall-vscode.mjs only.
// With $TRACE_LENS_PROBE_PROFILES (a folder), each measurement also records a CPU profile of the host's thread
// there, to see what held it, and a sampling heap profile of what it allocated (garbage included: what makes its
// collector pause).
const { monitorEventLoopDelay, PerformanceObserver, constants } = require('node:perf_hooks');
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { Session } = require('node:inspector');
const { ChildProcess } = require('node:child_process');
const vscode = require('vscode');

/** How often the stall watcher ticks (ms): a gap between two ticks longer than this is the thread held. */
const TICK_MS = 10;

exports.activate = (context) => {
  let histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const profiles = process.env.TRACE_LENS_PROBE_PROFILES;
  const session = profiles ? new Session() : undefined;
  let profiled = 0;
  // The host's garbage collections during a measurement: a pause of its collector is a stall of every extension
  // (their heap is one), and a stall with no pause as long was something else.
  let collections = [];
  let scheduled = schedstat();
  const gcObserver = new PerformanceObserver((list) => collections.push(...list.getEntries()));
  gcObserver.observe({ entryTypes: ['gc'] });
  const spawns = watchSpawns();
  const stalls = watchStalls();
  if (session) {
    session.connect();
    session.post('Profiler.enable');
    session.post('HeapProfiler.enable');
  }
  context.subscriptions.push(
    vscode.commands.registerCommand('loopProbe.reset', () => {
      histogram.reset();
      collections = [];
      scheduled = schedstat();
      spawns.length = 0;
      stalls.reset();
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
        longestCollection: longestCollection(collections),
        cpu: cpuSince(scheduled),
        longestStall: stalls.longest && explained(stalls.longest, stalls, collections, spawns),
      };
      writeFileSync(process.env.TRACE_LENS_PROBE_FILE, JSON.stringify(report));
      session?.post('Profiler.stop', (error, result) => {
        if (!error) writeFileSync(join(profiles, `host-${++profiled}.cpuprofile`), JSON.stringify(result.profile));
      });
      session?.post('HeapProfiler.stopSampling', (error, result) => {
        if (!error) writeFileSync(join(profiles, `host-${profiled}.heapprofile`), JSON.stringify(result.profile));
      });
    }),
    { dispose: () => (histogram.disable(), gcObserver.disconnect(), stalls.dispose()) },
  );
};

const GC_KINDS = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak callbacks',
};

/** What asked for a collection beyond V8's own schedule (the entry's flags). */
const GC_FLAGS = {
  [constants.NODE_PERFORMANCE_GC_FLAGS_FORCED]: 'forced',
  [constants.NODE_PERFORMANCE_GC_FLAGS_ALL_AVAILABLE_GARBAGE]: 'all garbage',
  [constants.NODE_PERFORMANCE_GC_FLAGS_ALL_EXTERNAL_MEMORY]: 'external memory',
};

/** The longest collection (ms), its kind and what asked for it; undefined when none ran. */
function longestCollection(entries) {
  let longest;
  for (const entry of entries) {
    if (longest && entry.duration <= longest.ms) continue;
    const flags = Object.entries(GC_FLAGS).filter(([bit]) => (entry.detail?.flags ?? 0) & Number(bit));
    const kind = [GC_KINDS[entry.detail?.kind] ?? 'other', ...flags.map(([, name]) => name)].join(', ');
    longest = { ms: Math.round(entry.duration * 10) / 10, kind };
  }
  return longest;
}

/**
 * Linux: this thread's time on a core and time runnable but waiting for one (ns), from the scheduler's own
 * account. A stall the collector does not explain, with the wait grown by as much, was a thread with no core.
 */
function schedstat() {
  try {
    const [ran, waited] = readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ').map(Number);
    return { ran, waited };
  } catch {
    return undefined;
  }
}

function cpuSince(before) {
  const now = schedstat();
  if (!before || !now) return undefined;
  return { ranMs: Math.round((now.ran - before.ran) / 1e6), waitedMs: Math.round((now.waited - before.waited) / 1e6) };
}

/**
 * Every process this host starts (VS Code's remote port scan runs `ls` through a shell every few seconds), each
 * with the time its start held the thread: forking copies the page tables of the whole process, so it costs
 * more the more memory the process (its worker threads included) maps.
 */
function watchSpawns() {
  const spawns = [];
  const spawn = ChildProcess.prototype.spawn;
  ChildProcess.prototype.spawn = function (...args) {
    const start = performance.now();
    try {
      return spawn.apply(this, args);
    } finally {
      spawns.push({ start, end: performance.now(), file: String(args[0]?.file ?? '') });
    }
  };
  return spawns;
}

/**
 * The longest gap between two ticks of a timer, with this thread's time on a core and runnable without one across
 * it (the rest it slept: blocked in the kernel, on a lock another thread of the process held).
 */
function watchStalls() {
  let last = performance.now();
  let lastSched = schedstat();
  const watcher = {
    longest: undefined,
    began: last,
    reset() {
      watcher.longest = undefined;
      // A gap that began before the measurement is not part of it.
      last = watcher.began = performance.now();
      lastSched = schedstat();
    },
    dispose() {
      clearInterval(timer);
    },
  };
  const timer = setInterval(() => {
    const now = performance.now();
    const sched = schedstat();
    if (!watcher.longest || now - last > watcher.longest.until - watcher.longest.from) {
      const [ranMs, waitedMs] = sched && lastSched ? [(sched.ran - lastSched.ran) / 1e6, (sched.waited - lastSched.waited) / 1e6] : [];
      watcher.longest = { from: last, until: now, ranMs, waitedMs };
    }
    last = now;
    lastSched = sched;
  }, TICK_MS);
  timer.unref();
  return watcher;
}

/** The longest stall (less the tick it waited for anyway) and what within it held the thread, in ms. */
function explained(stall, stalls, collections, spawns) {
  const overlap = (start, end) => Math.max(0, Math.min(end, stall.until) - Math.max(start, stall.from));
  const round = (ms) => Math.round(ms * 10) / 10;
  let collector = 0;
  for (const gc of collections) collector += overlap(gc.startTime, gc.startTime + gc.duration);
  let spawning = 0;
  for (const s of spawns) spawning += overlap(s.start, s.end);
  return {
    ms: round(stall.until - stall.from - TICK_MS),
    /** When it began, after the measurement did (after Enter, for an open). */
    atMs: Math.round(stall.from - stalls.began),
    collector: round(collector),
    spawning: round(spawning),
    onCore: stall.ranMs === undefined ? undefined : round(stall.ranMs),
    waitingForCore: stall.waitedMs === undefined ? undefined : round(stall.waitedMs),
  };
}
