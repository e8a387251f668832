// A large OTLP protobuf file's spans skimmed into columns: ids, parents, times, kinds, failures and where each
// span's message lies; no string and no object per span. What a waterfall's first rows need of every span, in a
// fraction of a decode's time. It reads only files whose every warning it can say as the decode says it: one
// trace, every id well formed and unique, no tag standing in for a status; a parent not in the file is noted
// (firstRows.ts warns of it, and of clock skew, as the decode does). Anything else is left to the decode (the
// reason is returned), so first rows made from a skim are the first rows of the decoded trace.
import { diffNs, FIXED64_RADIX, splitToBigInt } from '../model/spanTime';
import { STATUS_TAGS } from '../model/status';
import { MAX_WARNINGS } from '../model/traceAssembler';
import { resourceReader } from './otlpProtobuf';
import { ProtobufError, ProtobufReader, WIRE_FIXED64, WIRE_LENGTH, WIRE_VARINT } from './protobufReader';

/** OTLP's span kind numbers that the clock-skew correction reads (status.ts KIND_BY_NUMBER). */
export const KIND_SERVER = 2;
export const KIND_CLIENT = 3;
const STATUS_ERROR = 2;
const STATUS_OK = 1;

export interface SpanSkim {
  bytes: Uint8Array;
  count: number;
  traceId: string;
  startUnixNano: bigint;
  /** Each span's start (ns from the trace start) and duration, as the decode computes them. */
  startNs: Float64Array;
  durationNs: Float64Array;
  /** Each span's start as the two halves of its fixed64 (its events' offsets are taken from them). */
  startMajor: Uint32Array;
  startMinor: Uint32Array;
  parent: Int32Array;
  /** OTLP kind numbers (0-5; others are unspecified). */
  kind: Uint8Array;
  failed: Uint8Array;
  /** Index into `services` (one entry per ResourceSpans, so names repeat). */
  resource: Int32Array;
  services: string[];
  /** Where each span's message lies in `bytes`: [messageStart, messageEnd). */
  messageStart: Uint32Array;
  messageEnd: Uint32Array;
  /** Spans whose parent is not in the file, shown as roots as the decoded trace shows them (the first MAX_WARNINGS). */
  orphans: number[];
}

const TAG_BYTES = [...STATUS_TAGS].map((tag) => new TextEncoder().encode(tag));
const TAG_LENGTHS = new Set(TAG_BYTES.map((tag) => tag.length));

/**
 * Files of more spans are left to the decode: the skim's columns and the tree's (some 150 bytes a span) sit
 * outside the worker's heap limit, so a hostile file of tiny spans must not grow them unbounded. Twice the
 * largest trace benchmarked.
 */
export const SKIM_MAX_SPANS = 2_000_000;

/** Probes of the id table before the skim gives up (random ids need a few; a table half full averages 1.5). */
const MAX_PROBES = 64;

/** A reason the skim leaves the file to the decode. */
class Unread extends Error {}

class Skimmer {
  private readonly r: ProtobufReader;
  private readonly view: DataView;
  private readonly resourceAt: ReturnType<typeof resourceReader>;
  private traceIdAt = -1;
  private idLow!: Uint32Array;
  private idHigh!: Uint32Array;
  private parentLow!: Uint32Array;
  private parentHigh!: Uint32Array;
  private hasParent!: Uint8Array;
  private skim!: SpanSkim;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly maxSpans: number,
  ) {
    this.r = new ProtobufReader(bytes);
    this.resourceAt = resourceReader(bytes);
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  run(): SpanSkim {
    const { ranges, resources, services } = this.spanMessages();
    const n = resources.length;
    if (n === 0) throw new Unread('no spans');
    this.idLow = new Uint32Array(n);
    this.idHigh = new Uint32Array(n);
    this.parentLow = new Uint32Array(n);
    this.parentHigh = new Uint32Array(n);
    this.hasParent = new Uint8Array(n);
    this.skim = {
      bytes: this.bytes,
      count: n,
      traceId: '',
      startUnixNano: 0n,
      startNs: new Float64Array(n),
      durationNs: new Float64Array(n),
      startMajor: new Uint32Array(n),
      startMinor: new Uint32Array(n),
      parent: new Int32Array(n),
      kind: new Uint8Array(n),
      failed: new Uint8Array(n),
      resource: Int32Array.from(resources),
      services,
      messageStart: new Uint32Array(n),
      messageEnd: new Uint32Array(n),
      orphans: [],
    };
    for (let k = 0; k < n; k++) this.span(k, ranges[2 * k], ranges[2 * k + 1]);
    this.skim.traceId = this.r.hex(this.traceIdAt, this.traceIdAt + 16);
    this.relativeStarts();
    this.linkParents();
    return this.skim;
  }

  /**
   * Where every span message lies ([start, end) pairs), and its ResourceSpans' index, in the order the decode
   * reads them: ResourceSpans, then their ScopeSpans, then spans.
   */
  private spanMessages(): { ranges: number[]; resources: number[]; services: string[] } {
    const r = this.r;
    const found = { ranges: [] as number[], resources: [] as number[], services: [] as string[] };
    r.pos = 0;
    r.end = this.bytes.length;
    while (!r.done) {
      const key = r.varint();
      if (key !== ((1 << 3) | WIRE_LENGTH)) {
        r.skip(key & 7);
        continue;
      }
      const start = r.payloadStart();
      const end = r.pos;
      this.resourceSpans(start, end, found);
      r.pos = end;
      r.end = this.bytes.length;
    }
    return found;
  }

  private resourceSpans(start: number, end: number, found: { ranges: number[]; resources: number[]; services: string[] }): void {
    const r = this.r;
    r.pos = start;
    r.end = end;
    let resource: [number, number] | undefined;
    const scopes: number[] = [];
    while (!r.done) {
      const key = r.varint();
      if (key === ((1 << 3) | WIRE_LENGTH)) resource = [r.payloadStart(), r.pos];
      else if (key === ((2 << 3) | WIRE_LENGTH)) scopes.push(r.payloadStart(), r.pos);
      else r.skip(key & 7);
    }
    const index = found.services.length;
    found.services.push(resource ? this.resourceAt(resource[0], resource[1]).serviceName : 'unknown_service');
    for (let s = 0; s < scopes.length; s += 2) {
      r.pos = scopes[s];
      r.end = scopes[s + 1];
      while (!r.done) {
        const key = r.varint();
        if (key !== ((2 << 3) | WIRE_LENGTH)) {
          r.skip(key & 7);
          continue;
        }
        found.ranges.push(r.payloadStart(), r.pos);
        if (found.resources.push(index) > this.maxSpans) throw new Unread(`more than ${this.maxSpans.toLocaleString('en-US')} spans`);
      }
    }
  }

  private span(k: number, start: number, end: number): void {
    const r = this.r;
    const skim = this.skim;
    r.pos = start;
    r.end = end;
    let traced = false;
    let identified = false;
    let startMajor = 0;
    let startMinor = 0;
    let endMajor = 0;
    let endMinor = 0;
    let status = 0;
    let tagged = false;
    while (!r.done) {
      const key = r.varint();
      switch (key) {
        case (1 << 3) | WIRE_LENGTH:
          this.traceId(r.payloadStart(), r.pos);
          traced = true;
          break;
        case (2 << 3) | WIRE_LENGTH: {
          const at = this.id(r.payloadStart(), r.pos);
          if (at < 0) throw new Unread('a span id that is not 8 bytes, or is zero');
          this.idLow[k] = this.view.getUint32(at, true);
          this.idHigh[k] = this.view.getUint32(at + 4, true);
          identified = true;
          break;
        }
        case (4 << 3) | WIRE_LENGTH: {
          const from = r.payloadStart();
          const at = this.id(from, r.pos);
          if (at < 0 && r.pos - from !== 0 && r.pos - from !== 8) throw new Unread('a parent span id that is not 8 bytes');
          this.hasParent[k] = at < 0 ? 0 : 1;
          if (at >= 0) {
            this.parentLow[k] = this.view.getUint32(at, true);
            this.parentHigh[k] = this.view.getUint32(at + 4, true);
          }
          break;
        }
        case (6 << 3) | WIRE_VARINT:
          skim.kind[k] = Math.min(r.varint(), 255);
          break;
        case (7 << 3) | WIRE_FIXED64:
          startMinor = r.fixed32();
          startMajor = r.fixed32();
          break;
        case (8 << 3) | WIRE_FIXED64:
          endMinor = r.fixed32();
          endMajor = r.fixed32();
          break;
        case (9 << 3) | WIRE_LENGTH: {
          const from = r.payloadStart();
          const to = r.pos;
          tagged = this.statusTag(from, to) || tagged;
          this.resume(to, end);
          break;
        }
        case (15 << 3) | WIRE_LENGTH: {
          const from = r.payloadStart();
          const to = r.pos;
          status = this.statusCode(from, to);
          this.resume(to, end);
          break;
        }
        default:
          r.skip(key & 7);
      }
    }
    if (!traced || !identified) throw new Unread('a span without a trace id or span id');
    if (status !== STATUS_OK && status !== STATUS_ERROR && tagged) throw new Unread('a status said by tags (another tracer’s way)');
    const durationNs = (endMajor - startMajor) * FIXED64_RADIX + (endMinor - startMinor);
    if (durationNs < 0) throw new Unread('a span that ends before it starts');
    skim.durationNs[k] = durationNs;
    skim.startMajor[k] = startMajor;
    skim.startMinor[k] = startMinor;
    skim.failed[k] = status === STATUS_ERROR ? 1 : 0;
    skim.messageStart[k] = start;
    skim.messageEnd[k] = end;
  }

  /** Back to the span's own bounds after a nested message. */
  private resume(pos: number, end: number): void {
    this.r.pos = pos;
    this.r.end = end;
  }

  private traceId(start: number, end: number): void {
    if (end - start !== 16) throw new Unread('a trace id that is not 16 bytes');
    if (this.traceIdAt < 0) {
      let zero = true;
      for (let i = start; i < end && zero; i++) zero = this.bytes[i] === 0;
      if (zero) throw new Unread('a zero trace id');
      this.traceIdAt = start;
      return;
    }
    for (let i = 0; i < 16; i++) if (this.bytes[start + i] !== this.bytes[this.traceIdAt + i]) throw new Unread('more than one trace');
  }

  /** Where a well-formed (8 bytes, not zero) span id starts, else -1. */
  private id(start: number, end: number): number {
    if (end - start !== 8) return -1;
    for (let i = start; i < end; i++) if (this.bytes[i] !== 0) return start;
    return -1;
  }

  /** Whether a KeyValue's key is one of STATUS_TAGS. */
  private statusTag(start: number, end: number): boolean {
    // Nearly every KeyValue starts with its key and a one-byte length, which tells most keys apart.
    if (this.bytes[start] === ((1 << 3) | WIRE_LENGTH) && this.bytes[start + 1] < 0x80 && !TAG_LENGTHS.has(this.bytes[start + 1])) return false;
    const r = this.r;
    r.pos = start;
    r.end = end;
    while (!r.done) {
      const key = r.varint();
      if (key !== ((1 << 3) | WIRE_LENGTH)) {
        r.skip(key & 7);
        continue;
      }
      const from = r.payloadStart();
      const length = r.pos - from;
      for (const tag of TAG_BYTES) if (tag.length === length && this.sameBytes(tag, from)) return true;
    }
    return false;
  }

  private sameBytes(tag: Uint8Array, at: number): boolean {
    for (let i = 0; i < tag.length; i++) if (this.bytes[at + i] !== tag[i]) return false;
    return true;
  }

  private statusCode(start: number, end: number): number {
    const r = this.r;
    r.pos = start;
    r.end = end;
    let code = 0;
    while (!r.done) {
      const key = r.varint();
      if (key === ((3 << 3) | WIRE_VARINT)) code = r.varint();
      else r.skip(key & 7);
    }
    return code;
  }

  /** Starts from the earliest span's, as the decode's assembler makes them. */
  private relativeStarts(): void {
    const { startMajor, startMinor, startNs, count } = this.skim;
    let major = startMajor[0];
    let minor = startMinor[0];
    for (let i = 1; i < count; i++) {
      if (startMajor[i] < major || (startMajor[i] === major && startMinor[i] < minor)) {
        major = startMajor[i];
        minor = startMinor[i];
      }
    }
    for (let i = 0; i < count; i++) startNs[i] = (startMajor[i] - major) * FIXED64_RADIX + (startMinor[i] - minor);
    this.skim.startUnixNano = splitToBigInt({ major, minor }, FIXED64_RADIX);
  }

  /** Each span's parent, through an open-addressing table of the ids (two 32-bit halves each). */
  private linkParents(): void {
    const n = this.skim.count;
    let bits = 1;
    while (1 << bits < 2 * n) bits++;
    const slots = new Int32Array(1 << bits).fill(-1);
    const mask = (1 << bits) - 1;
    const find = (low: number, high: number): number => {
      // The product's top bits depend on every bit of the id (its low bits only on the id's low bits).
      let slot = Math.imul(low ^ Math.imul(high, 0x9e3779b1), 0x85ebca6b) >>> (32 - bits);
      for (let probe = 0; probe < MAX_PROBES; probe++) {
        const at = slots[slot];
        if (at < 0 || (this.idLow[at] === low && this.idHigh[at] === high)) return slot;
        slot = (slot + 1) & mask;
      }
      // Ids made to collide (the hash is fixed, unlike a Map's): the decode's tables take them.
      throw new Unread('span ids that crowd one place of the id table');
    };
    for (let i = 0; i < n; i++) {
      const slot = find(this.idLow[i], this.idHigh[i]);
      if (slots[slot] >= 0) throw new Unread('two spans share an id');
      slots[slot] = i;
    }
    const parent = this.skim.parent;
    for (let i = 0; i < n; i++) {
      if (!this.hasParent[i]) {
        parent[i] = -1;
        continue;
      }
      parent[i] = slots[find(this.parentLow[i], this.parentHigh[i])];
      if (parent[i] < 0 && this.skim.orphans.length < MAX_WARNINGS) this.skim.orphans.push(i);
    }
  }
}

/** The file's spans as columns, or why the decode must read it (a warning or a change the skim cannot make). */
export function skimOtlpProtobuf(bytes: Uint8Array, maxSpans = SKIM_MAX_SPANS): SpanSkim | { unread: string } {
  try {
    return new Skimmer(bytes, maxSpans).run();
  } catch (error) {
    if (error instanceof Unread) return { unread: error.message };
    if (error instanceof ProtobufError) return { unread: `malformed: ${error.message}` };
    throw error;
  }
}

/**
 * What a row shows of a span beyond the skim's columns: its name, and its events' offsets from its start. `r`:
 * one reader for every row, so their names share its strings.
 */
export function rowParts(skim: SpanSkim, span: number, r: ProtobufReader): { name: string; spanId: string; parentSpanId: string; eventOffsets: number[] } {
  r.pos = skim.messageStart[span];
  r.end = skim.messageEnd[span];
  const start = { major: skim.startMajor[span], minor: skim.startMinor[span] };
  let name = '';
  let spanId = '';
  let parentSpanId = '';
  const eventOffsets: number[] = [];
  while (!r.done) {
    const key = r.varint();
    if (key === ((5 << 3) | WIRE_LENGTH)) name = r.string();
    // The skim took only spans whose ids are 8 bytes, not all zero.
    else if (key === ((2 << 3) | WIRE_LENGTH)) spanId = r.hex(r.payloadStart(), r.pos);
    else if (key === ((4 << 3) | WIRE_LENGTH)) parentSpanId = r.hex(r.payloadStart(), r.pos);
    else if (key === ((11 << 3) | WIRE_LENGTH)) {
      const from = r.payloadStart();
      const to = r.pos;
      eventOffsets.push(eventOffset(r, from, to, start));
      r.pos = to;
      r.end = skim.messageEnd[span];
    } else r.skip(key & 7);
  }
  return { name, spanId, parentSpanId, eventOffsets };
}

/** An event's time from its span's start, as the decode reads it (0 when it has none). */
function eventOffset(r: ProtobufReader, from: number, to: number, spanStart: { major: number; minor: number }): number {
  r.pos = from;
  r.end = to;
  let offset = 0;
  while (!r.done) {
    const key = r.varint();
    if (key === ((1 << 3) | WIRE_FIXED64)) offset = diffNs(r.fixed64(), spanStart, FIXED64_RADIX);
    else r.skip(key & 7);
  }
  return offset;
}
