// The typed contract between the extension and the comparison report webview: both bundles import it.
import type { CompareReport } from '../core/analysis/compare/reportTypes';

export type {
  AggregateReport,
  CompareReport,
  ReportRowBase,
  GroupReport,
  GroupReportRow,
  TraceReport,
  TraceReportRow,
} from '../core/analysis/compare/reportTypes';

/**
 * Where a row's call is in the workspace, as the report shows it ("orders.mjs:24"); null where unresolved. One
 * per row of the report, then (two groups) one per place: a code link names its row by that index.
 */
export type RowPlace = { label: string } | null;

export type ToReport = { type: 'report'; report: CompareReport; places: RowPlace[] };

export type FromReport =
  | { type: 'ready' }
  | { type: 'openTrace'; traceId: string; spanId?: string }
  /** The code of the row at this index of the report's rows. */
  | { type: 'openCode'; row: number };
