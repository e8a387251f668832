// The first rows of a large trace, as a model of their own: the top of the tree, which the page paints while the
// whole model is still on its way (VS Code passes a million rows to a webview in about three seconds).
import type { WaterfallModel, WaterfallRows } from './rows';

/** Traces with more rows than this are previewed. */
export const PREVIEW_ABOVE = 20_000;
/** Rows in a preview: more than any screen shows. */
export const PREVIEW_ROWS = 500;

/** The first `count` rows of `model`, with only the names they use; `totalRows` says how many the trace has. */
export function previewModel(model: WaterfallModel, count = PREVIEW_ROWS): WaterfallModel {
  const rows = model.rows;
  const n = Math.min(count, rows.span.length);
  const eventEnd = rows.eventStart[n];
  const names = new Map<number, number>();
  const strings: string[] = [];
  const name = rows.name.slice(0, n).map((i) => {
    let mine = names.get(i);
    if (mine === undefined) names.set(i, (mine = strings.push(model.strings[i]) - 1));
    return mine;
  });
  const preview: WaterfallRows = {
    span: rows.span.slice(0, n),
    // Rows come in pre-order: a parent is always before its children, so parents stay; a subtree ends at the cut.
    parent: rows.parent.slice(0, n),
    subtreeEnd: rows.subtreeEnd.slice(0, n).map((end) => Math.min(end, n)),
    depth: rows.depth.slice(0, n),
    startNs: rows.startNs.slice(0, n),
    durationNs: rows.durationNs.slice(0, n),
    service: rows.service.slice(0, n),
    name,
    kind: rows.kind.slice(0, n),
    flags: rows.flags.slice(0, n),
    eventStart: rows.eventStart.slice(0, n + 1),
    eventNs: rows.eventNs.slice(0, eventEnd),
  };
  return {
    ...model,
    failureOriginRow: model.failureOriginRow < n ? model.failureOriginRow : -1,
    strings,
    rows: preview,
    totalRows: rows.span.length,
  };
}
