// A typed column filled one value at a time, doubling when full: a skim counts a file's spans only at its end,
// and values kept outside the JS heap leave its collector alone while a large file is read.
export type Typed = Float64Array | Uint32Array | Int32Array | Uint8Array;

/** `values` copied into a column of their type with room for `size`. */
export function grown<T extends Typed>(values: T, size: number): T {
  const larger = new (values.constructor as new (n: number) => T)(size);
  larger.set(values as ArrayLike<number>);
  return larger;
}

export class GrowingColumn<T extends Typed> {
  private values: T;
  length = 0;

  constructor(make: (capacity: number) => T, capacity = 4096) {
    this.values = make(capacity);
  }

  push(value: number): void {
    if (this.length === this.values.length) this.values = grown(this.values, this.values.length * 2);
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
