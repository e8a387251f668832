// Commands over the configured sources: open a trace by id, search, check health, store credentials.
// Every network wait shows cancellable progress; cancelling aborts the request.
import * as vscode from 'vscode';
import { formatDuration } from '../core/analysis/formatDuration';
import { parseSearchFilters, type SearchFilters } from '../core/sources/searchFilters';
import { significantTraceId } from '../core/model/ids';
import { SourceError } from '../core/sources/httpClient';
import type { Credentials } from '../core/sources/sourceConfig';
import type { Trace } from '../core/model/trace';
import { loadRecentTraces } from '../core/sources/recentTraces';
import type { SearchQuery, TraceHit, TraceSource } from '../core/sources/traceSource';
import { withProgress } from './cancellation';
import { loadingPick } from './loadingPick';
import type { SourceRegistry } from './sourceRegistry';

const TIME_RANGES: { label: string; ms: number }[] = [
  { label: 'Last 15 minutes', ms: 15 * 60_000 },
  { label: 'Last hour', ms: 3_600_000 },
  { label: 'Last 6 hours', ms: 6 * 3_600_000 },
  { label: 'Last 24 hours', ms: 24 * 3_600_000 },
  { label: 'Last 7 days', ms: 7 * 24 * 3_600_000 },
];
const ANY_OPERATION = '$(circle-outline) any operation';

function showSourceError(error: unknown): void {
  if (error instanceof SourceError) {
    if (error.kind !== 'cancelled') void vscode.window.showErrorMessage(`Trace Lens: ${error.message}`);
    return;
  }
  throw error;
}

/** "100ms http.response.status_code=500 error=true" → a minimum duration and attribute filters. */
function suggestion(names: string[]): string {
  if (names.length === 0) return '';
  return `. Attributes: ${names.slice(0, 8).join(', ')}${names.length > 8 ? ', …' : ''}`;
}

function hitItem(hit: TraceHit): vscode.QuickPickItem & { hit: TraceHit } {
  const start = hit.startUnixNano ? new Date(Number(BigInt(hit.startUnixNano) / 1_000_000n)).toLocaleString() : '';
  const spans = hit.spanCount !== undefined ? ` · ${hit.spanCount} spans` : '';
  return {
    label: `${hit.errorCount ? '$(error)' : '$(pass)'} ${hit.rootService}: ${hit.rootName || '(root span missing)'}`,
    description: `${formatDuration(hit.durationNs)}${spans}${hit.errorCount ? ` · ${hit.errorCount} errors` : ''} · ${start}`,
    detail: significantTraceId(hit.traceId),
    hit,
  };
}

/** How many traces "Load Recent Traces" fetches. */
const LOAD_LIMIT = 50;

/** What the source commands work with. */
export interface SourceCommandContext {
  registry: SourceRegistry;
  log: vscode.LogOutputChannel;
  /** Traces loaded from a backend, to be held like opened files. */
  loaded: (traces: Trace[]) => void;
}

/** What a command may be given: `{ source: name }` from code, or the Sources view's row it was run on. */
type SourceArgument = { source?: string | TraceSource; service?: string; kind?: string } | undefined;

function sourceNameOf(given: SourceArgument): string | undefined {
  const source = given?.source;
  return typeof source === 'string' ? source : source?.name;
}

async function pickSource(registry: SourceRegistry, given?: SourceArgument): Promise<TraceSource | undefined> {
  const sources = await registry.all();
  const named = sourceNameOf(given);
  if (named) return sources.find((s) => s.name === named);
  if (sources.length === 1) return sources[0];
  const picked = await vscode.window.showQuickPick(
    sources.map((source) => ({ label: source.name, description: source.kind, source })),
    { title: 'Trace Lens: Search Traces', placeHolder: 'Search where?' },
  );
  return picked?.source;
}

/** Search Traces…: source, service, operation, filters, time range, then a result opens. */
function searchTraces({ registry, log }: SourceCommandContext) {
  return async (given?: SourceArgument) => {
    try {
      const source = await pickSource(registry, given);
      if (!source) return;
      const title = `Search ${source.name}`;
      const service = await loadingPick({ title, placeholder: 'Service', emptyText: `${source.name} knows no services yet` }, async (signal) =>
        (await source.services(signal)).map((label) => ({ label })),
      );
      if (!service) return;
      // Fetched while the operation is picked: the filter prompt suggests what the backend can filter on.
      const knownAttributes = source.attributeNames ? source.attributeNames().catch(() => [] as string[]) : Promise.resolve([] as string[]);
      const operation = await loadingPick({ title: `${title} · ${service.label}`, placeholder: 'Operation', emptyText: 'no operations' }, async (signal) => [
        { label: ANY_OPERATION },
        ...(await source.operations(service.label, signal)).map((label) => ({ label })),
      ]);
      if (!operation) return;
      const filterText = await vscode.window.showInputBox({
        title: `${title} · ${service.label}`,
        prompt: `Optional: a minimum duration and attribute filters, separated by spaces${suggestion(await knownAttributes)}`,
        placeHolder: '100ms http.response.status_code=500',
        validateInput: (text) => {
          const parsed = parseSearchFilters(text);
          return typeof parsed === 'string' ? parsed : undefined;
        },
      });
      if (filterText === undefined) return;
      const filters = parseSearchFilters(filterText) as SearchFilters;
      const range = await vscode.window.showQuickPick(TIME_RANGES, { title: `${title} · ${service.label}`, placeHolder: 'Time range' });
      if (!range) return;
      const query: SearchQuery = {
        service: service.label,
        operation: operation.label === ANY_OPERATION ? undefined : operation.label,
        minDurationNs: filters.minDurationNs,
        attributes: filters.attributes,
        lookbackMs: range.ms,
        limit: 50,
      };
      const picked = await loadingPick(
        {
          title: `Traces of ${service.label} in ${source.name} (${range.label.toLowerCase()})`,
          placeholder: 'Pick a trace to open',
          emptyText: 'no traces match',
          matchOnDescription: true,
          matchOnDetail: true,
        },
        async (signal) => {
          const { hits, notes } = await source.search(query, signal);
          for (const note of notes) {
            log.info(`search in ${source.name}: ${note}`);
            void vscode.window.showInformationMessage(`Trace Lens: ${source.name}: ${note}.`);
          }
          return hits.map(hitItem);
        },
      );
      if (!picked) return;
      // Opened as any trace id is: its answer is decoded in a worker thread, and a large trace stays there.
      await vscode.commands.executeCommand('traceLens.openTrace', picked.hit.traceId);
    } catch (error) {
      showSourceError(error);
    }
  };
}

/** Recent traces of one service from a backend, held like opened files: CodeLens and hovers count them. */
function loadServiceTraces({ registry, log, loaded }: SourceCommandContext) {
  return async (given?: SourceArgument) => {
    try {
      const sources = (await registry.all()).filter((x) => x.kind !== 'receiver');
      if (sources.length === 0) {
        const add = 'Add Source…';
        if ((await vscode.window.showInformationMessage('Trace Lens: no Jaeger, Tempo or Zipkin backend is configured yet.', add)) === add)
          await vscode.commands.executeCommand('traceLens.addSource');
        return;
      }
      const named = sourceNameOf(given);
      const source = named
        ? sources.find((x) => x.name === named)
        : sources.length === 1
          ? sources[0]
          : (
              await vscode.window.showQuickPick(
                sources.map((x) => ({ label: x.name, source: x })),
                { title: 'Load recent traces from' },
              )
            )?.source;
      if (!source) return;
      const service =
        given?.service ??
        (
          await loadingPick({ title: `Load recent traces from ${source.name}`, placeholder: 'Service', emptyText: 'no services' }, async (signal) =>
            (await source.services(signal)).map((label) => ({ label })),
          )
        )?.label;
      if (!service) return;
      const traces = await withProgress(`Trace Lens: loading recent traces of ${service} from ${source.name}`, (signal) =>
        loadRecentTraces(source, { services: [service], lookbackMs: 3_600_000, perService: LOAD_LIMIT, total: LOAD_LIMIT, signal }),
      );
      loaded(traces);
      const spans = traces.reduce((n, t) => n + t.spans.length, 0);
      log.info(`loaded ${traces.length} traces (${spans} spans) of ${service} from ${source.name}`);
      void vscode.window.showInformationMessage(
        `Trace Lens: loaded ${traces.length} recent traces (${spans} spans) of ${service} from ${source.name}; CodeLens and hovers include them.`,
      );
    } catch (error) {
      showSourceError(error);
    }
  };
}

/** Check Sources: every source's health, in lookup order. */
function checkSources({ registry, log }: SourceCommandContext) {
  return async () => {
    const sources = await registry.all();
    const configured = sources.length > 1 ? '' : ' No backends are configured: add them to traceLens.sources (user settings).';
    await loadingPick(
      { title: `Trace Lens: Check Sources.${configured}`, placeholder: 'Health of each source, in lookup order', emptyText: 'no sources' },
      async (signal) => {
        const results = await Promise.all(sources.map(async (source) => ({ source, health: await source.health(signal) })));
        for (const { source, health } of results) log[health.ok ? 'info' : 'warn'](`source ${source.name}: ${health.ok ? 'ok' : 'failing'}: ${health.detail}`);
        return results.map(({ source, health }) => ({
          label: `${health.ok ? '$(pass)' : '$(error)'} ${source.name}`,
          description: source.kind,
          detail: health.detail,
        }));
      },
    );
  };
}

/** Set Source Credentials…: a bearer token or user and password, kept in VS Code's secret storage. */
function setSourceCredentials({ registry }: SourceCommandContext) {
  return async (given?: SourceArgument) => {
    const names = await registry.names();
    if (names.length === 0) return void vscode.window.showInformationMessage('Trace Lens: add a source first (Add Source… in the Trace Lens side bar).');
    const name =
      sourceNameOf(given) ?? (await vscode.window.showQuickPick(names, { title: 'Trace Lens: Set Source Credentials', placeHolder: 'Which source?' }));
    if (!name) return;
    const kind = await vscode.window.showQuickPick(
      [
        { label: 'Bearer token', auth: 'bearer' as const },
        { label: 'Basic (user name and password)', auth: 'basic' as const },
        { label: 'None (remove stored credentials)', auth: 'none' as const },
      ],
      { title: `Credentials for ${name}` },
    );
    if (!kind) return;
    let credentials: Credentials = { kind: 'none' };
    if (kind.auth === 'bearer') {
      const token = await vscode.window.showInputBox({ title: `Bearer token for ${name}`, password: true, ignoreFocusOut: true });
      if (!token) return;
      credentials = { kind: 'bearer', token };
    } else if (kind.auth === 'basic') {
      const username = await vscode.window.showInputBox({ title: `User name for ${name}`, ignoreFocusOut: true });
      if (!username) return;
      const password = await vscode.window.showInputBox({ title: `Password for ${username} at ${name}`, password: true, ignoreFocusOut: true });
      if (password === undefined) return;
      credentials = { kind: 'basic', username, password };
    }
    await registry.setCredentials(name, credentials);
    void vscode.window.showInformationMessage(
      `Trace Lens: ${credentials.kind === 'none' ? 'removed the credentials' : "stored the credentials in VS Code's secret storage"} for ${name}.`,
    );
  };
}

/** One named factory per command, as the command ids say. */
const SOURCE_COMMANDS: Record<string, (context: SourceCommandContext) => (...args: never[]) => Promise<unknown>> = {
  'traceLens.searchTraces': searchTraces,
  'traceLens.checkSources': checkSources,
  'traceLens.loadServiceTraces': loadServiceTraces,
  'traceLens.setSourceCredentials': setSourceCredentials,
};

export function registerSourceCommands(context: SourceCommandContext): vscode.Disposable[] {
  return Object.entries(SOURCE_COMMANDS).map(([id, factory]) => vscode.commands.registerCommand(id, factory(context)));
}
