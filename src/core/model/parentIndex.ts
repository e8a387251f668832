// Each span's parent as an index into the trace's span list: the first step of every tree, map and comparison.
// Looking ids up in a Map of strings was most of what building a tree cost (a string hash and compare per span);
// span ids are 16 lowercase hex digits in every format we read, so they are read as two 32-bit halves into an
// open-addressing table of integers. Ids that are not (a hostile or unusual source) take the Map.
import { hexDigits8, idPlace } from './ids';
import type { Span } from './trace';

/**
 * Reads `id` (exactly 16 lowercase hex digits: an uppercase id differs from its lowercase twin as a string, so it
 * takes the Map) into halves[at], halves[at + 1]; false when it is not such an id.
 */
function readHalves(id: string, halves: Int32Array, at: number): boolean {
  if (id.length !== 16) return false;
  const hi = hexDigits8(id, 0);
  const lo = hexDigits8(id, 8);
  if (hi < 0 || lo < 0) return false;
  halves[at] = hi;
  halves[at + 1] = lo;
  return true;
}

/** The spans' ids as halves, and an open-addressing table of span indexes by id (the last span of a repeated id). */
interface IdTable {
  ids: Int32Array;
  table: Int32Array;
  bits: number;
  /** Whether two spans share an id. */
  repeats: boolean;
}

/**
 * Steps through the table allowed per id, on average, before the Map takes over. The table's hash is fixed and its
 * code public: ids made to share a place would each walk all the ones before (a 100k-span trace, 5e9 steps); a
 * Map's hash is seeded per process.
 */
const STEPS_PER_ID = 16;

/** Undefined when an id is not 16 lowercase hex digits, or when ids crowd the table (the Map's cases). */
function idTable(spans: readonly Span[]): IdTable | undefined {
  const n = spans.length;
  const ids = new Int32Array(2 * n);
  for (let i = 0; i < n; i++) if (!readHalves(spans[i].spanId, ids, 2 * i)) return undefined;
  return tableOf(ids, n);
}

/** The table of the first `n` ids of `ids` (as halves); undefined when they crowd it. */
function tableOf(ids: Int32Array, n: number): IdTable | undefined {
  let steps = STEPS_PER_ID * n;
  let bits = 4;
  while (1 << bits < 2 * n) bits++;
  const mask = (1 << bits) - 1;
  const table = new Int32Array(1 << bits).fill(-1);
  let repeats = false;
  for (let i = 0; i < n; i++) {
    const hi = ids[2 * i];
    const lo = ids[2 * i + 1];
    let slot = idPlace(hi, lo, bits);
    for (let j = table[slot]; j >= 0; slot = (slot + 1) & mask, j = table[slot]) {
      if (ids[2 * j] === hi && ids[2 * j + 1] === lo) {
        repeats = true;
        break;
      }
      if (--steps < 0) return undefined;
    }
    table[slot] = i;
  }
  return { ids, table, bits, repeats };
}

/** Whether two of the first `n` ids of `ids`, each as two 32-bit halves, are the same; undefined when they crowd the table. */
export function repeatsInHalves(ids: Int32Array, n: number): boolean | undefined {
  return tableOf(ids, n)?.repeats;
}

/** Whether two spans share an id: the common answer, no, without a Set of 100k strings. */
export function repeatsAnId(spans: readonly Span[]): boolean {
  return idTable(spans)?.repeats ?? new Set(spans.map((span) => span.spanId)).size !== spans.length;
}

/** -1 where a span has no parent or its parent is not in the list. A repeated id names its last span, as a Map would. */
export function parentIndexes(spans: readonly Span[]): Int32Array {
  return parentsAndRepeats(spans).parents;
}

/** `parentIndexes`, and whether two spans share an id, from one read of the ids. */
export function parentsAndRepeats(spans: readonly Span[]): { parents: Int32Array; repeats: boolean } {
  const n = spans.length;
  const parents = new Int32Array(n).fill(-1);
  const found = idTable(spans);
  if (!found) return parentIndexesByMap(spans, parents);
  const { ids, table, bits, repeats } = found;
  const mask = (1 << bits) - 1;
  const wanted = new Int32Array(2);
  let steps = STEPS_PER_ID * n;
  for (let i = 0; i < n; i++) {
    const id = spans[i].parentSpanId;
    if (id === undefined || !readHalves(id, wanted, 0)) continue;
    const hi = wanted[0];
    const lo = wanted[1];
    let slot = idPlace(hi, lo, bits);
    for (let j = table[slot]; j >= 0; slot = (slot + 1) & mask, j = table[slot]) {
      if (ids[2 * j] === hi && ids[2 * j + 1] === lo) {
        parents[i] = j;
        break;
      }
      if (--steps < 0) return parentIndexesByMap(spans, parents.fill(-1));
    }
  }
  return { parents, repeats };
}

function parentIndexesByMap(spans: readonly Span[], parents: Int32Array): { parents: Int32Array; repeats: boolean } {
  const byId = new Map<string, number>();
  for (let i = 0; i < spans.length; i++) byId.set(spans[i].spanId, i);
  for (let i = 0; i < spans.length; i++) {
    const id = spans[i].parentSpanId;
    parents[i] = id === undefined ? -1 : (byId.get(id) ?? -1);
  }
  return { parents, repeats: byId.size !== spans.length };
}
