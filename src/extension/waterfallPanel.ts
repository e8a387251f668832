// One webview panel per trace: a ready handshake before the first message, span details and search answered
// on request, Go to Code through the code mapping, and panels restored after a reload (the webview keeps only
// the trace id, the selected span and the file it came from; the trace itself is looked up again).
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { significantTraceId } from '../core/model/ids';
import type { Span, Trace } from '../core/model/trace';
import type { CodeLocation } from '../core/code/codeLocation';
import type { FromWebview, ToWebview, WaterfallFinding, WaterfallViewState } from '../protocol/messages';
import type { TraceFinding } from '../core/analysis/findings/traceFinding';
import { webviewHtml } from './webviewHtml';
import type { TraceFileFormat } from '../core/formats/traceFileBytes';
import { pageBundle } from './pageBundle';
import { placeLabel, showPlace } from './codePlaces';
import type { WaterfallModel } from '../core/waterfall/rows';
import { crossingOf } from '../core/waterfall/columnParts';
import { PanelSelection } from '../core/waterfall/panelSelection';
import { HostWaterfall, type WaterfallData } from './waterfallData';
import type { StackFrame } from '../core/code/stackTrace';
import { eventStack, stackLines } from '../core/waterfall/stackLines';
import type { SpanDetails } from '../core/waterfall/spanDetails';

/**
 * A large trace's column parts posted and not yet delivered. VS Code queues what is posted and copies the whole
 * queue into one write to the window: parts posted a turn apiece still piled up, and a 1M-row trace's made one
 * copy that held the extension host's thread 113 ms (CPU profile of the host). Two keep the pipe busy.
 */
const PARTS_IN_FLIGHT = 2;

export const WATERFALL_VIEW_TYPE = 'traceLens.waterfall';

export interface WaterfallHost {
  /** Where a span's code is, and where it failed. */
  locate(span: Span): Promise<{ code?: CodeLocation; failure?: CodeLocation }>;
  /** The workspace place a stack frame names, as failures are placed. */
  locateFrame(frame: StackFrame): Promise<CodeLocation | undefined>;
  /** The trace a restored panel showed, or why it is gone. */
  restore(state: WaterfallViewState): Promise<WaterfallData | string>;
  /** A request from the page that failed: logged, never an unhandled rejection. */
  fail(message: string): void;
  /** How long a step took, for the log (where an open's time goes). */
  timed(message: string): void;
  /** The findings of a trace, as the findings store has them now. */
  findingsOf(traceId: string): Promise<TraceFinding[]>;
  /** The name column's width the user last dragged to, for every panel. */
  nameWidth: { get(): number | undefined; set(px: number): Thenable<void> };
}

export interface ShowOptions {
  /** The trace file it was read from (a restored panel reads it again). */
  file?: vscode.Uri;
  /** Select this span when the panel opens. */
  spanId?: string;
}

export class WaterfallPanels implements vscode.Disposable {
  /** Filled panels by trace id (a pending one joins once its trace is known). */
  private readonly open = new Map<string, WaterfallPanel>();
  private readonly serializer: vscode.Disposable;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly host: WaterfallHost,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.serializer = vscode.window.registerWebviewPanelSerializer(WATERFALL_VIEW_TYPE, {
      deserializeWebviewPanel: (panel, state: unknown) => this.restore(panel, state as WaterfallViewState | undefined),
    });
  }

  /** Whether a panel shows this trace. */
  has(traceId: string): boolean {
    return this.open.has(traceId);
  }

  /** Whether a panel shows a trace read from this file. */
  showsFile(file: vscode.Uri): boolean {
    return [...this.open.values()].some((panel) => panel.file === file.toString());
  }

  /** The findings changed: panels whose trace's findings differ now show the new ones. */
  updateFindings(): void {
    for (const panel of this.open.values()) panel.sendFindings();
  }

  /** Selects a finding in the trace's open panel (its spans picked out). */
  pickFinding(traceId: string, fingerprint: string): void {
    this.open.get(traceId)?.pickFinding(fingerprint);
  }

  /** The trace a panel shows, as a file's bytes (traceFileBytes.ts); undefined when no panel shows it. */
  fileBytes(traceId: string, format: TraceFileFormat): Promise<Uint8Array> | undefined {
    return this.open.get(traceId)?.fileBytes(format);
  }

  /** How many spans the trace a panel shows has. */
  async spanCount(traceId: string): Promise<number | undefined> {
    const model = await this.open.get(traceId)?.model();
    return model && (model.totalRows ?? model.rows.span.length);
  }

  /** The trace of the waterfall in front, if one is. */
  activeTraceId(): string | undefined {
    return [...this.open].find(([, panel]) => panel.active)?.[0];
  }

  /** The span selected in a trace's open panel, as the page last said. */
  selectedSpan(traceId: string): string | undefined {
    return this.open.get(traceId)?.selection.selected;
  }

  /** Reveals the trace's panel if one is open (selecting `spanId`): then there is nothing to prepare. */
  reveal(traceId: string, spanId?: string): boolean {
    const existing = this.open.get(traceId);
    existing?.reveal(spanId);
    return existing !== undefined;
  }

  /** A trace the host holds. */
  show(trace: Trace, options: ShowOptions = {}): void {
    if (!this.reveal(trace.traceId, options.spanId)) this.showData(new HostWaterfall(trace), options);
  }

  /**
   * A panel opened before its trace is ready, so the page loads while the trace is read and prepared (its own
   * signal aborts when the user closes it). `fill` it, or dispose it when nothing comes.
   */
  begin(title: string): WaterfallPanel {
    const panel = vscode.window.createWebviewPanel(WATERFALL_VIEW_TYPE, title, vscode.ViewColumn.Active, panelOptions(this.extensionUri));
    return this.track(panel);
  }

  /** A trace prepared elsewhere (its worker), in `pending` or a new panel; the panel owns `data` from here on. */
  showData(data: WaterfallData, options: ShowOptions = {}, pending?: WaterfallPanel): void {
    if (this.reveal(data.model.traceId, options.spanId)) {
      pending?.dispose();
      return data.dispose();
    }
    const waterfall = pending ?? this.begin(panelTitle(data.model));
    if (waterfall.fill(data, options)) this.open.set(data.model.traceId, waterfall);
  }

  private track(panel: vscode.WebviewPanel): WaterfallPanel {
    const waterfall = new WaterfallPanel(panel, this.extensionUri, this.host, (traceId) => {
      if (traceId !== undefined && this.open.get(traceId) === waterfall) this.open.delete(traceId);
    });
    return waterfall;
  }

  private async restore(panel: vscode.WebviewPanel, state: WaterfallViewState | undefined): Promise<void> {
    panel.webview.options = panelOptions(this.extensionUri);
    if (!state?.traceId) {
      panel.dispose();
      return;
    }
    const waterfall = this.track(panel);
    const found = await this.host.restore(state).catch((error: Error) => error.message);
    if (typeof found !== 'string')
      return this.showData(found, { file: state.file ? vscode.Uri.parse(state.file) : undefined, spanId: state.spanId }, waterfall);
    this.log.warn(`restoring the waterfall of ${state.traceId}: ${found}`);
    waterfall.unavailable(`Trace ${significantTraceId(state.traceId)} is no longer available: ${found}`);
  }

  dispose(): void {
    this.serializer.dispose();
    for (const panel of [...this.open.values()]) panel.dispose();
  }
}

/** Titled by the root the header names (the trace summary's), never a different one. */
function panelTitle(model: WaterfallModel): string {
  // 64-bit ids (Zipkin, Jaeger) are padded with 16 zeros: title them by their significant digits.
  return `Trace ${significantTraceId(model.traceId).slice(0, 8)} · ${model.rootName || model.rootService}`.slice(0, 60);
}

function panelOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media')] };
}

function pageHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  return webviewHtml({
    cspSource: webview.cspSource,
    nonce: randomBytes(16).toString('base64'),
    bundle: pageBundle(vscode.Uri.joinPath(extensionUri, 'media').fsPath, 'waterfall'),
  });
}

/** One panel: opened with its page at once, filled with its trace once that is ready (or told why there is none). */
export class WaterfallPanel {
  private readonly disposables: vscode.Disposable[] = [];
  /** The trace once filled, or why there is none: the page's "ready" waits for it. */
  private readonly content: Promise<WaterfallData | string>;
  private settle!: (content: WaterfallData | string) => void;
  private data: WaterfallData | undefined;
  private options: ShowOptions = {};
  /**
   * Resolves when the page said `ready` and has its trace: messages before that wait here, none is dropped. A
   * hidden panel's page is destroyed and loads again when shown, so hiding starts a new wait.
   */
  private ready!: Promise<void>;
  private markReady!: () => void;
  private readonly closing = new AbortController();
  /** The span the page shows as selected (it asks for its details whenever the selection moves), or was asked to. */
  readonly selection = new PanelSelection();
  /** The findings the page was last sent (their fingerprints), and that sending: a newer one follows it. */
  private findingsKey = '';
  private findingsSent: Promise<void> = Promise.resolve();
  /** First rows made while the trace is still being read (showEarly), until the page has them. */
  private early: WaterfallModel | undefined;
  /** The page said it is ready and waits for its trace; whether it was sent early rows meanwhile. */
  private pageWaiting = false;
  private earlyShown = false;

  constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly host: WaterfallHost,
    onDispose: (traceId: string | undefined) => void,
  ) {
    this.awaitPage();
    this.content = new Promise((resolve) => (this.settle = resolve));
    panel.webview.html = pageHtml(panel.webview, extensionUri);
    panel.webview.onDidReceiveMessage(
      (message: FromWebview) => this.receive(message).catch((error: Error) => host.fail(`the waterfall could not answer "${message.type}": ${error.message}`)),
      undefined,
      this.disposables,
    );
    panel.onDidChangeViewState(() => panel.visible || this.awaitPage(), undefined, this.disposables);
    panel.onDidDispose(
      () => {
        this.closing.abort();
        onDispose(this.data?.model.traceId);
        this.data?.dispose();
        for (const d of this.disposables.splice(0)) d.dispose();
      },
      undefined,
      this.disposables,
    );
  }

  private awaitPage(): void {
    this.ready = new Promise((resolve) => (this.markReady = resolve));
  }

  get active(): boolean {
    return this.panel.active;
  }

  async fileBytes(format: TraceFileFormat): Promise<Uint8Array> {
    return (await this.trace()).fileBytes(format);
  }

  async model(): Promise<WaterfallModel> {
    return (await this.trace()).model;
  }

  /** The file its trace was read from. */
  get file(): string | undefined {
    return this.options.file?.toString();
  }

  /** Aborts when the user closes the panel. */
  get closed(): AbortSignal {
    return this.closing.signal;
  }

  /** Gives the panel its trace; false (and `data` disposed) when the user closed it meanwhile. */
  fill(data: WaterfallData, options: ShowOptions): boolean {
    if (this.closing.signal.aborted) {
      data.dispose();
      return false;
    }
    this.data = data;
    this.options = options;
    this.panel.title = panelTitle(data.model);
    data.onLost((reason) => {
      if (this.closing.signal.aborted) return;
      this.host.fail(`the waterfall of ${data.model.traceId} lost its trace: ${reason}`);
      this.post({ type: 'unavailable', message: `This trace is no longer available: ${reason}. Open it again.` });
    });
    this.settle(data);
    return true;
  }

  /** The trace: the page can ask about early rows (showEarly) before it is read; the answer waits for it. */
  private async trace(): Promise<WaterfallData> {
    const content = await this.content;
    if (typeof content === 'string') throw new Error(content);
    return content;
  }

  unavailable(message: string): void {
    this.settle(message);
  }

  /** Rows to show while the trace is read (its own first rows, made ahead of it): dropped if the trace comes first. */
  showEarly(rows: WaterfallModel): void {
    if (this.data || this.closing.signal.aborted) return;
    this.early = rows;
    this.panel.title = panelTitle(rows);
    if (this.pageWaiting) this.postEarly();
  }

  private postEarly(): void {
    const rows = this.early;
    if (!rows || this.data) return;
    this.early = undefined;
    this.earlyShown = true;
    void this.panel.webview.postMessage({ type: 'trace', model: rows, nameWidth: this.host.nameWidth.get() } satisfies ToWebview);
  }

  reveal(spanId?: string): void {
    // If the page is loading again (the hidden state is reported late), "ready" selects this span instead.
    if (spanId) this.selection.reveal(spanId);
    this.panel.reveal();
    this.select(spanId);
  }

  /** Has the page select the span's row (nothing when the trace has no such span). */
  private select(spanId: string | undefined): void {
    void this.rowOf(spanId).then((row) => row !== undefined && this.post({ type: 'select', row }));
  }

  dispose(): void {
    this.panel.dispose();
  }

  private async rowOf(spanId: string | undefined): Promise<number | undefined> {
    return spanId
      ? this.trace()
          .then((data) => data.rowsOf([spanId]))
          .then(([row]) => (row >= 0 ? row : undefined))
          .catch(() => undefined)
      : undefined;
  }

  /** Posts the trace's findings with the rows of their spans, when they differ from what the page has. */
  sendFindings(): void {
    if (!this.data) return;
    const data = this.data;
    this.findingsSent = this.findingsSent
      .then(async () => {
        const findings = await this.host.findingsOf(data.model.traceId);
        const key = findings.map((f) => `${f.fingerprint}:${f.spanCount}`).join(',');
        if (key === this.findingsKey) return;
        this.findingsKey = key;
        const rows = await Promise.all(findings.map((f) => data.rowsOf(f.spanIds)));
        const shown = findings.map((f, k): WaterfallFinding => ({
          fingerprint: f.fingerprint,
          kind: f.kind,
          severity: f.severity,
          title: f.title,
          rows: rows[k].filter((r) => r >= 0).sort(),
        }));
        this.post({ type: 'findings', findings: shown });
      })
      .catch((error: Error) => this.host.fail(`the findings of ${data.model.traceId} could not be shown: ${error.message}`));
  }

  pickFinding(fingerprint: string): void {
    this.panel.reveal();
    // The page keeps a pick that comes before the findings it names.
    this.post({ type: 'pickFinding', fingerprint });
  }

  /** Sent once the page is ready, in order (a reveal right after opening must not lose its selection). */
  private post(message: ToWebview): void {
    void this.ready.then(() => this.panel.webview.postMessage(message));
  }

  private async receive(message: FromWebview): Promise<void> {
    switch (message.type) {
      case 'ready': {
        this.pageWaiting = true;
        this.earlyShown = false;
        this.postEarly();
        const content = await this.content;
        this.pageWaiting = false;
        if (typeof content === 'string') return void this.panel.webview.postMessage({ type: 'unavailable', message: content } satisfies ToWebview);
        // The trace goes first; everything queued before follows it. A large one's first rows go ahead of it.
        const { model } = content;
        const restoring = this.selection.toRestore(this.options.spanId);
        const trace = {
          file: this.options.file?.toString(),
          // A page loaded again (its panel was hidden) keeps the span the user had selected.
          selectRow: await this.rowOf(restoring),
          nameWidth: this.host.nameWidth.get(),
        };
        const posting = performance.now();
        let passed: Thenable<boolean>;
        const crossing = content.crossing ?? crossingOf(model);
        if (!crossing) passed = this.panel.webview.postMessage({ type: 'trace', model, ...trace } satisfies ToWebview);
        else {
          // Its first rows first; then its columns in parts, one message and one turn each, a few in flight: no
          // message holds this thread or the window long.
          if (!this.earlyShown) void this.panel.webview.postMessage({ type: 'trace', model: crossing.preview, ...trace } satisfies ToWebview);
          const inFlight: Thenable<boolean>[] = [];
          for (const part of crossing.parts) {
            // A part not delivered: the page is gone, and asks again ('ready') if it comes back.
            if (inFlight.length >= PARTS_IN_FLIGHT && !(await inFlight.shift())) return;
            inFlight.push(this.panel.webview.postMessage({ type: 'column', ...part } satisfies ToWebview));
          }
          passed = this.panel.webview.postMessage({ type: 'trace', model: { ...crossing.whole, rows: undefined }, ...trace } satisfies ToWebview);
        }
        void passed.then(() => this.host.timed(`trace ${model.traceId}: its rows passed to the page in ${Math.round(performance.now() - posting)} ms`));
        this.markReady();
        // A reveal while the rows were on their way may have gone to the page this one replaced (its hiding
        // reported late), or to this one before it had the span's row: it is asked again, after the rows.
        const revealed = this.selection.toRestore(this.options.spanId);
        if (revealed !== restoring) this.select(revealed);
        this.findingsKey = '';
        this.sendFindings();
        return;
      }
      case 'selectSpan': {
        const asked = this.selection.asked();
        const { details, span } = await (await this.trace()).details(message.span);
        if (!details || !span) return;
        this.selection.confirm(asked, span.spanId);
        const { code, failure } = await this.host.locate(span).catch(() => ({ code: undefined, failure: undefined }));
        const events = await Promise.all(details.events.map((e) => this.withStack(e)));
        this.post({
          type: 'details',
          requestId: message.requestId,
          details: { ...details, events, code: code && placeLabel(code), failure: failure && placeLabel(failure) },
        });
        return;
      }
      case 'search': {
        const { requestId } = message;
        await (await this.trace()).search(String(message.query).slice(0, 1000), (rows) => this.post({ type: 'searchResults', requestId, rows, done: false }));
        this.post({ type: 'searchResults', requestId, rows: new Int32Array(0), done: true });
        return;
      }
      case 'copy':
        await vscode.env.clipboard.writeText(String(message.text).slice(0, 10_000));
        void vscode.window.setStatusBarMessage('Trace Lens: copied', 2000);
        return;
      case 'openTrace':
        // A link within this trace selects its span here; others are looked up like any trace id.
        if (message.traceId === (await this.trace()).model.traceId) return this.reveal(String(message.spanId));
        await vscode.commands.executeCommand('traceLens.openTrace', String(message.traceId), message.spanId ? String(message.spanId) : undefined);
        return;
      case 'goToCode':
        await this.goToCode(message.span, message.failure);
        return;
      case 'openFrame':
        await this.openFrame(message.span, message.event, message.line);
        return;
      case 'showOnMap':
        await vscode.commands.executeCommand('traceLens.showServiceMap', (await this.trace()).model.traceId);
        return;
      case 'compareWith':
        await vscode.commands.executeCommand('traceLens.compareTraces', (await this.trace()).model.traceId);
        return;
      case 'saveAs':
        await vscode.commands.executeCommand('traceLens.saveTraceAs', (await this.trace()).model.traceId);
        return;
      case 'nameWidth':
        if (Number.isFinite(message.px) && message.px > 0 && message.px < 10_000) await this.host.nameWidth.set(Math.round(message.px));
        return;
    }
  }

  /** An event's stack trace, its frames placed in the workspace where they can be. */
  private async withStack(event: SpanDetails['events'][number]): Promise<SpanDetails['events'][number]> {
    const stack = eventStack(event.attributes);
    if (!stack) return event;
    const lines = await Promise.all(
      stackLines(stack).map(async ({ text, frame }) => {
        const place = frame && (await this.host.locateFrame(frame).catch(() => undefined));
        return place ? { text, place: placeLabel(place) } : { text };
      }),
    );
    return { ...event, stack: lines };
  }

  private async openFrame(index: number, event: number, line: number): Promise<void> {
    const { details } = await (await this.trace()).details(index);
    const stack = details && eventStack(details.events[event]?.attributes ?? []);
    const frame = stack ? stackLines(stack)[line]?.frame : undefined;
    await this.open(frame && (await this.host.locateFrame(frame)));
  }

  private async goToCode(index: number, failure: boolean): Promise<void> {
    const { span } = await (await this.trace()).details(index);
    if (!span) return;
    const located = await this.host.locate(span);
    const location = failure ? located.failure : located.code;
    if (!location) {
      void vscode.window.showWarningMessage(
        `Trace Lens: span "${span.name.slice(0, 80)}" does not map to a file in this workspace (see "Show Unresolved Code Locations").`,
      );
      return;
    }
    await this.open(location);
  }

  private async open(location: CodeLocation | undefined): Promise<void> {
    if (!location) return void vscode.window.showWarningMessage('Trace Lens: that place is not a file in this workspace (any more).');
    // Code opens beside the waterfall, in the editor group that already shows code when there is one.
    await showPlace(location, vscode.window.visibleTextEditors[0]?.viewColumn ?? vscode.ViewColumn.Beside);
  }
}
