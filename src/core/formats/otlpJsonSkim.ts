// A large OTLP/JSON file (one document, or JSON Lines as the Collector's file exporter writes) skimmed into columns
// (spanSkim.ts) by a scan of its bytes, without parsing it whole: JSON.parse of a 100k-span file alone takes
// longer than a skim of it, and most of the document is attributes no first row shows. Strings are passed over by
// memchr to their closing quote. Each value the skim reads (ids, times, kind, status) goes through the decoder's
// own functions, so it reads what the decode reads; a file the decode would read otherwise or warn of (several
// traces, an id or time it would skip, a tag standing in for a status, a key said twice where it matters) is
// left to the decode, with the reason. A row's name and events are read when it is shown, by JSON.parse of its
// span's own bytes, as the decoder reads them.
import { normaliseSpanId, normaliseTraceId } from '../model/ids';
import { DECIMAL_RADIX, diffNs, splitNanos, type SplitTime } from '../model/spanTime';
import { KIND_NUMBER, spanKindFrom, statusCodeFrom, STATUS_TAGS } from '../model/status';
import { asArray, asObject } from './jsonShape';
import { BACKSLASH, encoded, indexesOf, JsonBytes, OPEN_ARRAY, OPEN_OBJECT, QUOTE } from './jsonBytes';
import { otlpAttributes, resourceFrom, SPAN_FIELDS as SPAN_FIELD_NAMES } from './otlpJson';
import { GrowingColumn } from './growingColumn';
import { linkParents, relativeStarts, SKIM_MAX_SPANS, SkimUnread, skimOrReason, type IdColumns, type RowParts, type SpanSkim } from './spanSkim';

const DOCUMENT_FIELDS = encoded(['resourceSpans']);
const RESOURCE_SPANS_FIELDS = encoded(['resource', 'scopeSpans', 'instrumentationLibrarySpans']);
const SCOPE_SPANS_FIELDS = encoded(['spans']);
/** Every span field the decoder knows, so that the order a writer puts them in is learned (the skim reads a few). */
const SPAN_FIELDS = encoded([...SPAN_FIELD_NAMES]);
const [TRACE_ID, SPAN_ID, PARENT_SPAN_ID, KIND, START, END, STATUS, ATTRIBUTES] = indexesOf(SPAN_FIELDS, [
  'traceId',
  'spanId',
  'parentSpanId',
  'kind',
  'startTimeUnixNano',
  'endTimeUnixNano',
  'status',
  'attributes',
]);
const CODE_FIELD = encoded(['code']);
/** An absent time is 0 to the decode (proto3 JSON omits zero values). */
const ZERO_TIME: SplitTime = { major: 0, minor: 0 };
const KEY_FIELD = encoded(['key']);
/** Bit n set: a tag is n bytes long. */
const TAG_LENGTH_BITS = [...STATUS_TAGS].reduce((bits, tag) => bits | (1 << new TextEncoder().encode(tag).length), 0);

const float64 = () => new GrowingColumn((n) => new Float64Array(n));
const uint32 = () => new GrowingColumn((n) => new Uint32Array(n));
const uint8 = () => new GrowingColumn((n) => new Uint8Array(n));

/** The columns as they grow (the span count is known only at the end). */
function growingColumns() {
  return {
    startMajor: float64(),
    startMinor: float64(),
    durationNs: float64(),
    kind: uint8(),
    failed: uint8(),
    resource: new GrowingColumn((n) => new Int32Array(n)),
    idLow: uint32(),
    idHigh: uint32(),
    parentLow: uint32(),
    parentHigh: uint32(),
    hasParent: uint8(),
    /** Where each span's object lies: [from, to). */
    from: float64(),
    to: float64(),
  };
}

class JsonSkimmer extends JsonBytes {
  /** The span field that followed each last time (see JsonBytes.members). */
  private readonly spanFieldAfter = new Int8Array(SPAN_FIELDS.length + 1);
  /** Whether skipValue passed a string that is a status tag since this was last cleared. */
  private tagLike = false;
  private traceIdBytes: [number, number] | undefined;
  private traceId: string | undefined;
  private readonly services: string[] = [];
  private readonly columns = growingColumns();
  /** Where the next backslash at or after some position is (the file's bytes are read forward). */
  private backslashAt = -1;

  constructor(
    bytes: Uint8Array,
    private readonly maxSpans: number,
  ) {
    super(bytes);
  }

  run(): SpanSkim {
    if (this.bytes[0] === 0xef) throw new SkimUnread('a byte-order mark');
    this.whitespace();
    this.documents(() => this.document());
    const n = this.columns.from.length;
    if (n === 0) throw new SkimUnread('no spans');
    return this.skim(n);
  }

  private document(): void {
    if (this.bytes[this.pos] !== OPEN_OBJECT) throw new SkimUnread('a JSON value that is not an OTLP/JSON document');
    let found = false;
    this.members(DOCUMENT_FIELDS, () => {
      if (found) throw new SkimUnread('"resourceSpans" twice in one document');
      found = true;
      if (this.bytes[this.pos] !== OPEN_ARRAY) throw new SkimUnread('"resourceSpans" that is not a list');
      this.items(() => this.resourceSpans());
    });
    if (!found) throw new SkimUnread('a JSON document without "resourceSpans" (not OTLP/JSON)');
  }

  private resourceSpans(): void {
    if (this.bytes[this.pos] !== OPEN_OBJECT) return this.skipValue(0);
    const index = this.services.push('') - 1;
    let resource: [number, number] | undefined;
    let scopes = false;
    this.members(RESOURCE_SPANS_FIELDS, (field) => {
      if (field === 0) {
        const from = this.pos;
        this.skipValue(0);
        resource = [from, this.pos];
        return;
      }
      // The decode reads `scopeSpans ?? instrumentationLibrarySpans`, the last of each.
      if (scopes) throw new SkimUnread('scope spans said twice in one resource');
      scopes = true;
      if (this.bytes[this.pos] !== OPEN_ARRAY) return this.skipValue(0);
      this.items(() => this.scopeSpans(index));
    });
    this.services[index] = this.serviceName(resource);
  }

  /** The resource's service name, by the decoder's own reading of its value. */
  private serviceName(range: [number, number] | undefined): string {
    const value: unknown = range ? JSON.parse(this.text.toString('utf8', range[0], range[1])) : undefined;
    return resourceFrom(otlpAttributes(asObject(value)?.attributes)).serviceName;
  }

  private scopeSpans(resource: number): void {
    if (this.bytes[this.pos] !== OPEN_OBJECT) return this.skipValue(0);
    let seen = false;
    this.members(SCOPE_SPANS_FIELDS, () => {
      if (seen) throw new SkimUnread('"spans" twice in one scope');
      seen = true;
      if (this.bytes[this.pos] !== OPEN_ARRAY) return this.skipValue(0);
      this.items(() => (this.bytes[this.pos] === OPEN_OBJECT ? this.span(resource) : this.skipValue(0)));
    });
  }

  private span(resource: number): void {
    const from = this.pos;
    const c = this.columns;
    // The last of a key said twice, as JSON.parse takes it.
    let traced = false;
    let identified = false;
    let parented = false;
    let kind: unknown;
    let start: SplitTime | undefined = ZERO_TIME;
    let end: SplitTime | undefined = ZERO_TIME;
    let status: unknown;
    let tagged = false;
    let [spanLow, spanHigh, parentLow, parentHigh] = [0, 0, 0, 0];
    this.members(
      SPAN_FIELDS,
      (field) => {
        if (field === TRACE_ID) traced = this.sameTraceId();
        else if (field === SPAN_ID) {
          identified = this.spanIdHalves();
          spanLow = this.idLow;
          spanHigh = this.idHigh;
        } else if (field === PARENT_SPAN_ID) {
          parented = this.spanIdHalves();
          parentLow = this.idLow;
          parentHigh = this.idHigh;
        } else if (field === KIND) kind = this.value();
        else if (field === START) start = this.time();
        else if (field === END) end = this.time();
        else if (field === STATUS) status = this.bytes[this.pos] === OPEN_OBJECT ? this.statusCode() : (this.skipValue(0), undefined);
        else if (field === ATTRIBUTES) tagged = this.bytes[this.pos] === OPEN_ARRAY ? this.statusTagged() : (this.skipValue(0), false);
        else this.skipValue(0);
      },
      this.spanFieldAfter,
    );
    c.from.push(from);
    if (c.from.length > this.maxSpans) throw new SkimUnread(`more than ${this.maxSpans.toLocaleString('en-US')} spans`);
    c.to.push(this.pos);
    c.resource.push(resource);
    if (!traced) throw new SkimUnread('a span without a trace id the decode reads');
    if (!identified) throw new SkimUnread('a span without a span id the decode reads');
    c.idLow.push(spanLow);
    c.idHigh.push(spanHigh);
    c.hasParent.push(parented ? 1 : 0);
    c.parentLow.push(parented ? parentLow : 0);
    c.parentHigh.push(parented ? parentHigh : 0);
    if (!start) throw new SkimUnread('a start time the decode cannot read');
    const durationNs = end ? diffNs(end, start, DECIMAL_RADIX) : -1;
    if (durationNs < 0) throw new SkimUnread('a span that ends before it starts, or without an end');
    c.startMajor.push(start.major);
    c.startMinor.push(start.minor);
    c.durationNs.push(durationNs);
    c.kind.push(KIND_NUMBER[spanKindFrom(kind) ?? 'unspecified']);
    const code = statusCodeFrom(status) ?? 'unset';
    if (code === 'unset' && tagged) throw new SkimUnread('a status said by tags (another tracer’s way)');
    c.failed.push(code === 'error' ? 1 : 0);
  }

  /** Whether the span's trace id is the file's one trace's: its bytes compared with the first's, else as the decode reads it. */
  private sameTraceId(): boolean {
    const from = this.pos;
    const first = this.traceIdBytes;
    if (first && this.bytes[from] === QUOTE) {
      const length = first[1] - first[0];
      if (this.bytes[from + length - 1] === QUOTE && this.sameBytes(first[0], from, length)) {
        this.pos = from + length;
        return true;
      }
    }
    const id = normaliseTraceId(this.value());
    if (!id) return false;
    if (this.traceId === undefined) {
      this.traceId = id;
      this.traceIdBytes = [from, this.pos];
    } else if (id !== this.traceId) throw new SkimUnread('more than one trace');
    return true;
  }

  private sameBytes(a: number, b: number, length: number): boolean {
    const bytes = this.bytes;
    for (let i = 0; i < length; i++) if (bytes[a + i] !== bytes[b + i]) return false;
    return true;
  }

  /** A status object's `code`, as its raw value. */
  private statusCode(): unknown {
    let code: unknown;
    this.members(CODE_FIELD, () => (code = this.value()));
    return code;
  }

  /**
   * Whether an attribute list has a key among STATUS_TAGS (more than the decode looks at: never less). Passed over
   * first; read key by key only if a string in it is a tag or an escape is (either might be such a key).
   */
  private statusTagged(): boolean {
    const from = this.pos;
    this.tagLike = false;
    this.skipValue(0);
    if (!this.tagLike && !this.backslashWithin(from, this.pos)) return false;
    const end = this.pos;
    this.pos = from;
    const tagged = this.keysTagged();
    this.pos = end;
    return tagged;
  }

  private keysTagged(): boolean {
    let tagged = false;
    this.items(() => {
      if (this.bytes[this.pos] !== OPEN_OBJECT) return this.skipValue(0);
      this.members(KEY_FIELD, () => {
        const key = this.value();
        tagged ||= typeof key === 'string' && STATUS_TAGS.has(key);
      });
    });
    return tagged;
  }

  /** Notes in `tagLike` a string passed over that is a status tag. */
  protected override skipString(): void {
    const from = this.pos;
    const end = this.stringEnd();
    this.pos = end + 1;
    const length = end - from - 1;
    // Tags start with 'e' or 'o': most strings of a tag's length are told apart by their first byte.
    const first = this.bytes[from + 1];
    if (length < 32 && (TAG_LENGTH_BITS >>> length) & 1 && (first === 0x65 || first === 0x6f) && STATUS_TAGS.has(this.text.toString('latin1', from + 1, end)))
      this.tagLike = true;
  }

  /** Whether bytes [from, to) hold a backslash: one memchr per backslash in the file, as the skim moves forward. */
  private backslashWithin(from: number, to: number): boolean {
    if (this.backslashAt < from) {
      const at = this.bytes.indexOf(BACKSLASH, from);
      this.backslashAt = at < 0 ? Infinity : at;
    }
    return this.backslashAt < to;
  }

  private skim(n: number): SpanSkim {
    const c = this.columns;
    const ids: IdColumns = {
      idLow: c.idLow.filled(),
      idHigh: c.idHigh.filled(),
      parentLow: c.parentLow.filled(),
      parentHigh: c.parentHigh.filled(),
      hasParent: c.hasParent.filled(),
    };
    const startNs = new Float64Array(n);
    const skim: SpanSkim = {
      count: n,
      traceId: this.traceId!,
      startUnixNano: relativeStarts(c.startMajor.filled(), c.startMinor.filled(), startNs, DECIMAL_RADIX),
      startNs,
      durationNs: c.durationNs.filled(),
      parent: new Int32Array(n),
      kind: c.kind.filled(),
      failed: c.failed.filled(),
      resource: c.resource.filled(),
      services: this.services,
      orphans: [],
      partsOf: (span) => this.partsOf(span),
    };
    linkParents(ids, skim.parent, skim.orphans);
    return skim;
  }

  /** A shown row's name, ids and events, by the decoder's reading of its span's own bytes. */
  private partsOf(span: number): RowParts {
    const raw = asObject(JSON.parse(this.text.toString('utf8', this.columns.from.at(span), this.columns.to.at(span))));
    if (!raw) throw new SkimUnread('a span that is not an object');
    const start = splitNanos(raw.startTimeUnixNano ?? 0)!;
    return {
      name: typeof raw.name === 'string' ? raw.name : '',
      spanId: normaliseSpanId(raw.spanId)!,
      parentSpanId: normaliseSpanId(raw.parentSpanId) ?? '',
      eventOffsets: eventOffsets(raw.events, start),
    };
  }
}

/** The decoder's events, their offsets alone (otlpJson.ts events()). */
function eventOffsets(raw: unknown, spanStart: SplitTime): number[] {
  const offsets: number[] = [];
  for (const item of asArray(raw)) {
    const event = asObject(item);
    if (!event) continue;
    const time = splitNanos(event.timeUnixNano);
    offsets.push(time ? diffNs(time, spanStart, DECIMAL_RADIX) : 0);
  }
  return offsets;
}

/** The file's spans as columns, or why the decode must read it. */
export function skimOtlpJson(bytes: Uint8Array, maxSpans = SKIM_MAX_SPANS): SpanSkim | { unread: string } {
  return skimOrReason(() => new JsonSkimmer(bytes, maxSpans).run());
}
