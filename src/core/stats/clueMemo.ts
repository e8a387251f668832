// A span's clue set, found by what `codeClues` reads of it rather than made anew for every span: its name, its
// kind, whether it has a parent, and its attributes named in CLUE_ATTRIBUTES (a test holds codeClues to those);
// and for a failing span, the stack of its exception. Spans of one operation repeat these exactly, and the decoder
// gives them the same strings: a walk of a few map lookups where the clues, their set and its number cost a
// receiver a tenth of its time, and a storm of failures parsed one stack per span.
import { CLUE_ATTRIBUTES, codeClues, exceptionStack, thrownClueOf, type CodeClue } from '../code/codeClues';
import { KIND_NUMBER } from '../model/status';
import type { Span } from '../model/trace';
import type { ClueSet } from './spanDigest';

/** Which of CLUE_ATTRIBUTES a key is. */
const SLOTS = new Map(CLUE_ATTRIBUTES.map((key, slot) => [key, slot]));

/**
 * Past this many nodes the memo starts over, so hostile data (a new route in every span) cannot grow it without
 * end; as ClueSetIndex does with sets.
 */
export const MAX_MEMO_NODES = 16_384;

interface Node {
  /** By slot, then by the attribute's value: the node for the spans whose next clue attribute is that one. */
  next: (Map<string | number, Node> | undefined)[];
  /** The set of the spans whose clue attributes end here, once one was seen. */
  set?: ClueSet;
  /** The same for failing spans, by where they threw. */
  thrown?: Map<CodeClue | undefined, ClueSet>;
}

/**
 * Past this many characters of stacks the thrown clues start over (each stack a new text must not grow them
 * without end); a stack of more than a sixteenth of it is parsed each time, never kept.
 */
export const MAX_STACK_CHARS = 4_000_000;
/** A name or clue value longer than this is no key: its span's set is made for it alone (nothing long is kept). */
export const MAX_KEY_CHARS = 1024;

export class ClueMemo {
  /** By name, then by kind and whether there is a parent. */
  private root = new Map<string, (Node | undefined)[]>();
  private nodes = 0;
  /** Where each stack's exception was thrown (undefined: no application frame). */
  private stacks = new Map<string, CodeClue | undefined>();
  private stackChars = 0;

  /** What it holds: nodes (sets for failing spans included) and characters of stacks. */
  get held(): { nodes: number; stackChars: number } {
    return { nodes: this.nodes, stackChars: this.stackChars };
  }

  /**
   * The set of `span`'s clues, the same object for spans that read alike. A path is the span's clue attributes
   * in the order its map holds them: spans that hold the same in another order reach a node of their own, with
   * an equal set, never one of another span's.
   */
  setOf(span: Span): ClueSet {
    const node = this.nodeOf(span);
    if (!node) return { clues: codeClues(span) };
    return (node.set ??= { clues: codeClues(span) });
  }

  /** `setOf` for a failing span: its clues, and where it threw. */
  failingSetOf(span: Span): ClueSet {
    const stack = exceptionStack(span);
    const node = stack !== undefined && stack.length > MAX_STACK_CHARS / 16 ? undefined : this.nodeOf(span);
    if (!node) return { clues: codeClues(span), thrown: thrownClueOf(stack) };
    const thrown = this.thrownClue(stack);
    node.thrown ??= new Map();
    let set = node.thrown.get(thrown);
    if (!set) {
      node.thrown.set(thrown, (set = { clues: (node.set ??= { clues: codeClues(span) }).clues, thrown }));
      this.nodes++;
    }
    return set;
  }

  private thrownClue(stack: string | undefined): CodeClue | undefined {
    if (stack === undefined) return undefined;
    if (this.stacks.has(stack)) return this.stacks.get(stack);
    if (this.stackChars + stack.length > MAX_STACK_CHARS) {
      this.stacks = new Map();
      this.stackChars = 0;
    }
    const clue = thrownClueOf(stack);
    this.stacks.set(stack, clue);
    this.stackChars += stack.length;
    return clue;
  }

  /** The node of the spans that read as `span` does; undefined for one with a name or clue too long to be a key. */
  private nodeOf(span: Span): Node | undefined {
    if (this.nodes >= MAX_MEMO_NODES) {
      this.root = new Map();
      this.nodes = 0;
    }
    if (span.name.length > MAX_KEY_CHARS) return undefined;
    let byKind = this.root.get(span.name);
    if (!byKind) this.root.set(span.name, (byKind = []));
    const kind = (KIND_NUMBER[span.kind] ?? 0) * 2 + (span.parentSpanId === undefined ? 0 : 1);
    let node = byKind[kind] ?? (byKind[kind] = this.node());
    const attributes = span.attributes;
    for (const key in attributes) {
      const slot = SLOTS.get(key);
      if (slot === undefined) continue;
      const value = attributes[key];
      // Only strings and numbers are read as clues: any other value reads as absent, as no value does.
      if (typeof value !== 'string' && typeof value !== 'number') continue;
      if (typeof value === 'string' && value.length > MAX_KEY_CHARS) return undefined;
      const byValue = node.next[slot] ?? (node.next[slot] = new Map());
      let child = byValue.get(value);
      if (!child) byValue.set(value, (child = this.node()));
      node = child;
    }
    return node;
  }

  private node(): Node {
    this.nodes++;
    return { next: [] };
  }
}
