// A large trace's columns cross to the page in parts: VS Code copies a message's buffers on the extension host's
// thread, writes them to the window, and the window copies them again into the page, each as one piece of work.
// A 1M-row column of 8 MB held the host for over 100 ms and the window for a second; parts of 1 MiB do not.
// No imports but types: the webview bundle shares it.
import type { WaterfallRows } from './rows';

/** Values per part: 1 MiB of a Float64 column. */
export const COLUMN_PART_VALUES = 131_072;

type Column = WaterfallRows[keyof WaterfallRows];

export interface ColumnPart {
  name: keyof WaterfallRows;
  /** Values offset … offset + values.length - 1 of the column, in a buffer of their own. */
  values: Column;
  offset: number;
  /** The whole column's length. */
  length: number;
}

/**
 * Each column in parts of at most `size` values (an empty column as one empty part). Each part has a buffer of its
 * own: VS Code sends a view's whole buffer, so a view into the column would send all of it. A column that is one
 * part and owns its buffer goes as it is: copying 100k rows' columns made megabytes of garbage on the extension
 * host for nothing, and its collector paused the host while a trace opened.
 */
export function* columnParts(rows: WaterfallRows, size = COLUMN_PART_VALUES): Generator<ColumnPart> {
  for (const [name, column] of Object.entries(rows) as [keyof WaterfallRows, Column][]) {
    if (column.length <= size && column.byteLength === column.buffer.byteLength) {
      yield { name, values: column, offset: 0, length: column.length };
      continue;
    }
    let offset = 0;
    do {
      yield { name, values: column.slice(offset, offset + size), offset, length: column.length };
      offset += size;
    } while (offset < column.length);
  }
}

/** The page's side: parts put back into whole columns. */
export class ColumnAssembly {
  private columns: Partial<Record<keyof WaterfallRows, Column>> = {};

  add({ name, values, offset, length }: ColumnPart): void {
    let column = this.columns[name];
    if (!column || column.length !== length) {
      const Typed = values.constructor as new (n: number) => Column;
      this.columns[name] = column = new Typed(length);
    }
    (column as Float64Array).set(values as Float64Array, offset);
  }

  /** The columns put together so far; the assembly starts empty again. */
  take(): WaterfallRows {
    const rows = this.columns as WaterfallRows;
    this.columns = {};
    return rows;
  }
}
