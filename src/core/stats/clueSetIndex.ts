// Numbers the distinct clue sets of a digest: equal sets, by a key of their parts, get one number. A digest's
// spans mostly hand it the same set objects again (ClueMemo), known by identity; a key is made once per set.
import type { CodeClue } from '../code/codeClues';
import type { ClueSet } from './spanDigest';

/**
 * A set's number in the digest being built (`take`): numbers start over with each digest, the keys do not; and its
 * id, which never changes and is never given to another set.
 */
interface Numbered {
  take: number;
  index: number;
  id: number;
}

/**
 * Past this many sets the keys start over, so hostile data (a new route in every span) cannot grow them without
 * end. They do so between digests: one digest never numbers an equal set twice.
 */
export const MAX_INDEXED_SETS = 4096;

/**
 * A value, so written that it ends itself: a string by its length first, so that no character it holds (span data
 * is hostile) can pass for the end of it, as one could in a key joined with NULs.
 */
function part(value: string | number | boolean | undefined): string {
  if (value === undefined) return '_';
  return typeof value === 'string' ? `${value.length}:${value}` : `${typeof value === 'number' ? 'n' : 'b'}${value};`;
}

/** A clue's parts, a fixed number per kind, after a tag of its kind: it too ends itself. */
function clueKey(clue: CodeClue | undefined): string {
  if (!clue) return '_';
  switch (clue.kind) {
    case 'route':
      return `r${part(clue.method)}${part(clue.route)}`;
    case 'symbol':
      return `s${part(clue.name)}`;
    case 'file':
      return `f${part(clue.path)}${part(clue.line)}${part(clue.column)}${part(clue.function)}${part(clue.from)}`;
    default: {
      let key = `k${part(clue.from)}${part(clue.frames.length)}`;
      for (const f of clue.frames) key += `${part(f.file)}${part(f.line)}${part(f.column)}${part(f.function)}${part(f.library)}`;
      return key;
    }
  }
}

/** Equal for equal clue sets, and only for them. */
export function clueSetKey(set: ClueSet): string {
  let key = `${clueKey(set.thrown)}${part(set.clues.length)}`;
  for (const clue of set.clues) key += clueKey(clue);
  return key;
}

export class ClueSetIndex {
  private byKey = new Map<string, Numbered>();
  private take = 0;
  private nextId = 0;
  /** Sets met before, by identity: no key to make. */
  private known = new WeakMap<ClueSet, Numbered>();

  /** Numbers start over (a new digest); the sets seen stay known, unless there are too many. */
  restart(): void {
    this.take++;
    if (this.byKey.size < MAX_INDEXED_SETS) return;
    this.byKey = new Map();
    this.known = new WeakMap();
  }

  /** The number of `set`, or of an equal set, in this digest; `add` numbers a set new to it, given the set's id. */
  numberOf(set: ClueSet, add: (set: ClueSet, id: number) => number): number {
    let numbered = this.known.get(set);
    if (!numbered) {
      const key = clueSetKey(set);
      numbered = this.byKey.get(key);
      if (!numbered) this.byKey.set(key, (numbered = { take: -1, index: -1, id: this.nextId++ }));
      this.known.set(set, numbered);
    }
    if (numbered.take !== this.take) {
      numbered.take = this.take;
      numbered.index = add(set, numbered.id);
    }
    return numbered.index;
  }
}
