// A large trace's columns cross to the page in parts: VS Code copies a message's buffers on the extension host's
// thread, writes them to the window (compressing them, when the window is remote), and the window copies them
// again into the page, each as one piece of work. A 1M-row column of 8 MB held the host for over 100 ms and the
// window for a second; parts of 1 MiB do not. What the page can make itself does not cross: parents and subtree
// ends follow from depths. Whole numbers cross in the fewest bytes that hold them: depths, names and services
// (most traces' all) in two, and times in nanoseconds in four where they are under 4.29 s (most traces' all).
// Imports only what the webview bundle may share (rows.ts, previewModel.ts).
import { fillTreeColumns, ROW_COLUMN_TYPES, type WaterfallModel, type WaterfallRows } from './rows';
import { PREVIEW_ABOVE, previewModel } from './previewModel';

/** Values per part: 1 MiB of a Float64 column. */
export const COLUMN_PART_VALUES = 131_072;

type Column = WaterfallRows[keyof WaterfallRows];
type Crossing = Column | Uint16Array | Uint32Array;

/** Made by the page from the other columns (ColumnAssembly.take). */
const DERIVED: ReadonlySet<keyof WaterfallRows> = new Set(['parent', 'subtreeEnd']);

export interface ColumnPart {
  name: keyof WaterfallRows;
  /** Values offset … offset + values.length - 1 of the column, in a buffer of their own (maybe narrower than it). */
  values: Crossing;
  offset: number;
  /** The whole column's length. */
  length: number;
}

/**
 * Each column in parts of at most `size` values (an empty column as one empty part), but those the page derives.
 * Each part has a buffer of its own: VS Code sends a view's whole buffer, so a view into the column would send all
 * of it. A column that is one part, owns its buffer and cannot be narrowed goes as it is: copying 100k rows'
 * columns made megabytes of garbage on the extension host for nothing, and its collector paused the host.
 */
export function* columnParts(rows: WaterfallRows, size = COLUMN_PART_VALUES): Generator<ColumnPart> {
  for (const [name, column] of Object.entries(rows) as [keyof WaterfallRows, Column][]) {
    if (DERIVED.has(name)) continue;
    let offset = 0;
    do {
      const end = Math.min(offset + size, column.length);
      yield { name, values: partOf(column, offset, end), offset, length: column.length };
      offset = end;
    } while (offset < column.length);
  }
}

/**
 * How a large trace's rows cross to the page: its first rows, then its columns in parts, then the model without
 * rows. A trace worker makes them and moves them to the host, so the host's thread never copies a column: at a
 * million rows the copies were tens of megabytes of buffers outside the host's heap, and its collector paused
 * the host for a full collection they asked for (92-129 ms).
 */
export interface RowsCrossing {
  preview: WaterfallModel;
  parts: Iterable<ColumnPart>;
  whole: Omit<WaterfallModel, 'rows'>;
}

/** Undefined for a model small enough to cross whole. */
export function crossingOf(model: WaterfallModel): RowsCrossing | undefined {
  if (model.rows.span.length <= PREVIEW_ABOVE) return undefined;
  const { rows, ...whole } = model;
  return { preview: previewModel(model), parts: columnParts(rows), whole };
}

/** Values [from, to) of `column` in a buffer of their own, narrower when they are whole numbers that fit. */
function partOf(column: Column, from: number, to: number): Crossing {
  if (column instanceof Int32Array && fitsUint16(column, from, to)) return Uint16Array.from(column.subarray(from, to));
  if (column instanceof Float64Array && fitsUint32(column, from, to)) return Uint32Array.from(column.subarray(from, to));
  const whole = from === 0 && to === column.length && column.byteLength === column.buffer.byteLength;
  return whole ? column : column.slice(from, to);
}

function fitsUint16(column: Int32Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (column[i] >>> 16 !== 0) return false;
  return true;
}

/** Whole numbers in [0, 2^32) only: a fraction, a negative or a larger number keeps its eight bytes. */
function fitsUint32(column: Float64Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (column[i] >>> 0 !== column[i]) return false;
  return true;
}

/** The page's side: parts put back into whole columns in their own types (narrower parts widened), derived ones made. */
export class ColumnAssembly {
  private columns: Partial<Record<keyof WaterfallRows, Column>> = {};

  add({ name, values, offset, length }: ColumnPart): void {
    let column = this.columns[name];
    if (!column || column.length !== length) this.columns[name] = column = new ROW_COLUMN_TYPES[name](length);
    (column as Float64Array).set(values, offset);
  }

  /** The columns put together so far; the assembly starts empty again. */
  take(): WaterfallRows {
    const rows = this.columns as WaterfallRows;
    this.columns = {};
    rows.parent = new Int32Array(rows.depth.length);
    rows.subtreeEnd = new Int32Array(rows.depth.length);
    fillTreeColumns(rows);
    return rows;
  }
}
