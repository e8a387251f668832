// The typed contract between the extension and the waterfall webview: both bundles import it. The row layout and
// span details are core's (it builds them); they are re-exported here as part of the contract.

export { ROW_FLAGS, SPAN_KINDS, type WaterfallModel, type WaterfallRows } from '../core/waterfall/rows';
export type { SpanDetails } from '../core/waterfall/spanDetails';
import type { ColumnPart } from '../core/waterfall/columnParts';
import type { WaterfallModel } from '../core/waterfall/rows';
import type { SpanDetails } from '../core/waterfall/spanDetails';

/** State the webview keeps across reloads (VS Code's setState): what to reopen, never trace data. */
export interface WaterfallViewState {
  traceId: string;
  spanId?: string;
  /** The trace file it came from, so a restored panel can read it again. */
  file?: string;
}

/** A finding as the waterfall shows it: its title, and the rows of the spans involved (in row order). */
export interface WaterfallFinding {
  fingerprint: string;
  kind: string;
  severity: 'info' | 'warning' | 'error';
  title: string;
  rows: Int32Array;
}

export type ToWebview =
  /** `nameWidth`: the name column's width the user last dragged to, in pixels. */
  /** A model without rows: its columns came ahead of it (see 'column'). */
  | { type: 'trace'; model: WaterfallModel | (Omit<WaterfallModel, 'rows'> & { rows?: undefined }); file?: string; selectRow?: number; nameWidth?: number }
  /** A part of a large trace's column (columnParts.ts), ahead of its 'trace', whose model then comes with no rows. */
  | ({ type: 'column' } & ColumnPart)
  | { type: 'select'; row: number }
  | { type: 'unavailable'; message: string }
  | { type: 'details'; requestId: number; details: SpanDetails | undefined }
  /** The trace's findings (sent again when they change); `pickFinding` selects one of them. */
  | { type: 'findings'; findings: WaterfallFinding[] }
  | { type: 'pickFinding'; fingerprint: string }
  /** Matches arrive in slices, in row order; `done` closes the search. */
  | { type: 'searchResults'; requestId: number; rows: Int32Array; done: boolean };

export type FromWebview =
  | { type: 'ready' }
  | { type: 'selectSpan'; requestId: number; span: number }
  | { type: 'search'; requestId: number; query: string }
  | { type: 'copy'; text: string }
  | { type: 'openTrace'; traceId: string; spanId?: string }
  | { type: 'goToCode'; span: number; failure: boolean }
  /** A stack frame's link: line `line` of the stack trace of the span's event `event`. */
  | { type: 'openFrame'; span: number; event: number; line: number }
  | { type: 'nameWidth'; px: number }
  /** Compare this trace with another the window holds. */
  | { type: 'compareWith' }
  /** Save this trace as a file (an OTLP export request). */
  | { type: 'saveAs' }
  /** Show the service map with this trace's path lit. */
  | { type: 'showOnMap' };
