// The typed contract between the extension and the service map webview: both bundles import it.
import type { ServiceMap } from '../core/analysis/serviceGraph/serviceMap';

export type { MapEdge, MapNode, ServiceMap } from '../core/analysis/serviceGraph/serviceMap';

/** Where the map comes from: the traces Trace Lens holds, or a backend's dependency graph (by source name). */
export interface MapSourceChoice {
  sources: string[];
  source: string;
  /** A backend's graph covers this window (ms back from now); the held traces have none. */
  lookbackMs?: number;
}

export type ToMap =
  | {
      type: 'map';
      map: ServiceMap;
      choice: MapSourceChoice;
      /** Per node id, per operation (by index): where its code is ("orders.mjs:24"), or null. */
      code: Record<string, (string | null)[]>;
      /** The nodes and edges ("from\u0000to") of one trace's path, to highlight. */
      highlight?: { traceId: string; nodes: string[]; edges: string[] };
    }
  | { type: 'error'; message: string };

export type FromMap =
  | { type: 'ready' }
  | { type: 'choose'; source: string; lookbackMs?: number }
  | { type: 'refresh' }
  | { type: 'openTrace'; traceId: string; spanId?: string }
  | { type: 'openCode'; node: string; operation: number };
