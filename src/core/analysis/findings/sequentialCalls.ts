// Independent calls made one after another that could run side by side (Sentry's consecutive DB and HTTP rules):
// reads of different statements, each at least 30 ms, where running them in parallel would save at least a tenth
// of the trace; or at least 4 HTTP calls of over 500 ms each, at most 500 ms apart, saving at least 2 s. Only
// SELECTs count as independent queries: writes usually depend on what ran before them.
import type { Span } from '../../model/trace';
import type { SpanTree } from '../spanTree';
import { mainRoot } from '../criticalPath';
import { formatDuration } from '../formatDuration';
import { QUERY, REMOTE_CALL } from './callIndex';
import type { DetectorContext } from './detectorContext';
import { fingerprintOf, type Finding } from './finding';
import { longest, totalDuration } from './repeats';
import { MS } from './thresholds';

interface ChainRule {
  /** The child's key when it can join a chain, else undefined (it ends the chain). */
  keyOf(i: number): string | undefined;
  minLength: number;
  /** The most idle time allowed between two calls of the chain. */
  maxGapNs: number;
  isWorthIt(savingNs: number): boolean;
  noun: string;
}

export function sequentialCalls({ trace, tree, calls: index, thresholds }: DetectorContext): Finding[] {
  const root = mainRoot(trace, tree);
  if (root < 0) return [];
  const traceNs = trace.spans[root].durationNs;
  const queries: ChainRule = {
    keyOf: (i) => {
      const key = index.role[i] === QUERY && trace.spans[i].durationNs >= thresholds.sequentialQueryMs * MS ? index.key(i) : undefined;
      return key && /^SELECT\b/i.test(key) ? key : undefined;
    },
    minLength: 2,
    maxGapNs: Infinity,
    isWorthIt: (saving) => saving >= thresholds.sequentialShare * traceNs,
    noun: 'queries',
  };
  const calls: ChainRule = {
    keyOf: (i) => (index.role[i] === REMOTE_CALL && trace.spans[i].durationNs > thresholds.sequentialCallMs * MS ? index.key(i) : undefined),
    minLength: thresholds.sequentialCalls,
    maxGapNs: thresholds.sequentialCallMs * MS,
    isWorthIt: (saving) => saving >= thresholds.sequentialSavingMs * MS,
    noun: 'HTTP calls',
  };
  return [...chains(trace.spans, tree, queries), ...chains(trace.spans, tree, calls)];
}

function chains(spans: Span[], tree: SpanTree, rule: ChainRule): Finding[] {
  const findings: Finding[] = [];
  for (let parent = 0; parent < spans.length; parent++) {
    const first = tree.childStart[parent];
    const last = tree.childStart[parent + 1];
    if (last - first < rule.minLength) continue;
    let chain: number[] = [];
    let keys: string[] = [];
    const close = () => {
      const finding = chain.length >= rule.minLength ? judge(spans, parent, chain, keys, rule) : undefined;
      if (finding) findings.push(finding);
      chain = [];
      keys = [];
    };
    for (let c = first; c < last; c++) {
      const child = tree.childList[c];
      const key = rule.keyOf(child);
      if (key === undefined) {
        close();
        continue;
      }
      const previous = chain.length ? spans[chain[chain.length - 1]] : undefined;
      if (previous) {
        const gap = spans[child].startNs - (previous.startNs + previous.durationNs);
        // Overlapping calls already run in parallel; a long pause means something else happened between.
        if (gap < 0 || gap > rule.maxGapNs) close();
      }
      chain.push(child);
      keys.push(key);
    }
    close();
  }
  return findings;
}

function judge(spans: Span[], parent: number, chain: number[], keys: string[], rule: ChainRule): Finding | undefined {
  // Repeats of one call are a loop (another finding), not independent work.
  const distinct = new Set(keys);
  if (distinct.size < 2) return undefined;
  const total = totalDuration(spans, chain);
  const saving = total - longest(spans, chain);
  if (!rule.isWorthIt(saving)) return undefined;
  const owner = spans[parent];
  return {
    kind: 'sequential-calls',
    severity: 'info',
    title: `Sequential ${rule.noun}: ${chain.length} independent ${rule.noun} ran one after another (${formatDuration(total)}; in parallel ${formatDuration(longest(spans, chain))})`,
    spans: chain,
    anchor: parent,
    call: chain[0],
    fingerprint: fingerprintOf('sequential-calls', owner.resource.serviceName, owner.name, ...[...distinct].sort()),
    durationNs: total,
    savingNs: saving,
  };
}
