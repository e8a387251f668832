// A large trace's spans skimmed into columns, from its bytes or from spans already held (otlpProtobufSkim.ts,
// otlpJsonSkim.ts, heldSpanSkim.ts): what a waterfall's first rows need of every span, with no string and no object
// per span. A skim reads only what it can read exactly as the decode does; anything else it leaves to the decode,
// with the reason (SkimUnread).
import { idPlace } from '../model/ids';
import { FIXED64_RADIX, splitToBigInt } from '../model/spanTime';
import { MAX_WARNINGS } from '../model/traceAssembler';

/** OTLP's span kind numbers that the clock-skew correction reads (status.ts KIND_BY_NUMBER). */
export const KIND_SERVER = 2;
export const KIND_CLIENT = 3;

/** What a row shows of a span beyond the columns, read from the span's own bytes when it is shown. */
export interface RowParts {
  name: string;
  spanId: string;
  parentSpanId: string;
  /** Its events' times from its start. */
  eventOffsets: number[];
}

export interface SpanSkim {
  count: number;
  traceId: string;
  startUnixNano: bigint;
  /** Each span's start (ns from the trace start) and duration, as the decode computes them. */
  startNs: Float64Array;
  durationNs: Float64Array;
  parent: Int32Array;
  /** OTLP kind numbers (0-5; others are unspecified). */
  kind: Uint8Array;
  failed: Uint8Array;
  /** Index into `services` (one entry per ResourceSpans, so names repeat). */
  resource: Int32Array;
  services: string[];
  /** Spans whose parent is not in the file, shown as roots as the decoded trace shows them (the first MAX_WARNINGS). */
  orphans: number[];
  /** Throws SkimUnread if the span's bytes cannot be read after all. */
  partsOf(span: number): RowParts;
}

/** A reason the skim leaves the file to the decode. */
export class SkimUnread extends Error {}

/**
 * Files of more spans are left to the decode: the skim's columns and the tree's (some 150 bytes a span) sit
 * outside the worker's heap limit, so a hostile file of tiny spans must not grow them unbounded. Twice the
 * largest trace benchmarked.
 */
export const SKIM_MAX_SPANS = 2_000_000;

/** Probes of the id table before the skim gives up (random ids need a few; a table half full averages 1.5). */
const MAX_PROBES = 64;

/** The skim, or why the decode must read the file. */
export function skimOrReason(skim: () => SpanSkim): SpanSkim | { unread: string } {
  try {
    return skim();
  } catch (error) {
    if (error instanceof SkimUnread) return { unread: error.message };
    throw error;
  }
}

/** Each span's start from the earliest span's, as the decode's assembler makes them; and that earliest start. */
export function relativeStarts(major: ArrayLike<number>, minor: ArrayLike<number>, startNs: Float64Array, radix = FIXED64_RADIX): bigint {
  const count = startNs.length;
  let earliestMajor = major[0];
  let earliestMinor = minor[0];
  for (let i = 1; i < count; i++) {
    if (major[i] < earliestMajor || (major[i] === earliestMajor && minor[i] < earliestMinor)) {
      earliestMajor = major[i];
      earliestMinor = minor[i];
    }
  }
  for (let i = 0; i < count; i++) startNs[i] = (major[i] - earliestMajor) * radix + (minor[i] - earliestMinor);
  return splitToBigInt({ major: earliestMajor, minor: earliestMinor }, radix);
}

/** Span ids as two 32-bit halves each; `hasParent[i]` 0 for a span without one. */
export interface IdColumns {
  idLow: Uint32Array;
  idHigh: Uint32Array;
  parentLow: Uint32Array;
  parentHigh: Uint32Array;
  hasParent: Uint8Array;
}

/** Each span's parent (-1: none, or not in the file), through an open-addressing table of the ids. */
export function linkParents(ids: IdColumns, parent: Int32Array, orphans: number[]): void {
  const n = parent.length;
  const { idLow, idHigh } = ids;
  let bits = 1;
  while (1 << bits < 2 * n) bits++;
  const slots = new Int32Array(1 << bits).fill(-1);
  const mask = (1 << bits) - 1;
  const find = (low: number, high: number): number => {
    let slot = idPlace(high, low, bits);
    for (let probe = 0; probe < MAX_PROBES; probe++) {
      const at = slots[slot];
      if (at < 0 || (idLow[at] === low && idHigh[at] === high)) return slot;
      slot = (slot + 1) & mask;
    }
    // Ids made to collide (the hash is fixed, unlike a Map's): the decode's tables take them.
    throw new SkimUnread('span ids that crowd one place of the id table');
  };
  for (let i = 0; i < n; i++) {
    const slot = find(idLow[i], idHigh[i]);
    if (slots[slot] >= 0) throw new SkimUnread('two spans share an id');
    slots[slot] = i;
  }
  for (let i = 0; i < n; i++) {
    if (!ids.hasParent[i]) {
      parent[i] = -1;
      continue;
    }
    parent[i] = slots[find(ids.parentLow[i], ids.parentHigh[i])];
    if (parent[i] < 0 && orphans.length < MAX_WARNINGS) orphans.push(i);
  }
}
