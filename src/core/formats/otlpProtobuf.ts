// OTLP protobuf: `TracesData` and `ExportTraceServiceRequest` share the layout (field 1: repeated ResourceSpans).
// Field numbers from opentelemetry-proto v1 trace.proto, common.proto and resource.proto.
import { SPAN_ID_HEX_LENGTH, TRACE_ID_HEX_LENGTH } from '../model/ids';
import { spanKindFrom, STATUS_TAGS, statusCodeFrom, statusWithTagFallbacks } from '../model/status';
import { diffNs, FIXED64_RADIX, type SplitTime } from '../model/spanTime';
import {
  CUT_VALUE,
  MAX_VALUE_DEPTH,
  newAttributes,
  NO_EVENTS,
  NO_LINKS,
  UNSET_STATUS,
  type AttributeValue,
  type Attributes,
  type Resource,
  type Scope,
  type Span,
  type SpanEvent,
  type SpanLink,
  type Status,
  type TraceWarning,
} from '../model/trace';
import { TIME_PENDING, TraceAssembler } from '../model/traceAssembler';
import type { Decoded } from './decodeResult';
import { linkKindFrom, resourceFrom } from './otlpJson';
import { SpanIdTexts } from './spanIdTexts';
import { OwnSpanIds } from './ownSpanIds';
import { ProtobufError, ProtobufReader, WIRE_FIXED64, WIRE_LENGTH, WIRE_VARINT } from './protobufReader';
import { SharedByBytes } from './sharedByBytes';
import { KeyValueTable } from './keyValueTable';
import type { DecodeTables } from './decodeTables';

type Range = [start: number, end: number];

/** Attribute keys to keep, and their byte lengths: most keys are told apart by length, never made a string. */
interface KeySet {
  keys: ReadonlySet<string>;
  lengths: ReadonlySet<number>;
}

/** What a rows-only read keeps of a span's attributes (ASCII keys: a byte a character). */
const ROW_ATTRIBUTES: KeySet = { keys: STATUS_TAGS, lengths: new Set([...STATUS_TAGS].map((key) => key.length)) };

/** A rows-only span's attributes when it has no status tag: `fill` gives every span a map of its own. */
const NO_ROW_TAGS: Attributes = Object.freeze(newAttributes());

class OtlpProtobufDecoder {
  truncatedAt: number | undefined;
  /** How many nested messages were cut at their outer one's end so far: what was read across a cut is not kept. */
  private cuts = 0;
  private readonly r: ProtobufReader;
  private readonly idTexts: SpanIdTexts;
  /** The kept spans' own ids, to tell the assembler none repeats. */
  readonly ownIds = new OwnSpanIds();
  /** Where the id `spanId` read last starts (it ends at the reader's position). */
  private idStart = 0;
  /** Rows only: the spans made, and where each one's message is ([start, end) pairs). */
  private readonly spans: Span[] = [];
  private readonly spanRanges: number[] = [];
  private readonly rowTags = newAttributes();
  private lastTraceIdStart = -1;
  private lastTraceId: string | undefined;
  /** Where the span being read had its first malformed attribute (-1: none): said once per span. */
  private faultAt = -1;
  /**
   * Resources read, by their bytes: a Collector's forwarded batch or a file of many exports repeats each
   * service's resource once per ResourceSpans (the bench's batches: 128 for 8 services), and its spans share one.
   */
  private readonly resources: SharedByBytes<Resource>;
  /** Scopes read, by their bytes: such a batch repeats each library's scope per ResourceSpans as well. */
  private readonly scopes: SharedByBytes<Scope>;
  private readonly attributes: KeyValueTable;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly assembler: TraceAssembler,
    tables?: DecodeTables,
    /** Only what a waterfall's rows read, each span's place kept for `fill` (see decodeOtlpProtobufInStages). */
    private rowsOnly = false,
  ) {
    this.r = new ProtobufReader(bytes, tables?.strings);
    this.idTexts = new SpanIdTexts(bytes.length);
    this.resources = (tables?.resources ?? new SharedByBytes<Resource>()).reading(bytes);
    this.scopes = (tables?.scopes ?? new SharedByBytes<Scope>()).reading(bytes);
    this.attributes = (tables?.attributes ?? new KeyValueTable()).reading(bytes);
  }

  /** The payload range of a nested message; a length that runs past the input is cut there and noted. */
  private range(): Range {
    const start = this.payload();
    return [start, this.r.pos];
  }

  /** Moves past the next nested message, as `range` does, and returns where it starts (it ends at `r.pos`): no Range made. */
  private payload(): number {
    const length = this.r.varint();
    const start = this.r.pos;
    let end = start + length;
    if (end > this.r.end) {
      this.truncatedAt ??= this.r.end;
      this.cuts++;
      end = this.r.end;
    }
    this.r.pos = end;
    return start;
  }

  /**
   * Narrows the reader to the next nested message (cut at the input's end, as `range` does) and returns the
   * outer end for `leave`: the hot per-attribute path, without a Range allocation.
   */
  private enter(): number {
    return this.enterAt(this.r.varint());
  }

  /** `enter` once the length was read. */
  private enterAt(length: number): number {
    let end = this.r.pos + length;
    if (end > this.r.end) {
      this.truncatedAt ??= this.r.end;
      this.cuts++;
      end = this.r.end;
    }
    const outer = this.r.end;
    this.r.end = end;
    return outer;
  }

  private leave(outer: number): void {
    this.r.pos = this.r.end;
    this.r.end = outer;
  }

  /** Runs `parse` over a nested message and puts the reader back after it. */
  private within<T>(range: Range, parse: () => T): T {
    const savedEnd = this.r.end;
    this.r.pos = range[0];
    this.r.end = range[1];
    try {
      return parse();
    } finally {
      this.r.pos = range[1];
      this.r.end = savedEnd;
    }
  }

  /**
   * Parses what it can of the message at [start, end) with one of this decoder's methods; a malformed part ends
   * that message and is noted once. No closure or Range is made for each ResourceSpans and ScopeSpans (a
   * forwarded batch has one per service and trace: the bench's, 128).
   */
  private tolerantAt<A>(start: number, end: number, read: (this: this, argument: A) => void, argument: A): void {
    const r = this.r;
    const savedEnd = r.end;
    r.pos = start;
    r.end = end;
    try {
      read.call(this, argument);
    } catch (error) {
      if (!(error instanceof ProtobufError)) throw error;
      this.truncatedAt ??= start;
    } finally {
      r.pos = end;
      r.end = savedEnd;
    }
  }

  /**
   * Bounds of messages read later, as [start, end) pairs: each reader pops what it pushed (a stack). Small integers
   * in a plain array: offsets from a Float64Array made the reader's position a double (the receiver a fifth slower).
   */
  private readonly pending: number[] = [];
  private pendingTop = 0;

  private pushPending(start: number, end: number): void {
    const pending = this.pending;
    if (this.pendingTop === pending.length) pending.push(start, end);
    else {
      pending[this.pendingTop] = start;
      pending[this.pendingTop + 1] = end;
    }
    this.pendingTop += 2;
  }

  decode(): void {
    this.tolerantAt(0, this.bytes.length, this.requestBody, undefined);
  }

  private requestBody(): void {
    while (!this.r.done) {
      const key = this.r.varint();
      if (key === ((1 << 3) | WIRE_LENGTH)) {
        const start = this.payload();
        this.tolerantAt(start, this.r.pos, this.resourceSpans, undefined);
      } else this.r.skip(key & 7);
    }
  }

  private resourceSpans(): void {
    let resource: Resource | undefined;
    const base = this.pendingTop;
    try {
      while (!this.r.done) {
        const key = this.r.varint();
        if (key === ((1 << 3) | WIRE_LENGTH)) {
          const start = this.payload();
          resource = this.resourceAt(start, this.r.pos);
        }
        // The resource may come after the spans on the wire; spans are read once it is known.
        else if (key === ((2 << 3) | WIRE_LENGTH)) {
          const start = this.payload();
          this.pushPending(start, this.r.pos);
        } else this.r.skip(key & 7);
      }
    } finally {
      const known = resource ?? resourceFrom({});
      const top = this.pendingTop;
      for (let i = base; i < top; i += 2) this.tolerantAt(this.pending[i], this.pending[i + 1], this.scopeSpans, known);
      this.pendingTop = base;
    }
  }

  /** The Resource message at [start, end), as `resourceSpans` reads it; the same object for the same bytes. */
  resourceAt(start: number, end: number): Resource {
    return this.shared(this.resources, start, end, this.resource);
  }

  private resource(): Resource {
    return resourceFrom(this.attributesList());
  }

  /** What `read` makes of the message at [start, end), the same object for the same bytes. */
  private shared<T>(table: SharedByBytes<T>, start: number, end: number, read: (this: this) => T): T {
    const known = table.find(start, end);
    if (known) return known;
    const cuts = this.cuts;
    const value = this.within([start, end], () => read.call(this));
    // One that was cut short is read again where it repeats, so each place says so.
    if (this.cuts === cuts) table.keep(value);
    return value;
  }

  /** Repeated KeyValue under field 1 (Resource.attributes, KeyValueList.values). */
  private attributesList(depth = 0): Attributes {
    const attributes = newAttributes();
    while (!this.r.done) {
      const key = this.r.varint();
      if (key === ((1 << 3) | WIRE_LENGTH)) this.keyValue(attributes, depth);
      else this.r.skip(key & 7);
    }
    return attributes;
  }

  private scopeSpans(resource: Resource): void {
    let scope: Scope | undefined;
    // Spans are read once the scope is known (it may come after them): nothing is made per span but the span itself.
    const base = this.pendingTop;
    try {
      while (!this.r.done) {
        const key = this.r.varint();
        if (key === ((1 << 3) | WIRE_LENGTH)) {
          const start = this.payload();
          scope = this.shared(this.scopes, start, this.r.pos, this.scope);
        } else if (key === ((2 << 3) | WIRE_LENGTH)) {
          const start = this.payload();
          this.pushPending(start, this.r.pos);
        } else this.r.skip(key & 7);
      }
    } finally {
      const top = this.pendingTop;
      for (let i = base; i < top; i += 2) this.tolerantSpan(this.pending[i], this.pending[i + 1], resource, scope);
      this.pendingTop = base;
    }
  }

  /** `tolerant` for one span, without a closure (it runs for every span). */
  private tolerantSpan(start: number, end: number, resource: Resource, scope: Scope | undefined): void {
    const r = this.r;
    const savedEnd = r.end;
    r.pos = start;
    r.end = end;
    try {
      const span = this.span(resource, scope);
      if (span && this.rowsOnly) {
        this.spans.push(span);
        this.spanRanges.push(start, end);
      }
    } catch (error) {
      if (!(error instanceof ProtobufError)) throw error;
      this.truncatedAt ??= start;
    } finally {
      r.pos = end;
      r.end = savedEnd;
    }
  }

  private scope(): Scope {
    const scope: Scope = { name: '' };
    while (!this.r.done) {
      const key = this.r.varint();
      if (key === ((1 << 3) | WIRE_LENGTH)) scope.name = this.r.string();
      else if (key === ((2 << 3) | WIRE_LENGTH)) scope.version = this.r.string();
      else if (key === ((3 << 3) | WIRE_LENGTH)) this.keyValue((scope.attributes ??= newAttributes()));
      else this.r.skip(key & 7);
    }
    return scope;
  }

  private traceId(): string | undefined {
    const start = this.r.payloadStart();
    const end = this.r.pos;
    // Every span of a batch usually carries the same trace id: reuse the string when the bytes match.
    if (this.lastTraceId !== undefined && end - start === 16 && this.sameBytes(this.lastTraceIdStart, start, 16)) return this.lastTraceId;
    const id = this.id(start, end, TRACE_ID_HEX_LENGTH);
    if (id !== undefined && end - start === 16) {
      this.lastTraceId = id;
      this.lastTraceIdStart = start;
    }
    return id;
  }

  private sameBytes(a: number, b: number, length: number): boolean {
    for (let i = 0; i < length; i++) if (this.bytes[a + i] !== this.bytes[b + i]) return false;
    return true;
  }

  private spanId(): string | undefined {
    const start = this.r.payloadStart();
    const end = this.r.pos;
    this.idStart = start;
    if (end - start !== 8) return this.id(start, end, SPAN_ID_HEX_LENGTH);
    const known = this.idTexts.find(this.bytes, start);
    if (known !== undefined) return known;
    const id = this.id(start, end, SPAN_ID_HEX_LENGTH);
    if (id !== undefined) this.idTexts.keep(id);
    return id;
  }

  private id(start: number, end: number, hexLength: number): string | undefined {
    if (end <= start || (end - start) * 2 > hexLength) return undefined;
    let zero = true;
    for (let i = start; i < end && zero; i++) zero = this.bytes[i] === 0;
    if (zero) return undefined;
    const hex = this.r.hex(start, end);
    return hex.length === hexLength ? hex : hex.padStart(hexLength, '0');
  }

  /** The span read and added (undefined: rejected). */
  private span(resource: Resource, scope: Scope | undefined): Span | undefined {
    const r = this.r;
    let traceId: string | undefined;
    let spanId: string | undefined;
    let idStart = 0;
    let idEnd = 0;
    let parentSpanId: string | undefined;
    let name = '';
    let kindNumber = 0;
    // Absent fixed64 fields are 0 in proto3.
    let startMajor = 0;
    let startMinor = 0;
    let endMajor = 0;
    let endMinor = 0;
    // Rows only: the few status tags go to a scratch map, and most spans share one empty map until `fill`.
    const attributes = this.rowsOnly ? this.rowTags : newAttributes();
    let eventRanges: Range[] | undefined;
    let links: SpanLink[] | undefined;
    let status: Status = UNSET_STATUS;
    const begin = r.pos;
    const end = r.end;
    this.faultAt = -1;
    while (!r.done) {
      const key = r.varint();
      switch (key) {
        case (1 << 3) | WIRE_LENGTH:
          traceId = this.traceId();
          break;
        case (2 << 3) | WIRE_LENGTH:
          spanId = this.spanId();
          idStart = this.idStart;
          idEnd = r.pos;
          break;
        case (4 << 3) | WIRE_LENGTH:
          parentSpanId = this.spanId();
          break;
        case (5 << 3) | WIRE_LENGTH:
          name = r.string();
          break;
        case (6 << 3) | WIRE_VARINT:
          kindNumber = r.varint();
          break;
        case (7 << 3) | WIRE_FIXED64:
          startMinor = r.fixed32();
          startMajor = r.fixed32();
          break;
        case (8 << 3) | WIRE_FIXED64:
          endMinor = r.fixed32();
          endMajor = r.fixed32();
          break;
        case (9 << 3) | WIRE_LENGTH:
          this.tolerantKeyValue(attributes, this.rowsOnly ? ROW_ATTRIBUTES : undefined);
          break;
        case (11 << 3) | WIRE_LENGTH:
          (eventRanges ??= []).push(this.range());
          break;
        case (13 << 3) | WIRE_LENGTH:
          if (this.rowsOnly) r.skip(WIRE_LENGTH);
          else this.link(this.range(), (links ??= []));
          break;
        case (15 << 3) | WIRE_LENGTH: {
          const outer = this.enter();
          status = this.status();
          this.leave(outer);
          break;
        }
        default:
          r.skip(key & 7);
      }
    }
    if (!traceId || !spanId) {
      this.assembler.reject({ code: 'invalid-id', message: `skipped span "${name}": invalid trace or span id` });
      return;
    }
    let durationNs = (endMajor - startMajor) * FIXED64_RADIX + (endMinor - startMinor);
    if (durationNs < 0) {
      this.assembler.warn({ code: 'invalid-time', spanId, message: `span ${spanId} ends before it starts; shown with zero duration` }, traceId);
      durationNs = 0;
    }
    // Most spans have no events: no start object for them (a hundred thousand spans' worth of garbage).
    const start = eventRanges && { major: startMajor, minor: startMinor };
    const events = eventRanges ? eventRanges.map((range) => this.within(range, () => this.event(start!))) : NO_EVENTS;
    // Once its events are read too (their attributes can be malformed); a rows-only read says it once the span is filled.
    if (this.faultAt >= 0 && !this.rowsOnly) this.assembler.warn(this.faultWarning(spanId, begin, end), traceId);
    const span: Span = {
      traceId,
      spanId,
      parentSpanId,
      name,
      kind: spanKindFrom(kindNumber) ?? 'unspecified',
      startNs: TIME_PENDING,
      durationNs: TIME_PENDING,
      status: statusWithTagFallbacks(status, attributes),
      attributes: this.rowsOnly ? this.takeRowTags() : attributes,
      events,
      links: links ?? NO_LINKS,
      resource,
      scope,
    };
    span.durationNs = durationNs;
    this.assembler.addSplit(span, startMajor, startMinor);
    this.ownIds.note(this.bytes, idStart, idEnd - idStart);
    return span;
  }

  /** The status tags the span just read had (a map of its own), or the shared empty map. */
  private takeRowTags(): Attributes {
    let tags: Attributes | undefined;
    for (const key in this.rowTags) {
      (tags ??= newAttributes())[key] = this.rowTags[key];
      delete this.rowTags[key];
    }
    return tags ?? NO_ROW_TAGS;
  }

  /**
   * Reads what a rows-only decode left out of its spans (attributes, events with theirs, links) into them. A
   * malformed part keeps what was read before it, and is said in the trace's warnings.
   */
  fill(warn: (span: Span, warning: TraceWarning) => void): void {
    this.rowsOnly = false;
    const r = this.r;
    for (let k = 0; k < this.spans.length; k++) {
      const span = this.spans[k];
      const [start, end] = [this.spanRanges[2 * k], this.spanRanges[2 * k + 1]];
      const attributes = newAttributes();
      this.faultAt = -1;
      try {
        this.within([start, end], () => {
          let eventRanges: Range[] | undefined;
          let links: SpanLink[] | undefined;
          let startSplit: SplitTime = { major: 0, minor: 0 };
          while (!r.done) {
            const key = r.varint();
            if (key === ((7 << 3) | WIRE_FIXED64)) startSplit = r.fixed64();
            else if (key === ((9 << 3) | WIRE_LENGTH)) this.tolerantKeyValue(attributes);
            else if (key === ((11 << 3) | WIRE_LENGTH)) (eventRanges ??= []).push(this.range());
            else if (key === ((13 << 3) | WIRE_LENGTH)) this.link(this.range(), (links ??= []));
            else r.skip(key & 7);
          }
          if (eventRanges) span.events = eventRanges.map((range) => this.within(range, () => this.event(startSplit)));
          span.links = links ?? NO_LINKS;
        });
      } catch (error) {
        this.noteFault(error, start);
      }
      if (this.faultAt >= 0) warn(span, this.faultWarning(span.spanId, start, end));
      span.attributes = attributes;
    }
  }

  private status(): Status {
    let code = 0;
    let message = '';
    while (!this.r.done) {
      const key = this.r.varint();
      if (key === ((2 << 3) | WIRE_LENGTH)) message = this.r.string();
      else if (key === ((3 << 3) | WIRE_VARINT)) code = this.r.varint();
      else this.r.skip(key & 7);
    }
    const statusCode = statusCodeFrom(code) ?? 'unset';
    if (statusCode === 'unset' && !message) return UNSET_STATUS;
    return message ? { code: statusCode, message } : { code: statusCode };
  }

  private event(spanStart: SplitTime): SpanEvent {
    const event: SpanEvent = { name: '', offsetNs: 0, attributes: newAttributes() };
    while (!this.r.done) {
      const key = this.r.varint();
      if (key === ((1 << 3) | WIRE_FIXED64)) event.offsetNs = diffNs(this.r.fixed64(), spanStart, FIXED64_RADIX);
      else if (key === ((2 << 3) | WIRE_LENGTH)) event.name = this.r.string();
      else if (key === ((3 << 3) | WIRE_LENGTH) && !this.rowsOnly) this.tolerantKeyValue(event.attributes);
      else this.r.skip(key & 7);
    }
    return event;
  }

  private link(range: Range, links: SpanLink[]): void {
    this.within(range, () => {
      let traceId: string | undefined;
      let spanId: string | undefined;
      const attributes = newAttributes();
      while (!this.r.done) {
        const key = this.r.varint();
        if (key === ((1 << 3) | WIRE_LENGTH)) traceId = this.traceId();
        else if (key === ((2 << 3) | WIRE_LENGTH)) spanId = this.spanId();
        else if (key === ((4 << 3) | WIRE_LENGTH)) this.tolerantKeyValue(attributes);
        else this.r.skip(key & 7);
      }
      if (traceId && spanId) links.push({ traceId, spanId, kind: linkKindFrom(attributes), attributes });
    });
  }

  /**
   * An attribute of a span, its events or links: a malformed one is left out, and the rest of the span read (a
   * file's span is not lost to one bad value, in whichever stage it is read).
   */
  private tolerantKeyValue(into: Attributes, only?: KeySet): void {
    const at = this.r.pos;
    const end = this.r.end;
    try {
      this.keyValue(into, 0, only);
    } catch (error) {
      this.noteFault(error, at);
      this.r.end = end;
      this.r.pos = at;
      this.range();
    }
  }

  private noteFault(error: unknown, at: number): void {
    if (!(error instanceof ProtobufError)) throw error;
    if (this.faultAt < 0) this.faultAt = at;
  }

  private faultWarning(spanId: string, start: number, end: number): TraceWarning {
    return {
      code: 'truncated',
      spanId,
      message: `span ${spanId}: malformed at byte ${this.faultAt} (its message is bytes ${start}-${end}); kept what could be read of its attributes, events and links`,
    };
  }

  /**
   * `only`: the attribute is kept if its key is one of these (its value is not even read otherwise). A span's own
   * attribute (not nested, all kept) is found by its bytes when it repeats one read before (KeyValueTable).
   */
  private keyValue(into: Attributes, depth = 0, only?: KeySet): void {
    const r = this.r;
    const length = r.varint();
    const start = r.pos;
    const end = start + length;
    const shared = depth === 0 && only === undefined && end <= r.end;
    if (shared) {
      const kept = this.attributes.find(start, end);
      if (kept !== undefined) {
        r.pos = end;
        into[kept.key] = kept.value;
        return;
      }
    }
    const cuts = this.cuts;
    const outer = this.enterAt(length);
    let name: string | undefined;
    let value: AttributeValue = null;
    while (!r.done) {
      const key = r.varint();
      if (key === ((1 << 3) | WIRE_LENGTH)) {
        const keyStart = r.payloadStart();
        name = only && !only.lengths.has(r.pos - keyStart) ? undefined : r.text(keyStart, r.pos);
        if (only && (name === undefined || !only.keys.has(name))) {
          name = undefined;
          break;
        }
      } else if (key === ((2 << 3) | WIRE_LENGTH)) value = this.anyValue(depth);
      else r.skip(key & 7);
    }
    this.leave(outer);
    if (name === undefined) return;
    into[name] = value;
    // One whose value was cut at its end is read again where it repeats, so each place says so.
    if (shared && this.cuts === cuts) this.attributes.read(start, end, name, value);
  }

  private anyValue(depth = 0): AttributeValue {
    const r = this.r;
    const outer = this.enter();
    let value: AttributeValue = null;
    if (depth > MAX_VALUE_DEPTH) {
      this.leave(outer);
      return CUT_VALUE;
    }
    while (!r.done) {
      const key = r.varint();
      switch (key) {
        case (1 << 3) | WIRE_LENGTH:
          value = r.string();
          break;
        case (2 << 3) | WIRE_VARINT:
          value = r.varint() !== 0;
          break;
        case (3 << 3) | WIRE_VARINT:
          value = r.int64();
          break;
        case (4 << 3) | WIRE_FIXED64:
          value = r.double();
          break;
        case (5 << 3) | WIRE_LENGTH:
          value = this.within(this.range(), () => this.arrayValue(depth + 1));
          break;
        case (6 << 3) | WIRE_LENGTH:
          value = this.within(this.range(), () => this.attributesList(depth + 1));
          break;
        case (7 << 3) | WIRE_LENGTH: {
          const start = r.payloadStart();
          value = r.base64(start, r.pos);
          break;
        }
        default:
          r.skip(key & 7);
      }
    }
    this.leave(outer);
    return value;
  }

  private arrayValue(depth: number): AttributeValue[] {
    const values: AttributeValue[] = [];
    while (!this.r.done) {
      const key = this.r.varint();
      if (key === ((1 << 3) | WIRE_LENGTH)) values.push(this.anyValue(depth));
      else this.r.skip(key & 7);
    }
    return values;
  }
}

/**
 * Reads Resource messages of `bytes` as a whole decode reads them (throws ProtobufError): one reader for all, as a
 * file may hold one ResourceSpans per span.
 */
export function resourceReader(bytes: Uint8Array): (start: number, end: number) => Resource {
  const decoder = new OtlpProtobufDecoder(bytes, new TraceAssembler(FIXED64_RADIX));
  return (start, end) => decoder.resourceAt(start, end);
}

/** Whether the bytes can start an OTLP protobuf message: field 1, length-delimited (or an empty message). */
export function looksLikeOtlpProtobuf(bytes: Uint8Array): boolean {
  return bytes.length === 0 || bytes[0] === 0x0a;
}

/** `tables`: shared across calls (a receiver's), so spans of all batches share their repeated strings and resources. */
export function decodeOtlpProtobuf(bytes: Uint8Array, tables?: DecodeTables): Decoded {
  const assembler = new TraceAssembler(FIXED64_RADIX);
  const decoder = new OtlpProtobufDecoder(bytes, assembler, tables);
  decoder.decode();
  return finished(decoder, assembler);
}

/**
 * A large input in two stages: first only what a waterfall's rows read (ids, names, kinds, times, statuses and
 * the attributes that stand for one, event times, resources), in about two thirds of the whole's time; then `fill`
 * reads the rest (attributes, events' attributes, links) into the same spans. A large file's first rows are made
 * and shown between the two.
 */
export function decodeOtlpProtobufInStages(bytes: Uint8Array): { decoded: Decoded; fill(): void } {
  const assembler = new TraceAssembler(FIXED64_RADIX);
  const decoder = new OtlpProtobufDecoder(bytes, assembler, undefined, true);
  decoder.decode();
  const decoded = finished(decoder, assembler);
  const byId = new Map(decoded.traces.map((t) => [t.traceId, t]));
  return { decoded, fill: () => decoder.fill((span, warning) => byId.get(span.traceId)?.warnings.push(warning)) };
}

function finished(decoder: OtlpProtobufDecoder, assembler: TraceAssembler): Decoded {
  if (decoder.truncatedAt !== undefined) {
    assembler.warn({
      code: 'truncated',
      message: `protobuf input is malformed or truncated near byte ${decoder.truncatedAt}; kept the ${assembler.spanCount} spans read before it`,
    });
  }
  return {
    format: 'otlp-protobuf',
    traces: assembler.finish(decoder.ownIds.allDistinct()),
    warnings: assembler.warnings,
    rejectedSpans: assembler.rejectedSpans,
  };
}
