// Trace Lens's on-demand worker threads (trace files, route declarations) run below the editor's own threads. On
// a busy machine (a million spans decoding on one core of two, the window painting on the other) the extension
// host's thread went without the processor for 150 ms at a time: every extension's hovers and completions waited
// on work the user had not asked to wait for.
// Lowered, a worker still takes every cycle no one else wants. The receiver's thread is not lowered: behind a
// build at full tilt it would fall behind its senders, and their spans would be lost.
import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { isMainThread } from 'node:worker_threads';

/** Nice values below the process's: a worker's share of a contended core is about a tenth of a normal thread's. */
export const WORKER_NICENESS = 10;
const LOWEST = 19;

/**
 * Lowers the calling worker thread's priority below the one it had; a main thread (the extension host's, the CLI's,
 * a test's importing a worker's module) is never lowered. Only Linux gives a thread a priority of its own (its task
 * id names it); elsewhere the thread keeps the process's (false).
 */
export function lowerThreadPriority(): boolean {
  if (isMainThread || process.platform !== 'linux') return false;
  try {
    // "<pid>/task/<tid>"
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    setPriority(tid, Math.min(LOWEST, getPriority(tid) + WORKER_NICENESS));
    return true;
  } catch {
    return false;
  }
}
