// A typed column filled one value at a time, doubling when full: a skim counts a file's spans only at its end,
// and values kept outside the JS heap leave its collector alone while a large file is read.
type Typed = Float64Array | Uint32Array | Int32Array | Uint8Array;

export class GrowingColumn<T extends Typed> {
  private values: T;
  length = 0;

  constructor(
    private readonly make: (capacity: number) => T,
    capacity = 4096,
  ) {
    this.values = make(capacity);
  }

  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = this.make(this.values.length * 2);
      grown.set(this.values as ArrayLike<number>);
      this.values = grown;
    }
    this.values[this.length++] = value;
  }

  at(index: number): number {
    return this.values[index];
  }

  /** The values pushed (a view of them: the column is not pushed to afterwards). */
  filled(): T {
    return this.values.subarray(0, this.length) as T;
  }
}
