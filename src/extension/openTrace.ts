// Every way a waterfall opens: "Open Trace…" (an id in any common form, a traceparent or log line, a trace page
// URL, a file path), the clipboard, trace files, and links from hovers, CodeLens and other traces.
import * as vscode from 'vscode';
import { parseTraceReference } from '../core/ids/traceReference';
import { significantTraceId } from '../core/model/ids';
import type { Trace } from '../core/model/trace';
import type { OpenedTraces } from '../core/sources/openedTraces';
import { pickTrace, readTraceFile } from './openTraceFile';
import { withDelayedProgress } from './cancellation';
import { release, type FoundTrace, type TraceFinder } from './traceFinder';
import type { LookupResult } from '../core/sources/traceLookup';
import type { WaterfallModel } from '../core/waterfall/rows';
import type { ShowOptions, WaterfallPanel, WaterfallPanels } from './waterfallPanel';
import type { WaterfallViewState } from '../protocol/messages';
import type { OpenedFile, TraceWorker, TraceWorkers } from './traceWorkers';
import { CancelledError } from './workerClient';
import { HostWaterfall, WorkerWaterfall, type WaterfallData } from './waterfallData';
import type { TraceEntry } from '../core/workers/traceFile';
import type { TraceStory } from '../core/analysis/traceStory';
import { findingsOf } from '../core/workers/traceFile';
import type { FindingsStore } from './findingsStore';

const TRACE_FILE_FILTERS = { 'Trace files': ['json', 'jsonl', 'ndjson', 'pb', 'bin', 'gz'], 'All files': ['*'] };
const RESTORE_TIMEOUT_MS = 10_000;
/** A held trace larger than this is not counted in CodeLens. */
const MAX_COUNTED_SPANS = 50_000;

export class TraceOpener {
  constructor(
    private readonly finder: TraceFinder,
    private readonly panels: WaterfallPanels,
    private readonly opened: OpenedTraces,
    private readonly workers: TraceWorkers,
    private readonly findings: FindingsStore,
    private readonly log: vscode.LogOutputChannel,
    private readonly onOpenedFile: () => void,
    private readonly received: { holds(traceId: string): boolean },
  ) {}

  /** Opens what the user typed or pasted; says precisely what was wrong with it otherwise. */
  async open(text: string, spanId?: string): Promise<void> {
    const reference = parseTraceReference(text);
    if (reference.kind === 'invalid') return void vscode.window.showErrorMessage(`Trace Lens: ${reference.message}.`);
    if (reference.kind === 'file') return this.openFile(this.fileUri(reference.path));
    // An open panel (its trace may be held by a worker, where no lookup finds it) is shown as it is.
    if (this.panels.reveal(reference.traceId, spanId ?? reference.spanId)) return;
    // A large trace read from a file lives in a worker while its panel is open: afterwards it is read again.
    const heldFile = this.opened.heldTrace(reference.traceId)?.file;
    if (heldFile) return this.openFile(vscode.Uri.parse(heldFile), { traceId: reference.traceId, spanId: spanId ?? reference.spanId });
    // A trace the receiver holds is there to show: its panel opens at once, and its page loads meanwhile. Another
    // source's large trace gets its panel with its first rows, while the rest of its answer is decoded.
    const begin = () => this.panels.begin(`Trace ${reference.traceId.slice(0, 8)}`);
    let early = this.received.holds(reference.traceId) ? begin() : undefined;
    const started = performance.now();
    const preview = (first: WaterfallModel, how: string) => {
      if (this.panels.reveal(first.traceId)) return;
      this.log.info(`trace ${first.traceId}: its first ${first.rows.span.length} rows made in ${Math.round(performance.now() - started)} ms, ${how}`);
      (early ??= begin()).showEarly(first);
    };
    let shown = false;
    try {
      // A held trace is found at once: a notification would only flash over its panel. A backend's shows after a moment.
      const result = await withDelayedProgress(`Trace Lens: looking up trace ${significantTraceId(reference.traceId).slice(0, 12)}…`, (signal) =>
        this.finder.find(reference.traceId, { signal, preview }),
      );
      shown = await this.showFound(result, spanId ?? reference.spanId, early);
    } finally {
      if (!shown) early?.dispose();
    }
  }

  /** Whether `early` (a panel opened for the trace before it was found, if any) was given the trace. */
  private async showFound(result: LookupResult<FoundTrace>, spanId: string | undefined, early?: WaterfallPanel): Promise<boolean> {
    if (!result.found) {
      if (result.reason !== 'cancelled') {
        this.log.warn(result.message);
        void vscode.window.showErrorMessage(`Trace Lens: ${result.message}`);
      }
      return false;
    }
    const found = result.trace;
    const traceId = found.kind === 'host' ? found.trace.traceId : found.entry.traceId;
    const options = { spanId };
    this.log.info(`trace ${traceId} from ${result.source.name}${found.kind === 'held' ? ' (held in a worker thread)' : ''}`);
    if (found.kind === 'host') {
      // A backend's trace is kept like a loaded one (its findings found, let go with it); the receiver's has its own.
      if (result.source.kind !== 'receiver') this.remember([found.trace]);
      this.panels.showData(new HostWaterfall(found.trace), options, early);
      return true;
    }
    if (this.panels.reveal(traceId, options.spanId)) {
      release(found);
      return false;
    }
    const data = await this.prepareHeld(found.worker, found.entry, result.source.name, early?.closed);
    if (!data) return false;
    this.show(data, options, found.entry.story, early);
    return true;
  }

  /** Relative paths are taken from the first workspace folder, `~` from the home directory. */
  private fileUri(path: string): vscode.Uri {
    if (path.startsWith('~/')) return vscode.Uri.file(`${process.env.HOME ?? ''}${path.slice(1)}`);
    if (/^(?:\/|[A-Za-z]:[\\/])/.test(path)) return vscode.Uri.file(path);
    const folder = vscode.workspace.workspaceFolders?.[0];
    return folder ? vscode.Uri.joinPath(folder.uri, path) : vscode.Uri.file(path);
  }

  /**
   * `want`: the trace to open (and span to select) when the file holds several; else the user picks. Its panel
   * opens at once, so the page loads while the file is read; closing it cancels the read.
   */
  async openFile(uri: vscode.Uri, want?: { traceId: string; spanId?: string }): Promise<void> {
    const name = vscode.workspace.asRelativePath(uri);
    // A file already shown is read without a new panel (it would flash while the open one is revealed).
    const pending = this.panels.showsFile(uri) ? undefined : this.panels.begin(`Opening ${uri.path.split('/').pop()}…`);
    let shown = false;
    try {
      const file = await readTraceFile(
        uri,
        this.workers,
        this.log,
        pending?.closed,
        this.findings.thresholds,
        pending && ((first) => pending.showEarly(first)),
      );
      if (!file) return;
      this.rememberFile(file);
      const entry = file.entries.find((e) => e.traceId === want?.traceId) ?? (await pickTrace(file.entries));
      const data = entry && (await this.waterfallOf(file, entry, name, pending?.closed));
      if (!data) return file.worker?.release();
      this.show(data, { file: uri, spanId: want?.spanId }, entry.story, pending);
      shown = true;
    } finally {
      if (!shown) pending?.dispose();
    }
  }

  private show(data: WaterfallData, options: ShowOptions, story: TraceStory, pending?: WaterfallPanel): void {
    this.panels.showData(data, options, pending);
    this.count(data, story, options.file);
    // A held trace's findings are asked for once its rows show: the rows come first.
    void data
      .findings()
      .then((found) => found && this.findings.set(data.model.traceId, found))
      .catch((error: Error) => this.log.warn(`trace ${data.model.traceId}: its findings could not be computed: ${error.message}`));
  }

  /** A file's small traces, and the findings its worker found in them. */
  private rememberFile(file: OpenedFile): void {
    this.remember(file.copies, false);
    for (const entry of file.entries) if (entry.findings) this.findings.set(entry.traceId, entry.findings);
  }

  /**
   * A trace held in a worker counts in CodeLens through its digest (asked for once its waterfall shows); hovers
   * tell its story, and its id opens it again from its file.
   */
  private count(data: WaterfallData, story: TraceStory, file?: vscode.Uri): void {
    const { traceId } = data.model;
    const spans = data.model.totalRows ?? data.model.rows.span.length;
    if (spans > MAX_COUNTED_SPANS) {
      // The statistics are rebuilt on this thread from every span they count: a million would hold the editor.
      this.log.info(`trace ${traceId}: ${spans} spans, not counted in CodeLens (over ${MAX_COUNTED_SPANS})`);
      return this.opened.rememberHeld(traceId, { story, file: file?.toString() });
    }
    void data
      .digest()
      .then((digest) => {
        if (!digest) return;
        this.opened.rememberHeld(traceId, { digest, story, file: file?.toString() });
        this.onOpenedFile();
      })
      .catch((error: Error) => this.log.warn(`trace ${data.model.traceId}: its spans could not be counted for CodeLens: ${error.message}`));
  }

  /** The waterfall of one trace of the file: prepared here when the host has it whole, else in its worker. */
  private async waterfallOf(file: OpenedFile, entry: TraceEntry, name: string, closed?: AbortSignal): Promise<WaterfallData | undefined> {
    const copy = file.copies.find((t) => t.traceId === entry.traceId);
    if (copy) {
      file.worker?.release();
      return new HostWaterfall(copy);
    }
    if (this.panels.reveal(entry.traceId)) return undefined;
    return this.prepareHeld(file.worker!, entry, name, closed);
  }

  /** A held trace's rows, prepared in its worker (with a Cancel after a moment); its worker goes if that fails. */
  private async prepareHeld(worker: TraceWorker, entry: TraceEntry, from: string, closed?: AbortSignal): Promise<WaterfallData | undefined> {
    const started = performance.now();
    try {
      return await withDelayedProgress(`Trace Lens: preparing ${entry.spanCount.toLocaleString('en-US')} spans of ${from}…`, (signal) =>
        WorkerWaterfall.prepare(worker, entry.traceId, closed ? AbortSignal.any([signal, closed]) : signal),
      ).then((data) => {
        this.log.info(`trace ${entry.traceId}: ${entry.spanCount} spans prepared in ${Math.round(performance.now() - started)} ms`);
        return data;
      });
    } catch (error) {
      worker.terminate();
      if (!(error instanceof CancelledError))
        void vscode.window.showErrorMessage(`Trace Lens: cannot show trace ${entry.traceId} of ${from}: ${(error as Error).message}`);
      return undefined;
    }
  }

  /**
   * Traces opened from files or loaded from a backend: hovers find them and CodeLens counts them. Loaded traces'
   * findings are found here (at most a few hundred small traces: a file's come from its worker).
   */
  remember(traces: Trace[], find = true): void {
    for (const t of traces) {
      this.opened.remember(t);
      if (find) this.findings.set(t.traceId, findingsOf(t, { thresholds: this.findings.thresholds }));
    }
    this.onOpenedFile();
  }

  /** The trace a restored panel showed: from its file when it came from one, else from the receiver and sources. */
  async restore(state: WaterfallViewState): Promise<WaterfallData | string> {
    if (state.file) {
      const uri = vscode.Uri.parse(state.file);
      const name = vscode.workspace.asRelativePath(uri);
      const file = await readTraceFile(uri, this.workers, this.log, undefined, this.findings.thresholds);
      if (file) this.rememberFile(file);
      const entry = file?.entries.find((e) => e.traceId === state.traceId);
      const data = entry && (await this.waterfallOf(file!, entry, name));
      if (!data) file?.worker?.release();
      else this.count(data, entry.story, uri);
      return data ?? `it is no longer in ${name}`;
    }
    const result = await this.finder.find(state.traceId, { timeoutMs: RESTORE_TIMEOUT_MS });
    if (!result.found) return result.message;
    const found = result.trace;
    if (found.kind === 'host') return new HostWaterfall(found.trace);
    return (await this.prepareHeld(found.worker, found.entry, result.source.name)) ?? `it could not be prepared`;
  }

  register(): vscode.Disposable[] {
    return [
      vscode.commands.registerCommand('traceLens.openTrace', async (given?: unknown, spanId?: unknown) => {
        const text =
          typeof given === 'string'
            ? given
            : await vscode.window.showInputBox({
                title: 'Trace Lens: Open Trace',
                prompt: 'A trace id (32 or 16 hex digits), a traceparent or log line, a Jaeger/Tempo/Grafana/Zipkin trace URL, or a trace file path',
                placeHolder: '4bf92f3577b34da6a3ce929d0e0e4736',
                ignoreFocusOut: true,
                validateInput: (value) => {
                  const parsed = parseTraceReference(value);
                  return parsed.kind === 'invalid' && value.trim() ? parsed.message : undefined;
                },
              });
        if (text) await this.open(text, typeof spanId === 'string' ? spanId : undefined);
      }),
      vscode.commands.registerCommand('traceLens.openTraceFromClipboard', async () => {
        const text = (await vscode.env.clipboard.readText()).slice(0, 100_000);
        const reference = parseTraceReference(text);
        if (reference.kind === 'invalid')
          return void vscode.window.showWarningMessage(
            'Trace Lens: the clipboard holds no trace id, trace URL or trace file path (a traceparent, a 32- or 16-hex id, B3, X-Ray, …).',
          );
        await this.open(text);
      }),
      vscode.commands.registerCommand('traceLens.openTraceFile', async () => {
        const [uri] = (await vscode.window.showOpenDialog({ canSelectMany: false, filters: TRACE_FILE_FILTERS, title: 'Open Trace File' })) ?? [];
        if (uri) await this.openFile(uri);
      }),
      vscode.commands.registerCommand('traceLens.openAsTrace', async (given?: unknown) => {
        const uri = given instanceof vscode.Uri ? given : activeFile();
        if (uri) await this.openFile(uri);
        else void vscode.window.showInformationMessage('Trace Lens: open a trace file in the editor, or pick one in the Explorer, then run "Open as Trace".');
      }),
    ];
  }
}

/**
 * The file of the editor tab in front: an OTLP protobuf file shows there as a binary file, with no text editor,
 * so the tab is asked before the text editor.
 */
function activeFile(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputText || input instanceof vscode.TabInputCustom) return input.uri;
  return vscode.window.activeTextEditor?.document.uri;
}
