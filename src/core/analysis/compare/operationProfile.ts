// Where one operation's time goes, over many traces: each occurrence of the operation (its outermost spans of
// that service and name) is cut out with everything under it and sampled onto one merged call tree. Each call
// gets its time per occurrence and its own time summed; a flame graph sizes a call by the own time of its
// subtree: the work done under it (calls that ran at once add up), so a call's frame always holds its calls'.
import { codeClues } from '../../code/codeClues';
import type { Span, Trace } from '../../model/trace';
import { buildSpanTree } from '../spanTree';
import { CallNodes } from './callTree';
import { gather, SampleTable } from './sampleTable';
import { rowBase, type Compared } from './compareReport';
import { stats } from './groupCompare';
import type { AggregateReport, AggregateReportRow } from './reportTypes';

const MAX_ROWS = 2_000;

export class OperationProfile {
  private readonly firstSpans = new Map<number, Span>();
  private readonly known = new CallNodes((node, span) => this.firstSpans.set(node.key, span));
  private readonly samples = new SampleTable();
  private readonly traceIds = new Set<string>();

  constructor(
    readonly service: string,
    readonly operation: string,
  ) {}

  /** Samples each outermost occurrence of the operation in the trace. */
  add(trace: Trace): void {
    const tree = buildSpanTree(trace);
    const { spans } = trace;
    // Pre-order: an occurrence's subtree is the run of rows deeper than it that follows it.
    const order = tree.order;
    for (let k = 0; k < order.length; k++) {
      const i = order[k];
      if (spans[i].resource.serviceName !== this.service || spans[i].name !== this.operation) continue;
      let end = k + 1;
      while (end < order.length && tree.depth[order[end]] > tree.depth[i]) end++;
      const subtree = Array.from(order.subarray(k, end), (j) => (j === i ? { ...spans[j], parentSpanId: undefined } : spans[j]));
      this.known.sampleInto({ traceId: trace.traceId, startUnixNano: trace.startUnixNano, spans: subtree, warnings: [] }, this.samples);
      this.traceIds.add(trace.traceId);
      k = end - 1;
    }
  }

  get occurrences(): number {
    return this.samples.traces;
  }

  report(): Compared<AggregateReport> {
    const gathered = gather(this.samples);
    const selfSum = new Float64Array(this.known.all.length);
    for (const [key, g] of gathered) selfSum[key] = g.selves.reduce((sum, s) => sum + s, 0);
    // Children are made after their parents: summed up from the last node back, each subtree is complete.
    const subtree = Float64Array.from(selfSum);
    for (let key = this.known.all.length - 1; key >= 0; key--) {
      const parent = this.known.all[key].parent;
      if (parent) subtree[parent.key] += subtree[key];
    }
    const rows: (AggregateReportRow & { span?: Span })[] = [];
    for (const node of this.known.all) {
      const figures = stats(gathered.get(node.key), this.samples);
      if (!figures) continue;
      rows.push({
        ...rowBase(node),
        occurrences: figures.stats.traces,
        spans: figures.stats.spans,
        errors: figures.stats.errors,
        p50Ns: figures.stats.p50Ns,
        p95Ns: figures.stats.p95Ns,
        selfNs: selfSum[node.key],
        subtreeSelfNs: subtree[node.key],
        exemplar: figures.stats.exemplar,
        span: this.firstSpans.get(node.key),
      });
    }
    // The calls that take the most of the operation's time first.
    rows.sort((x, y) => y.subtreeSelfNs - x.subtreeSelfNs);
    const kept = rows.slice(0, MAX_ROWS);
    const notes = this.samples.traces ? [] : [`no trace held has ${this.service} · ${this.operation}`];
    return {
      report: {
        kind: 'aggregate',
        service: this.service,
        operation: this.operation,
        occurrences: this.samples.traces,
        traces: this.traceIds.size,
        rows: kept.map(({ span: _, ...row }) => row),
        rowsLeftOut: rows.length - kept.length,
        notes,
      },
      clues: kept.map((row) => (row.span ? codeClues(row.span) : [])),
    };
  }
}
