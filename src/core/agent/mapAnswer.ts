// The service map for a language model: who calls whom, how often, how many calls fail and how slow they are,
// with a trace to ask about; around one service, its callers, its callees and its operations.
import { formatDuration } from '../analysis/formatDuration';
import { edgeFigures, percent, TYPE_WORDS } from '../analysis/serviceGraph/mapFormats';
import type { MapEdge, MapNode, ServiceMap } from '../analysis/serviceGraph/serviceMap';
import { answer, quoted } from './agentText';
import { counted } from '../analysis/counted';

function nodeText(node: MapNode): string {
  // The callers from outside the traces are a node the map names itself, not one of the spans'.
  return node.type === 'clients' ? node.name : `${TYPE_WORDS[node.type]}${quoted(node.name)}`;
}

function edgeLine(edge: MapEdge, byId: Map<string, MapNode>): string {
  const examples = [edge.latestFailing && `latest failing trace ${edge.latestFailing.traceId}`, edge.slowest && `slowest trace ${edge.slowest.traceId}`];
  const example = examples.filter(Boolean).join(', ');
  return `- ${nodeText(byId.get(edge.from)!)} → ${nodeText(byId.get(edge.to)!)}: ${edgeFigures(edge)}${edge.inCycle ? ' (in a cycle)' : ''}${example ? `; ${example}` : ''}`;
}

function sourceText(map: ServiceMap): string {
  return map.from === 'traces' ? counted(map.traces, 'trace') : `${quoted(map.from.backend)}'s dependency graph (call counts only)`;
}

/** `service`: only the calls into and out of it, and its operations; undefined: every call. */
export function mapAnswer(map: ServiceMap, service?: string): string {
  const byId = new Map(map.nodes.map((n) => [n.id, n]));
  const focus = service === undefined ? undefined : map.nodes.filter((n) => n.name === service);
  if (focus && !focus.length) {
    const names = map.nodes.filter((n) => n.type === 'service').map((n) => quoted(n.name));
    return answer([`No service ${quoted(service!)} in the service map of ${sourceText(map)}. Its services: ${names.join(', ') || 'none'}.`]);
  }
  const ids = focus && new Set(focus.map((n) => n.id));
  const edges = map.edges.filter((e) => !ids || ids.has(e.from) || ids.has(e.to)).sort((a, b) => b.calls - a.calls);
  const lines = [
    `Service map of ${sourceText(map)}: ${map.nodes.length} nodes, ${map.edges.length} edges (caller → callee)${focus ? `; those of ${quoted(service!)}` : ''}, most calls first:`,
    ...edges.map((e) => edgeLine(e, byId)),
  ];
  for (const node of focus ?? []) {
    if (!node.operations.length) continue;
    lines.push(`Operations of ${nodeText(node)}:`);
    for (const op of node.operations)
      lines.push(
        `- ${quoted(op.name)}: ${counted(op.calls, 'call')}, ${percent(op.errors, op.calls)} failed, p50 ${formatDuration(op.p50Ns)}, p95 ${formatDuration(op.p95Ns)}`,
      );
  }
  for (const note of map.notes) lines.push(`Note: ${quoted(note)}`);
  return answer(lines);
}
