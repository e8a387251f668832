// Each decoded span's own id as two 32-bit halves, read from its eight bytes as the decoder meets it. Whether two
// spans of an input share an id is then one table of integers; the trace assembler otherwise reads the 16 hex
// digits of every id again, trace by trace (a twelfth of a receiver's protobuf decoding).
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
    if (2 * this.count + 2 > this.halves.length) {
      const grown = new Int32Array(this.halves.length * 2);
      grown.set(this.halves);
      this.halves = grown;
    }
    // Big-endian, as the id's hex reads: its last digits vary most (ids numbered 1, 2, 3…), and the table's hash
    // places an id by the low bits of its second half.
    this.halves[2 * this.count] = (bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3];
    this.halves[2 * this.count + 1] = (bytes[at + 4] << 24) | (bytes[at + 5] << 16) | (bytes[at + 6] << 8) | bytes[at + 7];
    this.count++;
  }

  /** True when no two spans noted share an id; false when some do, or when that is not known (an id not noted, a crowded table). */
  allDistinct(): boolean {
    return !this.unreadable && repeatsInHalves(this.halves, this.count) === false;
  }
}
