// A large OTLP protobuf file's spans skimmed into columns: ids, parents, times, kinds, failures and where each
// span's message lies; no string and no object per span. What a waterfall's first rows need of every span, in a
// fraction of a decode's time. It reads only files whose every warning it can say as the decode says it: one
// trace, every id well formed and unique, no tag standing in for a status; a parent not in the file is noted
// (firstRows.ts warns of it, and of clock skew, as the decode does). Anything else is left to the decode (the
// reason is returned), so first rows made from a skim are the first rows of the decoded trace.
import { diffNs, FIXED64_RADIX } from '../model/spanTime';
import { STATUS_TAGS } from '../model/status';
import { resourceReader } from './otlpProtobuf';
import { grown, type Typed as Column } from './growingColumn';
import { ProtobufError, ProtobufReader, WIRE_FIXED64, WIRE_LENGTH, WIRE_VARINT } from './protobufReader';
import { linkParents, relativeStarts, SKIM_MAX_SPANS, SkimUnread, skimOrReason, type IdColumns, type RowParts, type SpanSkim } from './spanSkim';

const STATUS_ERROR = 2;
const STATUS_OK = 1;

const TAG_BYTES = [...STATUS_TAGS].map((tag) => new TextEncoder().encode(tag));
/** 1 at each length a status tag's key has (a one-byte length; a Set's lookup was most of the check). */
const TAG_LENGTH = new Uint8Array(128);
for (const tag of TAG_BYTES) TAG_LENGTH[tag.length] = 1;

/** Where each span's message lies, and its start's fixed64 halves (its events' offsets are taken from them). */
interface Messages {
  start: Uint32Array;
  end: Uint32Array;
  startMajor: Uint32Array;
  startMinor: Uint32Array;
}

/** The columns read from each span's own message (the rest are made from them once every span is read). */
interface Read {
  durationNs: Float64Array;
  kind: Uint8Array;
  failed: Uint8Array;
  resource: Int32Array;
}

type Columns<T> = { [K in keyof T]: Column };

/**
 * A span's bytes in the files benchmarked, for a first guess of how many spans a file holds: the columns grow by
 * doubling past it (to the most the skim takes). Counting the spans in a pass of their own first took a quarter of
 * the skim (and its first rows: 55-58 ms against 41-43 ms at 100k spans in Node): it met each span's first bytes
 * out of the processor's caches, one after another, before the pass that reads them.
 */
const SPAN_BYTES_GUESS = 256;

function columnsOf<T extends Columns<T>>(shape: { [K in keyof T]: new (n: number) => T[K] }, size: number): T {
  return Object.fromEntries(Object.entries(shape).map(([name, Typed]) => [name, new (Typed as new (n: number) => Column)(size)])) as T;
}

/** Each column of `columns` replaced by `to(column)`, in place. */
function replaced<T extends Columns<T>>(columns: T, to: (column: Column) => Column): void {
  for (const name of Object.keys(columns) as (keyof T)[]) columns[name] = to(columns[name]) as T[keyof T];
}

class Skimmer {
  private readonly r: ProtobufReader;
  private readonly view: DataView;
  private readonly resourceAt: ReturnType<typeof resourceReader>;
  private traceIdAt = -1;
  private count = 0;
  private ids!: IdColumns;
  private messages!: Messages;
  private read!: Read;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly maxSpans: number,
  ) {
    this.r = new ProtobufReader(bytes);
    this.resourceAt = resourceReader(bytes);
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  run(): SpanSkim {
    const size = Math.max(1024, Math.min(this.maxSpans + 1, Math.ceil(this.bytes.length / SPAN_BYTES_GUESS)));
    this.ids = columnsOf<IdColumns>({ idLow: Uint32Array, idHigh: Uint32Array, parentLow: Uint32Array, parentHigh: Uint32Array, hasParent: Uint8Array }, size);
    this.messages = columnsOf<Messages>({ start: Uint32Array, end: Uint32Array, startMajor: Uint32Array, startMinor: Uint32Array }, size);
    this.read = columnsOf<Read>({ durationNs: Float64Array, kind: Uint8Array, failed: Uint8Array, resource: Int32Array }, size);
    const services = this.readSpans();
    const n = this.count;
    if (n === 0) throw new SkimUnread('no spans');
    this.eachColumns((columns) => replaced(columns, (column) => column.subarray(0, n)));
    const { ids, messages, read } = this;
    // One reader for every row, so their names share its strings.
    const reader = new ProtobufReader(this.bytes);
    const skim: SpanSkim = {
      count: n,
      traceId: this.r.hex(this.traceIdAt, this.traceIdAt + 16),
      startUnixNano: 0n,
      startNs: new Float64Array(n),
      parent: new Int32Array(n),
      ...read,
      services,
      orphans: [],
      partsOf: (span) => rowParts(messages, span, reader),
    };
    skim.startUnixNano = relativeStarts(messages.startMajor, messages.startMinor, skim.startNs);
    linkParents(ids, skim.parent, skim.orphans);
    return skim;
  }

  /**
   * Reads every span in the order the decode reads them (ResourceSpans, then their ScopeSpans, then spans); the
   * service of each ResourceSpans.
   */
  private readSpans(): string[] {
    const r = this.r;
    const services: string[] = [];
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
      this.resourceSpans(start, end, services);
      r.pos = end;
      r.end = this.bytes.length;
    }
    return services;
  }

  private resourceSpans(start: number, end: number, services: string[]): void {
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
    const index = services.length;
    services.push(resource ? this.resourceAt(resource[0], resource[1]).serviceName : 'unknown_service');
    for (let s = 0; s < scopes.length; s += 2) {
      let at = scopes[s];
      const scopeEnd = scopes[s + 1];
      while (at < scopeEnd) {
        r.pos = at;
        r.end = scopeEnd;
        const key = r.varint();
        if (key !== ((2 << 3) | WIRE_LENGTH)) {
          r.skip(key & 7);
          at = r.pos;
          continue;
        }
        const spanStart = r.payloadStart();
        at = r.pos;
        this.span(this.next(index), spanStart, at);
      }
    }
  }

  private eachColumns(change: (columns: Columns<IdColumns> | Columns<Messages> | Columns<Read>) => void): void {
    change(this.ids);
    change(this.messages);
    change(this.read);
  }

  /** The next span's place in the columns, which grow to hold it. */
  private next(resource: number): number {
    const k = this.count++;
    if (this.count > this.maxSpans) throw new SkimUnread(`more than ${this.maxSpans.toLocaleString('en-US')} spans`);
    if (k === this.read.resource.length) {
      const size = Math.min(2 * k, this.maxSpans);
      this.eachColumns((columns) => replaced(columns, (column) => grown(column, size)));
    }
    this.read.resource[k] = resource;
    return k;
  }

  private span(k: number, start: number, end: number): void {
    const r = this.r;
    const read = this.read;
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
          if (at < 0) throw new SkimUnread('a span id that is not 8 bytes, or is zero');
          this.ids.idLow[k] = this.view.getUint32(at, true);
          this.ids.idHigh[k] = this.view.getUint32(at + 4, true);
          identified = true;
          break;
        }
        case (4 << 3) | WIRE_LENGTH: {
          const from = r.payloadStart();
          const at = this.id(from, r.pos);
          if (at < 0 && r.pos - from !== 0 && r.pos - from !== 8) throw new SkimUnread('a parent span id that is not 8 bytes');
          this.ids.hasParent[k] = at < 0 ? 0 : 1;
          if (at >= 0) {
            this.ids.parentLow[k] = this.view.getUint32(at, true);
            this.ids.parentHigh[k] = this.view.getUint32(at + 4, true);
          }
          break;
        }
        case (6 << 3) | WIRE_VARINT:
          read.kind[k] = Math.min(r.varint(), 255);
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
    if (!traced || !identified) throw new SkimUnread('a span without a trace id or span id');
    if (status !== STATUS_OK && status !== STATUS_ERROR && tagged) throw new SkimUnread('a status said by tags (another tracer’s way)');
    const durationNs = (endMajor - startMajor) * FIXED64_RADIX + (endMinor - startMinor);
    if (durationNs < 0) throw new SkimUnread('a span that ends before it starts');
    read.durationNs[k] = durationNs;
    read.failed[k] = status === STATUS_ERROR ? 1 : 0;
    const messages = this.messages;
    messages.startMajor[k] = startMajor;
    messages.startMinor[k] = startMinor;
    messages.start[k] = start;
    messages.end[k] = end;
  }

  /** Back to the span's own bounds after a nested message. */
  private resume(pos: number, end: number): void {
    this.r.pos = pos;
    this.r.end = end;
  }

  private traceId(start: number, end: number): void {
    if (end - start !== 16) throw new SkimUnread('a trace id that is not 16 bytes');
    if (this.traceIdAt < 0) {
      let zero = true;
      for (let i = start; i < end && zero; i++) zero = this.bytes[i] === 0;
      if (zero) throw new SkimUnread('a zero trace id');
      this.traceIdAt = start;
      return;
    }
    for (let i = 0; i < 16; i++) if (this.bytes[start + i] !== this.bytes[this.traceIdAt + i]) throw new SkimUnread('more than one trace');
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
    if (this.bytes[start] === ((1 << 3) | WIRE_LENGTH) && this.bytes[start + 1] < 0x80 && !TAG_LENGTH[this.bytes[start + 1]]) return false;
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
}

/** The file's spans as columns, or why the decode must read it (a warning or a change the skim cannot make). */
export function skimOtlpProtobuf(bytes: Uint8Array, maxSpans = SKIM_MAX_SPANS): SpanSkim | { unread: string } {
  return skimOrReason(() => unlessMalformed(() => new Skimmer(bytes, maxSpans).run()));
}

function unlessMalformed<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw error instanceof ProtobufError ? new SkimUnread(`malformed: ${error.message}`) : error;
  }
}

/** What a row shows of a span beyond the skim's columns, read from its message. */
function rowParts(messages: Messages, span: number, r: ProtobufReader): RowParts {
  return unlessMalformed(() => messageParts(messages, span, r));
}

function messageParts(messages: Messages, span: number, r: ProtobufReader): RowParts {
  r.pos = messages.start[span];
  r.end = messages.end[span];
  const start = { major: messages.startMajor[span], minor: messages.startMinor[span] };
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
      r.end = messages.end[span];
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
