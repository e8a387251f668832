// Objects made from a run of an input's bytes (a resource, a scope), kept by those bytes: where inputs repeat
// them (a Collector's batch repeats each service's resource per ResourceSpans, and every request of a service
// holds its resource again), their spans share one object, found by a hash of the bytes and a comparison with a
// copy of them, four bytes at a time, without making a string of them to look up. One table may serve many
// inputs in turn (a receiver's requests): `reading` says which.
import { holdsBytes, textHash } from './stringTable';

/** Runs longer than this are made anew each time; past MAX_ENTRIES the table starts over (a bound on hostile ones). */
const MAX_BYTES = 4096;
const MAX_ENTRIES = 512;
/** How many of the last kept runs `findStartingAt` compares (a batch's resources are a few services'). */
const RECENT = 16;

export interface Entry<T> {
  bytes: DataView;
  length: number;
  value: T;
}

const NO_INPUT = new Uint8Array(0);

export class SharedByBytes<T> {
  private input: Uint8Array = NO_INPUT;
  private view: DataView = new DataView(NO_INPUT.buffer);
  private entries = new Map<number, Entry<T>>();
  private recent: Entry<T>[] = [];
  /** The run `find` was last asked about, for `keep` (its hash, or undefined when it is not to be kept). */
  private hash: number | undefined;
  private start = 0;
  private end = 0;

  /** The input looked in from now on. */
  reading(input: Uint8Array): this {
    this.input = input;
    this.view = new DataView(input.buffer, input.byteOffset, input.byteLength);
    this.hash = undefined;
    return this;
  }

  /** The object kept for bytes [start, end), if any. */
  find(start: number, end: number): T | undefined {
    this.hash = undefined;
    if (end - start > MAX_BYTES) return undefined;
    const hash = textHash(this.view, start, end);
    const entry = this.entries.get(hash);
    if (entry === undefined) {
      [this.hash, this.start, this.end] = [hash, start, end];
      return undefined;
    }
    return entry.length === end - start && this.holds(entry, start) ? entry.value : undefined;
  }

  /**
   * A kept run that the bytes at `start` begin with, and its length: where only whole JSON values are kept, the
   * value at `start` is that one (a JSON object or list ends where its bytes say), found before its end is.
   */
  findStartingAt(start: number): Entry<T> | undefined {
    const room = this.input.length - start;
    for (let i = this.recent.length - 1; i >= Math.max(0, this.recent.length - RECENT); i--) {
      const entry = this.recent[i];
      if (entry.length <= room && this.holds(entry, start)) return entry;
    }
    return undefined;
  }

  /** Keeps `value` for the bytes `find` last found nothing for (unless another run took their hash first). */
  keep(value: T): void {
    if (this.hash === undefined) return;
    if (this.entries.size >= MAX_ENTRIES) {
      this.entries = new Map();
      this.recent = [];
    }
    const bytes = new Uint8Array(this.input.subarray(this.start, this.end));
    const entry = { bytes: new DataView(bytes.buffer), length: bytes.length, value };
    this.entries.set(this.hash, entry);
    this.recent.push(entry);
    this.hash = undefined;
  }

  private holds({ bytes, length }: Entry<T>, start: number): boolean {
    return holdsBytes(bytes, length, this.view, start);
  }
}
