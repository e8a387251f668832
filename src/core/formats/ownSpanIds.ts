// Each decoded span's own id as two 32-bit halves, as the decoder meets it (from its bytes, or the halves a JSON
// reader made of its hex). Whether two spans of an input share an id is then one table of integers; the trace
// assembler otherwise reads the 16 hex digits of every id again, trace by trace (a twelfth of a receiver's
// protobuf decoding, a twentieth of its JSON).
import { repeatsInHalves } from '../model/parentIndex';

export class OwnSpanIds {
  private halves = new Int32Array(1024);
  private count = 0;
  /** An id of another length was met: the assembler checks each trace itself. */
  private unreadable = false;

  /** The id of `length` bytes at `at`, of a span kept. */
  note(bytes: Uint8Array, at: number, length: number): void {
    if (length !== 8) {
      this.unreadable = true;
      return;
    }
    // Big-endian, as the id's hex reads (the halves a JSON reader notes).
    this.noteHalves(
      (bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3],
      (bytes[at + 4] << 24) | (bytes[at + 5] << 16) | (bytes[at + 6] << 8) | bytes[at + 7],
    );
  }

  /**
   * The id of a span kept, as the values of its first and last eight hex digits. Equal ids give equal halves; ids
   * that are not hex may give equal halves too, and are then checked trace by trace, as any repeat is.
   */
  noteHalves(high: number, low: number): void {
    if (!Number.isInteger(high) || !Number.isInteger(low)) {
      this.unreadable = true;
      return;
    }
    if (2 * this.count + 2 > this.halves.length) {
      const grown = new Int32Array(this.halves.length * 2);
      grown.set(this.halves);
      this.halves = grown;
    }
    this.halves[2 * this.count] = high;
    this.halves[2 * this.count + 1] = low;
    this.count++;
  }

  /** True when no two spans noted share an id; false when some do, or when that is not known (an id not noted, a crowded table). */
  allDistinct(): boolean {
    return !this.unreadable && repeatsInHalves(this.halves, this.count) === false;
  }
}
