// trace-lens findings: the problems the detectors find in trace files (N+1 queries, calls in a loop, retry storms,
// broken propagation, where failures began, bottlenecks), grouped by fingerprint, with the code they map to when
// --root names the workspace. --fail-on makes it a CI gate: exit 1 when a finding of those kinds is present.
import { relative } from 'node:path';
import { formatDuration } from '../core/analysis/formatDuration';
import { detectFindings } from '../core/analysis/findings/detectFindings';
import { FINDING_KINDS, type FindingKind } from '../core/analysis/findings/finding';
import { FindingGroups } from '../core/analysis/findings/findingGroups';
import { placeFindings } from '../core/analysis/findings/placedFinding';
import { addInstrumentedPeers } from '../core/analysis/findings/instrumentedPeers';
import { DEFAULT_THRESHOLDS, type FindingThresholds } from '../core/analysis/findings/thresholds';
import { toTraceFindings } from '../core/analysis/findings/traceFinding';
import type { Trace } from '../core/model/trace';
import type { CodeClue } from '../core/code/codeClues';
import type { CodeLocation } from '../core/code/codeLocation';
import { CodeIndex } from '../core/stats/codeIndex';
import { UsageError, type ParsedArgs } from './args';
import { terminalField } from './terminal';
import { readTraces, workspaceInputs, workspaceRoot } from './workspace';
import { counted } from '../core/analysis/counted';

export const FINDINGS_USAGE = 'trace-lens findings <trace files…> [--root <dir>] [--json] [--fail-on kind,kind|all] [--disable kind,kind]';

function kinds(args: ParsedArgs, flag: string): FindingKind[] {
  const raw = args.options.get(flag);
  if (raw === undefined) return [];
  if (raw === true) throw new UsageError(`--${flag} needs a list of kinds: ${FINDING_KINDS.join(', ')} (or all)`);
  if (raw === 'all') return [...FINDING_KINDS];
  const named = raw.split(',').map((k) => k.trim());
  const unknown = named.filter((k) => !(FINDING_KINDS as readonly string[]).includes(k));
  if (unknown.length) throw new UsageError(`--${flag}: unknown kind "${unknown[0]}" (kinds: ${FINDING_KINDS.join(', ')}, all)`);
  return named as FindingKind[];
}

/** The findings of trace files, grouped across them, and what the detectors could not judge. */
export function groupFindings(traces: readonly Trace[], thresholds: FindingThresholds = DEFAULT_THRESHOLDS): { groups: FindingGroups; problems: string[] } {
  // A call counts as unanswered only to a peer these files show serving requests.
  const instrumentedPeers = new Set<string>();
  for (const trace of traces) addInstrumentedPeers(trace, instrumentedPeers);
  const groups = new FindingGroups();
  const problems: string[] = [];
  traces.forEach((trace, order) => {
    const detected = detectFindings(trace, { thresholds, instrumentedPeers });
    problems.push(...detected.problems.map((p) => `trace ${trace.traceId}: ${p}`));
    // Files carry no arrival time: their order stands in for it (later files count as seen later).
    groups.add(trace.traceId, order, toTraceFindings(trace, detected.findings));
  });
  return { groups, problems };
}

/** Returns the exit code: 1 when a finding of a --fail-on kind is present, else 0. */
export function findingsCommand(args: ParsedArgs, out: (text: string) => void): number {
  if (args.positional.length === 0) throw new UsageError(`findings needs at least one trace file: ${FINDINGS_USAGE}`);
  const failOn = kinds(args, 'fail-on');
  const thresholds = { ...DEFAULT_THRESHOLDS, disabled: kinds(args, 'disable') };
  const traces = [...readTraces(args.positional)];
  const { groups, problems } = groupFindings(traces, thresholds);
  const rootOption = args.options.get('root');
  const root = typeof rootOption === 'string' ? workspaceRoot(rootOption) : undefined;
  const index = root ? new CodeIndex(workspaceInputs(root)) : undefined;
  const locate = (clues: CodeClue[]) => index?.locateClues(clues);
  const where = (location: CodeLocation | undefined) => (location ? { file: relative(root!, location.file), line: location.line ?? null } : null);
  const placed = placeFindings(groups.groups(), locate);
  const listed = placed.map(({ group: { firstSeenMs: _first, lastSeenMs: _last, exemplars, ...group } }) => {
    const exemplar = exemplars[0];
    return {
      ...group,
      durationNs: exemplar.durationNs,
      savingNs: exemplar.savingNs ?? null,
      code: where(locate(exemplar.anchorClues)),
      call: where(locate(exemplar.callClues)),
      exemplars: exemplars.map((e) => ({ traceId: e.traceId, spanIds: e.spanIds.slice(0, 20), spanCount: e.spanCount })),
    };
  });
  const failing = listed.filter((g) => failOn.includes(g.kind));
  if (args.options.has('json')) out(JSON.stringify({ traces: traces.length, findings: listed, problems }));
  else {
    const lines = listed.map((g, i) => {
      const at = where(placed[i].location);
      const place = at ? `  ${terminalField(`${at.file}:${at.line ?? '?'}`)}` : '';
      const saving = g.savingNs ? ` · a fix saves ~${formatDuration(g.savingNs)}` : '';
      return `${g.severity === 'error' ? '✗' : g.severity === 'warning' ? '!' : 'i'} ${terminalField(g.title)}${saving}\n    in ${g.traces} of ${counted(traces.length, 'trace')}, e.g. ${g.exemplars[0].traceId}${place}`;
    });
    out(lines.length ? lines.join('\n') : `no findings in ${counted(traces.length, 'trace')}`);
    for (const problem of problems) out(`note: ${terminalField(problem)}`);
    if (failing.length) out(`\n${counted(failing.length, 'finding')} of a --fail-on kind (${failOn.join(', ')})`);
  }
  return failing.length ? 1 : 0;
}
