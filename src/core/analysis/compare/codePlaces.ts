// The merged call tree's nodes grouped by the place in the code they run (a function, a route's handler), for
// comparisons per code location: a function called from three paths is three nodes and one place. A node's
// place is what its first span's most trusted code clue names; nodes whose spans name none have no place.
// Each trace's node samples are summed per place, so no span is read again.
import { codeClues, type CodeClue } from '../../code/codeClues';
import type { Span } from '../../model/trace';
import type { CallNode } from './callTree';
import type { SampleTable } from './sampleTable';

/** The key and the label of the place a clue names, or undefined when it names none that groups well. */
function placeOf(clue: CodeClue | undefined): { key: string; label: string } | undefined {
  switch (clue?.kind) {
    case 'file': {
      const base = clue.path.split(/[\\/]/).pop() ?? clue.path;
      return clue.function
        ? { key: `file\u0000${clue.path}\u0000${clue.function}`, label: clue.function }
        : { key: `file\u0000${clue.path}\u0000${clue.line ?? ''}`, label: `${base}:${clue.line ?? '?'}` };
    }
    case 'symbol':
      return { key: `symbol\u0000${clue.name}`, label: clue.name };
    case 'route': {
      const label = clue.method ? `${clue.method} ${clue.route}` : clue.route;
      return { key: `route\u0000${label}`, label };
    }
    default:
      // A stack names where a failure was raised, not the code the span is: it does not group calls.
      return undefined;
  }
}

export class CodePlaces {
  /** The places found, as nodes of a flat tree (no parents), so the group statistics run on them unchanged. */
  readonly all: CallNode[] = [];
  /** Each place's clues (those of the first span seen there). */
  readonly clues: CodeClue[][] = [];
  private readonly byKey = new Map<string, number>();
  /** Each call node's place, or -1 for none. */
  private readonly placeOfNode: number[] = [];

  /** `first`: the first span seen of a call node, whose clues name its place. */
  constructor(private readonly first: (nodeKey: number) => Span | undefined) {}

  private place(node: CallNode): number {
    const known = this.placeOfNode[node.key];
    if (known !== undefined) return known;
    const span = this.first(node.key);
    const clues = span ? codeClues(span) : [];
    const place = placeOf(clues[0]);
    let index = -1;
    if (place) {
      const key = `${node.service}\u0000${place.key}`;
      index = this.byKey.get(key) ?? -1;
      if (index < 0) {
        index = this.all.length;
        this.byKey.set(key, index);
        this.all.push({ key: index, service: node.service, name: place.label, depth: 0, parent: undefined });
        this.clues.push(clues);
      }
    }
    this.placeOfNode[node.key] = index;
    return index;
  }

  /** The last trace's rows of `nodesTable` (those from row `from` on), summed per place into `into`. */
  sampleRows(nodesTable: SampleTable, from: number, nodes: readonly CallNode[], into: SampleTable): void {
    into.beginTrace(nodesTable.traceIds[nodesTable.traces - 1]);
    for (let row = from; row < nodesTable.length; row++) {
      const place = this.place(nodes[nodesTable.key[row]]);
      if (place < 0) continue;
      into.add(place, nodesTable.count[row], nodesTable.totalNs[row], nodesTable.selfNs[row], nodesTable.errors[row], nodesTable.firstSpanIds[row]);
    }
    into.endTrace(nodesTable.durations[nodesTable.traces - 1]);
  }
}
