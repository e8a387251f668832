// "Compare Versions…" (two groups of the traces the receiver holds: two values of an attribute, or before and
// after a moment), "Compare with…" (two traces), "Flame Graph of an Operation…" (many traces merged) and "Clear
// Comparison". They run in the receiver's thread; the reports open as panels, and the last group comparison puts
// its deltas on the CodeLenses.
import * as vscode from 'vscode';
import { formatDuration } from '../core/analysis/formatDuration';
import { formatAge } from '../core/analysis/formatAge';
import type { SplitRule } from '../core/analysis/compare/reportTypes';
import type { OpenedTraces } from '../core/sources/openedTraces';
import type { Trace } from '../core/model/trace';
import { rowFromTrace, type TraceRow } from '../core/analysis/traceListing';
import type { ActiveComparison } from './activeComparison';
import type { ComparePanels } from './comparePanels';
import type { ReceivedStore } from './receivedStore';
import type { SourceRegistry } from './sourceRegistry';
import { compareHeld } from '../core/analysis/compare/compareHeld';
import { fetchGroup } from '../core/sources/groupFetch';
import { DEFAULT_LOOKBACK_MS, type TraceSource } from '../core/sources/traceSource';
import { whileSlow } from './cancellation';
import { counted } from '../core/analysis/counted';

/** What a caller (a test, another extension) may fix in advance instead of being asked. */
export interface CompareVersionsArgs {
  /** A configured backend's name: its traces are searched and fetched per group. Else the received traces. */
  source?: string;
  service?: string;
  attribute?: string;
  baseline?: string;
  candidate?: string;
}

const ALL_SERVICES = '$(list-flat) All services';
const OTHER_ATTRIBUTE = 'Another attribute…';
const BY_TIME = 'Before and after a moment…';

interface Deps {
  store: ReceivedStore;
  registry: SourceRegistry;
  opened: OpenedTraces;
  panels: ComparePanels;
  active: ActiveComparison;
}

async function pickService(store: ReceivedStore): Promise<string | null | undefined> {
  const services = await store.services();
  const picked = await vscode.window.showQuickPick([ALL_SERVICES, ...services], {
    title: 'Compare Versions (1/3): the traces of which service?',
    placeHolder: 'A service: its own spans say its version',
  });
  return picked === undefined ? undefined : picked === ALL_SERVICES ? null : picked;
}

async function pickAttribute(withTime = true): Promise<string | undefined> {
  const picked = await vscode.window.showQuickPick(['service.version', 'deployment.environment.name', OTHER_ATTRIBUTE, ...(withTime ? [BY_TIME] : [])], {
    title: 'Compare Versions (2/3): split the traces by',
    placeHolder: 'An attribute whose values are the versions, or a moment',
  });
  if (picked !== OTHER_ATTRIBUTE) return picked;
  return (
    (await vscode.window.showInputBox({ title: 'The attribute to split by', prompt: 'A resource or span attribute, e.g. cloud.region' }))?.trim() || undefined
  );
}

/** "10" (minutes ago) or a date and time. */
function parseMoment(text: string): number | undefined {
  const minutes = /^\s*(\d+(?:\.\d+)?)\s*$/.exec(text);
  if (minutes) return Date.now() - Number(minutes[1]) * 60_000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : at;
}

async function pickSplit(store: ReceivedStore, service: string | undefined, args: CompareVersionsArgs): Promise<SplitRule | undefined> {
  const attribute = args.attribute ?? (await pickAttribute());
  if (!attribute) return undefined;
  if (attribute === BY_TIME) {
    const text = await vscode.window.showInputBox({
      title: 'Compare Versions (3/3): split at',
      prompt: 'Minutes ago (e.g. 10), or a date and time (e.g. 2026-11-30T14:05): traces before it are the baseline',
      validateInput: (t) => (parseMoment(t) === undefined ? 'Minutes ago, or a date and time' : undefined),
    });
    const atMs = text === undefined ? undefined : parseMoment(text);
    return atMs === undefined ? undefined : { by: 'time', atMs };
  }
  const { values, without } = await store.attributeValues(attribute, service);
  const of = service ? ` of ${service}` : '';
  if (values.length < 2) {
    const found = values.length ? `only ${attribute}=${values[0].value} (${counted(values[0].traces, 'trace')})` : `no trace with ${attribute}`;
    void vscode.window.showWarningMessage(
      `Trace Lens: the received traces${of} carry ${found}${without ? `; ${without} carry no ${attribute}` : ''}: two values are needed to compare.`,
    );
    return undefined;
  }
  const item = (v: (typeof values)[number]) => ({
    label: v.value,
    description: `${counted(v.traces, 'trace')} · first ${formatAge(v.firstMs)}, last ${formatAge(v.lastMs)}`,
  });
  // The defaults: the newest value against the one before it.
  const baseline =
    args.baseline ??
    (
      await vscode.window.showQuickPick(
        [...values]
          .reverse()
          .slice(1)
          .map(item)
          .concat(item(values[values.length - 1])),
        {
          title: `Compare Versions (3/3): the baseline ${attribute}${of}`,
          placeHolder: 'The baseline: what the candidate is compared against',
        },
      )
    )?.label;
  if (baseline === undefined) return undefined;
  const candidate =
    args.candidate ??
    (
      await vscode.window.showQuickPick(
        [...values]
          .reverse()
          .filter((v) => v.value !== baseline)
          .map(item),
        { title: `Compare Versions: the candidate ${attribute}${of}, against ${baseline}`, placeHolder: 'The candidate: the newer version' },
      )
    )?.label;
  return candidate === undefined ? undefined : { by: 'attribute', attribute, baseline, candidate };
}

/** The traces to compare: the received ones (null), or a configured backend's. */
async function pickSource(registry: SourceRegistry, args: CompareVersionsArgs): Promise<TraceSource | null | undefined> {
  const backends = (await registry.all()).filter((s) => s.kind !== 'receiver');
  if (args.source !== undefined) {
    const named = backends.find((s) => s.name === args.source);
    if (!named) void vscode.window.showWarningMessage(`Trace Lens: no source is named "${args.source}" in traceLens.sources.`);
    return named;
  }
  // A caller that fixed the comparison in advance and named no source means the received traces.
  if (!backends.length || Object.keys(args).length) return null;
  const items = [
    { label: RECEIVED, source: null },
    ...backends.map((source) => ({ label: source.name, description: `search ${source.describeApi()} for each version`, source })),
  ];
  return (
    await vscode.window.showQuickPick(items, {
      title: 'Compare Versions: which traces?',
      placeHolder: 'The received traces, or a backend searched per version',
    })
  )?.source;
}

const RECEIVED = '$(radio-tower) The traces Trace Lens received';
/** Traces fetched per version from a backend, searched this far back. */
const BACKEND_LIMIT = 200;

async function askValue(attribute: string, which: 'baseline' | 'candidate'): Promise<string | undefined> {
  const value = await vscode.window.showInputBox({
    title: `Compare Versions: the ${which} ${attribute}`,
    prompt: which === 'baseline' ? 'The value the candidate is compared against, e.g. 1.4.1' : 'The newer value, e.g. 1.4.2',
  });
  return value?.trim() || undefined;
}

/** Each version searched for and fetched from the backend, then compared here, in slices. */
async function compareFromBackend({ panels, active }: Deps, source: TraceSource, args: CompareVersionsArgs): Promise<void> {
  const service = args.service ?? (await vscode.window.showQuickPick(await source.services(), { title: `Compare Versions: a service in ${source.name}` }));
  if (!service) return;
  const attribute = args.attribute ?? (await pickAttribute(false));
  if (!attribute) return;
  const baseline = args.baseline ?? (await askValue(attribute, 'baseline'));
  if (!baseline) return;
  const candidate = args.candidate ?? (await askValue(attribute, 'candidate'));
  if (!candidate) return;
  const split: SplitRule = { by: 'attribute', attribute, baseline, candidate };
  const compared = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Trace Lens: fetching both versions from ${source.name}…`, cancellable: true },
    async (_progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      const query = { service, attribute, lookbackMs: DEFAULT_LOOKBACK_MS, limit: BACKEND_LIMIT };
      const groups = await Promise.all([baseline, candidate].map((value) => fetchGroup(source, { ...query, value }, abort.signal)));
      const traces = new Map(groups.flatMap((g) => g.traces).map((t) => [t.traceId, t]));
      const held = { ids: () => [...traces.keys()], spans: (id: string) => traces.get(id), trace: (id: string) => traces.get(id) };
      const result = await compareHeld(held, split, service);
      result.report.notes.unshift(...groups.flatMap((g) => g.notes));
      return result;
    },
  );
  panels.show(compared, `Compare ${baseline} → ${candidate}`);
  active.set(compared);
}

async function compareVersions(deps: Deps, args: CompareVersionsArgs = {}): Promise<void> {
  const source = await pickSource(deps.registry, args);
  if (source === undefined) return;
  if (source) {
    await compareFromBackend(deps, source, args).catch((e: unknown) => {
      void vscode.window.showErrorMessage(`Trace Lens: could not compare from ${source.name}: ${e instanceof Error ? e.message : String(e)}`);
    });
    return;
  }
  const { store, panels, active } = deps;
  if (store.empty) {
    void vscode.window.showWarningMessage('Trace Lens: the receiver holds no traces yet. Compare Versions compares the traces it received.');
    return;
  }
  const service = args.service ?? (await pickService(store));
  if (service === undefined) return;
  const split = await pickSplit(store, service ?? undefined, args);
  if (!split) return;
  const compared = await whileSlow('Trace Lens: comparing…', store.compareGroups(split, service ?? undefined));
  const { report } = compared;
  panels.show(compared, `Compare ${report.baseline.label} → ${report.candidate.label}`);
  active.set(compared);
}

function traceItem(row: TraceRow): vscode.QuickPickItem & { traceId: string } {
  return {
    label: `${row.rootService}: ${row.rootName}`,
    description: `${formatDuration(row.durationNs)} · ${counted(row.spanCount, 'span')}${row.errorCount ? ` · ${row.errorCount} failed` : ''}`,
    detail: row.traceId,
    traceId: row.traceId,
  };
}

/** The traces held: received (newest first) and opened, those of the same root operation as `like` first. */
async function heldRows({ store, opened }: Deps, like?: TraceRow): Promise<TraceRow[]> {
  const received: TraceRow[] = (await store.list()).map((t) => ({ ...t, origin: 'received' }));
  const ids = new Set(received.map((r) => r.traceId));
  const rows = [
    ...received,
    ...opened
      .all()
      .filter((t) => !ids.has(t.traceId))
      .map(rowFromTrace),
  ];
  if (!like) return rows;
  const same = (r: TraceRow) => r.rootService === like.rootService && r.rootName === like.rootName;
  return [...rows.filter(same), ...rows.filter((r) => !same(r))].filter((r) => r.traceId !== like.traceId);
}

async function compareTraces(deps: Deps, a?: string, b?: string): Promise<void> {
  const rows = await heldRows(deps);
  const pick = async (title: string, candidates: TraceRow[]) =>
    (await vscode.window.showQuickPick(candidates.map(traceItem), { title, matchOnDetail: true }))?.traceId;
  const first = a ?? (await pick('Compare (1/2): trace A', rows));
  if (!first) return;
  const second =
    b ??
    (await pick(
      'Compare (2/2): trace B, the same operation first',
      await heldRows(
        deps,
        rows.find((r) => r.traceId === first),
      ),
    ));
  if (!second) return;
  // Each side: its id where the receiver holds it (compared there, uncopied), else the trace this window holds.
  const side = (id: string): string | Trace | undefined =>
    rows.some((r) => r.traceId === id && r.origin === 'received') ? id : deps.opened.all().find((t) => t.traceId === id);
  const [sa, sb] = [side(first), side(second)];
  const missing = [sa ? undefined : first, sb ? undefined : second].filter(Boolean);
  if (!sa || !sb) {
    const large = missing.some((id) => deps.opened.heldTrace(id!));
    void vscode.window.showWarningMessage(
      large
        ? `Trace Lens: ${missing.join(' and ')} is held in a worker thread (a large trace file): compare it with \`trace-lens compare <a> <b>\` from a terminal.`
        : `Trace Lens: ${missing.join(' and ')} is not held here any more (received traces are evicted when the store is full).`,
    );
    return;
  }
  const compared = await whileSlow('Trace Lens: comparing…', deps.store.compareTraces(sa, sb));
  if (!compared) return void vscode.window.showWarningMessage('Trace Lens: one of the two traces left the receiver before it could be compared.');
  deps.panels.show(compared, `Compare ${first.slice(0, 8)} → ${second.slice(0, 8)}`);
}

async function pickOperation(store: ReceivedStore): Promise<{ service: string; operation: string } | undefined> {
  const service = await vscode.window.showQuickPick(await store.services(), {
    title: 'Flame graph (1/2): the service',
    placeHolder: 'The service of the operation',
  });
  if (!service) return undefined;
  const operation = await vscode.window.showQuickPick(await store.operations(service), {
    title: `Flame graph (2/2): an operation of ${service}`,
    placeHolder: 'Its spans, with everything under them, are merged',
  });
  return operation ? { service, operation } : undefined;
}

async function operationFlameGraph({ store, panels }: Deps, given?: { service: string; operation: string }): Promise<void> {
  if (store.empty) {
    void vscode.window.showWarningMessage('Trace Lens: the receiver holds no traces yet. A flame graph of an operation merges the traces it received.');
    return;
  }
  const chosen = given ?? (await pickOperation(store));
  if (!chosen) return;
  const profiled = await whileSlow('Trace Lens: merging…', store.profileOperation(chosen.service, chosen.operation));
  panels.show(profiled, `Flame graph: ${chosen.operation}`);
}

function traceIdOf(given: unknown): string | undefined {
  if (typeof given === 'string') return given;
  const row = (given as { row?: { traceId?: unknown } } | undefined)?.row;
  return typeof row?.traceId === 'string' ? row.traceId : undefined;
}

export function registerCompareCommands(deps: Deps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('traceLens.compareVersions', (args?: CompareVersionsArgs) => compareVersions(deps, args)),
    // From the palette (nothing), the waterfall (its trace's id) or the Traces view (its row, and the rows selected).
    vscode.commands.registerCommand('traceLens.compareTraces', (a?: unknown, b?: unknown) => {
      const selected = Array.isArray(b) ? b.map(traceIdOf).filter((id): id is string => id !== undefined) : [];
      if (selected.length === 2) return compareTraces(deps, selected[0], selected[1]);
      return compareTraces(deps, traceIdOf(a), Array.isArray(b) ? undefined : traceIdOf(b));
    }),
    vscode.commands.registerCommand('traceLens.clearComparison', () => deps.active.clear()),
    vscode.commands.registerCommand('traceLens.operationFlameGraph', (service?: unknown, operation?: unknown) =>
      operationFlameGraph(deps, typeof service === 'string' && typeof operation === 'string' ? { service, operation } : undefined),
    ),
  ];
}
