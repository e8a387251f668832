// Numbers the distinct clue sets of a digest. Equal sets are found by their parts in a trie of maps: the parts are
// strings the decoder already holds, whose hashes V8 keeps with them, where a key string joined for every span
// had to be flattened and hashed anew each time (a tenth of the receiver's time per span, profiled at full rate).
import type { CodeClue } from '../code/codeClues';
import type { ClueSet } from './spanDigest';

type Node = Map<unknown, Node | Numbered>;

/** A set's number in the digest being built (`take`): numbers start over with each digest, the trie does not. */
interface Numbered {
  take: number;
  index: number;
}

const NUMBERED = Symbol('numbered');
/** No clue in the thrown slot. Any other part is a kind's tag, a clue's field, or a stack's JSON ('{…'). */
const NONE = 0;
/**
 * Past this many sets the trie starts over, so hostile data (a new route in every span) cannot grow it without end.
 * It does so between digests: one digest never numbers an equal set twice.
 */
export const MAX_INDEXED_SETS = 4096;

export class ClueSetIndex {
  private root: Node = new Map();
  private node: Node = this.root;
  private sets = 0;
  private take = 0;
  /** Sets met before, by identity (a ClueMemo hands the same set to the spans that read alike): no walk. */
  private known = new WeakMap<ClueSet, Numbered>();

  /** Numbers start over (a new digest); the sets seen stay known, unless there are too many. */
  restart(): void {
    this.take++;
    if (this.sets < MAX_INDEXED_SETS) return;
    this.root = new Map();
    this.known = new WeakMap();
    this.sets = 0;
  }

  /** The number of `set`, or of an equal set, in this digest; `add` numbers a set new to it. */
  numberOf(set: ClueSet, add: (set: ClueSet) => number): number {
    let numbered = this.known.get(set);
    if (!numbered) this.known.set(set, (numbered = this.walk(set)));
    if (numbered.take !== this.take) {
      numbered.take = this.take;
      numbered.index = add(set);
    }
    return numbered.index;
  }

  private walk(set: ClueSet): Numbered {
    this.node = this.root;
    this.clue(set.thrown);
    for (const clue of set.clues) this.clue(clue);
    let numbered = this.node.get(NUMBERED) as Numbered | undefined;
    if (!numbered) {
      this.node.set(NUMBERED, (numbered = { take: -1, index: -1 }));
      this.sets++;
    }
    return numbered;
  }

  /** A kind's parts are fixed in number, so one walk cannot read as another. */
  private clue(clue: CodeClue | undefined): void {
    if (!clue) return this.step(NONE);
    switch (clue.kind) {
      case 'route':
        this.step('r');
        this.step(clue.method);
        return this.step(clue.route);
      case 'symbol':
        this.step('s');
        return this.step(clue.name);
      case 'file':
        this.step('f');
        this.step(clue.path);
        this.step(clue.line);
        this.step(clue.column);
        this.step(clue.function);
        return this.step(clue.from);
      default:
        // Stacks: failing spans only, and their frames are objects.
        return this.step(JSON.stringify(clue));
    }
  }

  private step(part: unknown): void {
    let next = this.node.get(part) as Node | undefined;
    if (!next) this.node.set(part, (next = new Map()));
    this.node = next;
  }
}
