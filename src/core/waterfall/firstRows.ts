// A large trace's first rows from a skim (spanSkim.ts) of its file before any span is decoded, or of the spans a
// receiver holds before they are copied and written out: the tree, critical path, failure origin and summary from
// the skim's columns, names and events read for the shown rows alone. They equal the decoded trace's first rows
// (previewModel of prepareTrace), which a test holds to: clock skew is corrected here by the decode's own
// adjustment, on the columns.
import { applyShifts, skewShifts, skewWarning } from '../analysis/clockSkew';
import { criticalPathOf, mainRootOf } from '../analysis/criticalPath';
import { failureOriginOf } from '../analysis/failureOrigin';
import { missingParentWarning, treeShape } from '../analysis/spanTree';
import { KIND_CLIENT, KIND_SERVER, SkimUnread, type SpanSkim } from '../formats/spanSkim';
import { spanKindFrom } from '../model/status';
import { PREVIEW_ROWS } from './previewModel';
import { emptyRows, fillTreeColumns, ROW_FLAGS, SPAN_KINDS, type WaterfallModel, type WaterfallRows } from './rows';

/** SPAN_KINDS index of each OTLP kind number (255: any other number, unspecified). */
const ROW_KIND = Array.from({ length: 256 }, (_, n) => SPAN_KINDS.indexOf(spanKindFrom(n) ?? 'unspecified'));

type Shape = ReturnType<typeof treeShape>;

export function firstRowsOfSkim(skim: SpanSkim, count = PREVIEW_ROWS): WaterfallModel | { unread: string } {
  let shape = treeShape(skim.parent, skim.startNs);
  if (shape.order.length < skim.count) return { unread: 'parents that make a cycle' };
  try {
    const moved = adjustSkew(skim, shape);
    // Moved spans may come in another order: the tree is shaped again, as the decoded trace's rows are.
    if (moved.length) shape = treeShape(skim.parent, skim.startNs);
    // In checkStructure's order: the tree's warnings, then the moves.
    const warnings = [...orphanWarnings(skim), ...moved];
    return modelOf(skim, shape, count, warnings);
  } catch (error) {
    if (error instanceof SkimUnread) return { unread: error.message };
    throw error;
  }
}

function orphanWarnings(skim: SpanSkim): string[] {
  return skim.orphans.map((i) => {
    const { spanId, parentSpanId, name } = skim.partsOf(i);
    return missingParentWarning(spanId, parentSpanId, name).message;
  });
}

/** checkStructure's clock-skew correction (clockSkew.ts) on the skim's columns, in place; its warnings. */
function adjustSkew(skim: SpanSkim, shape: Shape): string[] {
  const { parent, kind } = skim;
  const skew = skewShifts({
    order: shape.order,
    parent,
    startNs: skim.startNs,
    durationNs: skim.durationNs,
    isRpcPair: (p, c) => kind[p] === KIND_CLIENT && kind[c] === KIND_SERVER,
  });
  if (!skew) return [];
  const spanId = (i: number) => skim.partsOf(i).spanId;
  const service = (i: number) => skim.services[skim.resource[i]];
  const warnings = skew.moves.map((move) => skewWarning(move, spanId, service).message);
  skim.startUnixNano += BigInt(applyShifts(skim.startNs, skew.shift));
  return warnings;
}

function modelOf(skim: SpanSkim, shape: Shape, count: number, warnings: string[]): WaterfallModel {
  const n = skim.count;
  const tree = { parent: skim.parent, ...shape };
  const critical = criticalPathOf(skim.startNs.slice(), skim.durationNs, tree).onPath;
  let errorCount = 0;
  let durationNs = 0;
  const used = new Uint8Array(skim.services.length);
  for (let i = 0; i < n; i++) {
    errorCount += skim.failed[i];
    durationNs = Math.max(durationNs, skim.startNs[i] + skim.durationNs[i]);
    used[skim.resource[i]] = 1;
  }
  const services = [...new Set(skim.services.filter((_, k) => used[k]))].sort();
  const serviceIndex = new Map(services.map((s, i) => [s, i]));
  const rows = rowsOf(skim, shape, Math.min(count, n), critical, serviceIndex);
  const root = mainRootOf(shape.roots, (i) => skim.durationNs[i]);
  const origin = errorCount ? failureOriginOf(skim.failed, skim.startNs, tree) : -1;
  const originRow = origin < 0 ? -1 : rows.rows.span.indexOf(origin);
  return {
    traceId: skim.traceId,
    startEpochMs: Number(skim.startUnixNano / 1_000_000n),
    durationNs,
    rootService: skim.services[skim.resource[root]],
    rootName: skim.partsOf(root).name,
    services,
    errorCount,
    failureOriginRow: originRow,
    warnings,
    strings: rows.strings,
    rows: rows.rows,
    totalRows: n,
  };
}

/** The first `m` rows in pre-order, each span's name and events read from its message. */
function rowsOf(skim: SpanSkim, shape: Shape, m: number, critical: Uint8Array, serviceIndex: Map<string, number>): { rows: WaterfallRows; strings: string[] } {
  const strings: string[] = [];
  const names = new Map<string, number>();
  const eventOffsets: number[][] = [];
  const rows: WaterfallRows = { ...emptyRows(m), span: shape.order.slice(0, m) };
  for (let r = 0; r < m; r++) {
    const i = rows.span[r];
    const parts = skim.partsOf(i);
    let name = names.get(parts.name);
    if (name === undefined) names.set(parts.name, (name = strings.push(parts.name) - 1));
    rows.depth[r] = shape.depth[i];
    rows.startNs[r] = skim.startNs[i];
    rows.durationNs[r] = skim.durationNs[i];
    rows.service[r] = serviceIndex.get(skim.services[skim.resource[i]]) ?? 0;
    rows.name[r] = name;
    rows.kind[r] = ROW_KIND[skim.kind[i]];
    rows.flags[r] = (skim.failed[i] ? ROW_FLAGS.error : 0) | (critical[i] ? ROW_FLAGS.critical : 0);
    rows.eventStart[r + 1] = rows.eventStart[r] + parts.eventOffsets.length;
    eventOffsets.push(parts.eventOffsets);
  }
  rows.eventNs = new Float64Array(rows.eventStart[m]);
  eventOffsets.forEach((offsets, r) => offsets.forEach((offset, k) => (rows.eventNs[rows.eventStart[r] + k] = rows.startNs[r] + offset)));
  fillTreeColumns(rows);
  return { rows, strings };
}
