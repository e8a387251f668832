// An OTLP/JSON export request (and a file or backend answer of them, see `read`) read from its bytes into the
// spans decodeOtlpResourceSpans makes of the parsed document. JSON.parse of a request makes every object of it (each attribute is three, each string new) and then
// all of them are garbage; with HTTP alone it took as long as the whole Collector takes per span. Here the bytes
// are read once, keys compared as bytes, and short strings found in the receiver's table, so a span's objects
// are the ones it keeps. The usual request (what SDKs and the Collector send) is read here; anything else — an
// unknown field the decoder warns of, a span it rejects, a key said twice where that matters, malformed JSON — is
// left to the decoder with the reason, and it reads the whole request as before. Events, links, nested values,
// and a resource or scope not met before are read by JSON.parse of their own bytes and the decoder's functions.
import { normaliseTraceId } from '../model/ids';
import { DECIMAL_RADIX } from '../model/spanTime';
import { spanKindFrom, statusWithTagFallbacks } from '../model/status';
import { newAttributes, NO_EVENTS, NO_LINKS, type AttributeValue, type Attributes, type Resource, type Scope, type Span } from '../model/trace';
import { TIME_PENDING, TraceAssembler } from '../model/traceAssembler';
import type { Decoded, FormatName } from './decodeResult';
import { CLOSE_ARRAY, CLOSE_OBJECT, encoded, indexesOf, JsonBytes, OPEN_ARRAY, OPEN_OBJECT, QUOTE } from './jsonBytes';
import { asObject, type Json } from './jsonShape';
import {
  eventsFrom,
  int64Value,
  linksFrom,
  otlpAnyValue,
  otlpAttributes,
  resourceFrom,
  scopeFrom,
  SPAN_FIELDS as SPAN_FIELD_NAMES,
  statusFrom,
} from './otlpJson';
import type { DecodeTables } from './decodeTables';
import type { KeptAttribute, KeyValueTable } from './keyValueTable';
import type { SharedByBytes } from './sharedByBytes';
import { SkimUnread } from './spanSkim';
import { SpanIdTexts } from './spanIdTexts';
import { OwnSpanIds } from './ownSpanIds';
import { InternedTexts } from './stringTable';

/** What holds a document's ResourceSpans: the list itself (a request; Tempo's v1 `batches`), or a wrapper of it. */
const DOCUMENT_FIELDS = encoded(['resourceSpans', 'batches', 'trace', 'result']);
const [RESOURCE_SPANS, , TRACE, RESULT] = DOCUMENT_FIELDS.keys();
const DOCUMENT_FORMATS: FormatName[] = ['otlp-json', 'tempo-json', 'tempo-json', 'jaeger-api-v3'];
const RESOURCE_SPANS_FIELDS = encoded(['resource', 'scopeSpans', 'instrumentationLibrarySpans']);
const SCOPE_SPANS_FIELDS = encoded(['scope', 'instrumentationLibrary', 'spans']);
/** The span fields the decoder knows (the rest it warns of); of them it reads those named below, the others for nothing. */
const SPAN_FIELDS = encoded([...SPAN_FIELD_NAMES]);
const [TRACE_ID, SPAN_ID, PARENT_SPAN_ID, NAME, KIND, START, END, ATTRIBUTES, EVENTS, LINKS, STATUS] = indexesOf(SPAN_FIELDS, [
  'traceId',
  'spanId',
  'parentSpanId',
  'name',
  'kind',
  'startTimeUnixNano',
  'endTimeUnixNano',
  'attributes',
  'events',
  'links',
  'status',
]);
const KEY_VALUE_FIELDS = encoded(['key', 'value']);
const [KEY, VALUE] = KEY_VALUE_FIELDS.keys();
/** otlpAnyValue's kinds, in the order it looks for them. */
const ANY_VALUE_FIELDS = encoded(['stringValue', 'intValue', 'boolValue', 'doubleValue', 'arrayValue', 'kvlistValue', 'bytesValue']);
const [STRING_VALUE, INT_VALUE, BOOL_VALUE, DOUBLE_VALUE, , , BYTES_VALUE] = ANY_VALUE_FIELDS.keys();
const STATUS_FIELDS = encoded(['code', 'message']);
const [CODE, MESSAGE] = STATUS_FIELDS.keys();
const NONE = -1;

const TRACE_ID_TEXT = 34;

class OtlpJsonRequestReader extends JsonBytes {
  private readonly assembler = new TraceAssembler(DECIMAL_RADIX);
  private readonly texts: InternedTexts;
  private readonly spanIds: SpanIdTexts;
  /** The kept spans' own ids, to tell the assembler none repeats. */
  private readonly ownIds = new OwnSpanIds();
  /** Resources and scopes by their bytes (the receiver's, shared by its requests): a batch repeats each per ResourceSpans. */
  private readonly resources: SharedByBytes<Resource>;
  private readonly scopes: SharedByBytes<Scope>;
  private readonly keyValues: KeyValueTable;
  /**
   * The span field that followed each last time (at [field + 1]; [0] the first): a writer puts a span's keys in
   * one order, so the key looked for first is most often the key there.
   */
  private readonly spanFieldAfter = new Int8Array(SPAN_FIELDS.length + 1);
  /** The kind of attribute value read last (a span's values are mostly strings). */
  private lastValueKind = 0;
  /** Where the last trace id read lies, and its text: the spans of a trace come together. */
  private traceIdAt = -1;
  private traceIdText: string | undefined;

  constructor(bytes: Uint8Array, tables: DecodeTables) {
    super(bytes);
    this.texts = new InternedTexts(bytes, tables.strings);
    this.spanIds = new SpanIdTexts(bytes.length);
    this.resources = tables.resources.reading(bytes);
    this.scopes = tables.scopes.reading(bytes);
    this.keyValues = tables.attributes.reading(bytes);
  }

  /**
   * `file`: the input may also be JSON Lines (the Collector's file exporter: one request a line) or a backend's
   * answer that wraps the list (Tempo's `batches` or `trace`, Jaeger api_v3's `result`), read as decode.ts reads
   * them; a request is the export request alone.
   */
  read(file: boolean): Decoded {
    this.whitespace();
    let kind = NONE;
    const document = () => {
      const wrapper = this.document(file);
      if (kind !== NONE && wrapper !== kind) throw new SkimUnread('lines of more than one kind');
      kind = wrapper;
    };
    const several = file ? this.documents(document) : (document(), false);
    this.whitespace();
    if (this.pos !== this.bytes.length) throw new SkimUnread('more after the request');
    const assembler = this.assembler;
    const format = several && kind === RESOURCE_SPANS ? 'otlp-jsonl' : DOCUMENT_FORMATS[kind];
    return { format, traces: assembler.finish(this.ownIds.allDistinct()), warnings: assembler.warnings, rejectedSpans: assembler.rejectedSpans };
  }

  /**
   * A document that holds its list of ResourceSpans alone, under the key it came with (its index in
   * DOCUMENT_FIELDS); another field is the decoder's to read (Tempo's status that says a trace is partial).
   */
  private document(wrapped: boolean): number {
    if (this.bytes[this.pos] !== OPEN_OBJECT || !this.enterObject()) throw new SkimUnread('not a JSON object with resource spans');
    const field = this.key(DOCUMENT_FIELDS);
    if (field === NONE || (field !== RESOURCE_SPANS && !wrapped)) throw new SkimUnread('a field beside "resourceSpans"');
    if (field === TRACE || field === RESULT) {
      if (this.bytes[this.pos] !== OPEN_OBJECT || !this.enterObject() || this.key(DOCUMENT_FIELDS) !== RESOURCE_SPANS)
        throw new SkimUnread('a wrapped trace with other fields');
      this.resourceSpansList();
      if (this.more(CLOSE_OBJECT)) throw new SkimUnread('a wrapped trace with other fields');
    } else this.resourceSpansList();
    if (this.more(CLOSE_OBJECT)) throw new SkimUnread('a field beside "resourceSpans"');
    return field;
  }

  private resourceSpansList(): void {
    if (this.bytes[this.pos] !== OPEN_ARRAY) throw new SkimUnread('resource spans that are not a list');
    if (!this.enterArray()) return;
    do this.resourceSpans();
    while (this.more(CLOSE_ARRAY));
  }

  /** A resource said after its spans, or twice, or spans said twice, is left to the decoder (it reads the last). */
  private resourceSpans(): void {
    if (this.bytes[this.pos] !== OPEN_OBJECT) throw new SkimUnread('a ResourceSpans that is not an object');
    let resource: Resource | undefined;
    let spansRead = false;
    if (!this.enterObject()) return;
    do {
      const field = this.key(RESOURCE_SPANS_FIELDS);
      if (field === NONE) this.parsedValue();
      else if (field === 0) {
        if (resource || spansRead) throw new SkimUnread('a resource after its spans, or twice');
        resource = this.shared(this.resources, (raw) => resourceFrom(otlpAttributes(raw?.attributes)));
      } else {
        if (spansRead || this.bytes[this.pos] !== OPEN_ARRAY) throw new SkimUnread('scope spans twice, or not a list');
        spansRead = true;
        resource ??= resourceFrom(newAttributes());
        if (!this.enterArray()) continue;
        do this.scopeSpans(resource);
        while (this.more(CLOSE_ARRAY));
      }
    } while (this.more(CLOSE_OBJECT));
  }

  /**
   * A resource or scope, the same object for the same bytes (the receiver's tables outlive a request): bytes that
   * start with a kept one's are that one, found before the value's end is; JSON.parse reads one not met before.
   */
  private shared<T>(table: SharedByBytes<T>, make: (raw: Json | undefined) => T | undefined): T | undefined {
    const from = this.pos;
    const repeated = table.findStartingAt(from);
    if (repeated) {
      this.pos += repeated.length;
      return repeated.value;
    }
    this.skipValue(0);
    const known = table.find(from, this.pos);
    if (known) return known;
    const value = make(asObject(this.parsedFrom(from)));
    if (value !== undefined) table.keep(value);
    return value;
  }

  /** The value passed over from `from`, as JSON.parse reads it. */
  private parsedFrom(from: number): unknown {
    const end = this.pos;
    this.pos = from;
    const value = this.parsedValue();
    if (this.pos !== end) throw new SkimUnread('malformed JSON');
    return value;
  }

  private scopeSpans(resource: Resource): void {
    if (this.bytes[this.pos] !== OPEN_OBJECT) throw new SkimUnread('a ScopeSpans that is not an object');
    let scope: Scope | undefined;
    let scopeRead = false;
    let spansRead = false;
    if (!this.enterObject()) return;
    do {
      const field = this.key(SCOPE_SPANS_FIELDS);
      if (field === NONE) this.parsedValue();
      else if (field < 2) {
        if (scopeRead || spansRead) throw new SkimUnread('a scope after its spans, or twice');
        scopeRead = true;
        scope = this.shared(this.scopes, scopeFrom);
      } else {
        if (spansRead || this.bytes[this.pos] !== OPEN_ARRAY) throw new SkimUnread('spans twice, or not a list');
        spansRead = true;
        if (!this.enterArray()) continue;
        do this.span(resource, scope);
        while (this.more(CLOSE_ARRAY));
      }
    } while (this.more(CLOSE_OBJECT));
  }

  /** One span, read as OtlpJsonReader.readSpan reads it; one it would warn of or reject is left to it. */
  private span(resource: Resource, scope: Scope | undefined): void {
    if (this.bytes[this.pos] !== OPEN_OBJECT) throw new SkimUnread('a span that is not an object');
    let traceId: string | undefined;
    let spanId: string | undefined;
    let idHigh = 0;
    let idLow = 0;
    let parentSpanId: string | undefined;
    let name = '';
    let kind: unknown;
    // Absent, a time is 0 (proto3 JSON omits zero values).
    let startMajor = 0;
    let startMinor = 0;
    let endMajor = 0;
    let endMinor = 0;
    let started = true;
    let ended = true;
    let attributes: Attributes | undefined;
    let events: unknown;
    let links: unknown;
    let status: unknown;
    let field = NONE;
    if (this.enterObject()) {
      do {
        const next = this.key(SPAN_FIELDS, this.spanFieldAfter[field + 1]);
        if (next !== NONE) this.spanFieldAfter[field + 1] = next;
        field = next;
        switch (field) {
          case TRACE_ID:
            traceId = this.traceId();
            break;
          case SPAN_ID:
            spanId = this.spanId();
            idHigh = this.idHigh;
            idLow = this.idLow;
            break;
          case PARENT_SPAN_ID:
            parentSpanId = this.spanId();
            break;
          case NAME:
            name = this.bytes[this.pos] === QUOTE ? this.string() : (this.parsedValue(), '');
            break;
          case KIND:
            kind = this.parsedValue();
            break;
          case START:
            started = this.readTime();
            startMajor = this.timeMajor;
            startMinor = this.timeMinor;
            break;
          case END:
            ended = this.readTime();
            endMajor = this.timeMajor;
            endMinor = this.timeMinor;
            break;
          case ATTRIBUTES:
            attributes = this.attributes();
            break;
          case EVENTS:
            events = this.list();
            break;
          case LINKS:
            links = this.list();
            break;
          case STATUS:
            status = this.status();
            break;
          case NONE:
            throw new SkimUnread('a span field the decoder warns of');
          default:
            this.parsedValue();
        }
      } while (this.more(CLOSE_OBJECT));
    }
    if (!traceId || !spanId || !started || !ended) throw new SkimUnread('a span the decoder rejects or warns of');
    const durationNs = (endMajor - startMajor) * DECIMAL_RADIX + (endMinor - startMinor);
    if (durationNs < 0) throw new SkimUnread('a span that ends before it starts');
    attributes ??= newAttributes();
    const span: Span = {
      traceId,
      spanId,
      parentSpanId,
      name,
      kind: spanKindFrom(kind) ?? 'unspecified',
      startNs: TIME_PENDING,
      durationNs: TIME_PENDING,
      status: statusWithTagFallbacks(statusFrom(asObject(status)), attributes),
      attributes,
      events: events === undefined ? NO_EVENTS : eventsFrom(events, { major: startMajor, minor: startMinor }),
      links: links === undefined ? NO_LINKS : linksFrom(links),
      resource,
      scope,
    };
    span.durationNs = durationNs;
    this.assembler.addSplit(span, startMajor, startMinor);
    this.ownIds.noteHalves(idHigh, idLow);
  }

  /** A trace id as normaliseTraceId reads it: 32 lowercase hex digits, the same as the last span's, are its text. */
  private traceId(): string | undefined {
    const b = this.bytes;
    const from = this.pos;
    if (b[from] !== QUOTE || b[from + TRACE_ID_TEXT - 1] !== QUOTE) return normaliseTraceId(this.parsedValue());
    const last = this.traceIdAt;
    if (last >= 0) {
      let i = 1;
      while (i < TRACE_ID_TEXT - 1 && b[from + i] === b[last + i]) i++;
      if (i === TRACE_ID_TEXT - 1) {
        this.pos = from + TRACE_ID_TEXT;
        return this.traceIdText;
      }
    }
    const text = normaliseTraceId(this.parsedValue());
    // Kept only for a string of exactly these bytes (a shorter one could hold a quote where an id's last is).
    if (this.pos === from + TRACE_ID_TEXT) {
      this.traceIdAt = from;
      this.traceIdText = text;
    }
    return text;
  }

  /** A span id as normaliseSpanId reads it; 16 lowercase hex digits, one string for each id of the request. */
  private spanId(): string | undefined {
    const from = this.pos;
    if (!this.spanIdHalves()) return undefined;
    const known = this.spanIds.findHalves(this.idLow, this.idHigh);
    if (known !== undefined) return known;
    // The usual id's text is its own bytes, the quotes left out.
    const text = this.idText ?? this.text.toString('latin1', from + 1, this.pos - 1);
    this.spanIds.keep(text);
    return text;
  }

  protected override decoded(from: number, to: number): string {
    return this.texts.text(from, to);
  }

  /** A string, found as the one that followed the last string last time where it is that one. */
  override string(): string {
    const known = this.texts.quotedNext(this.pos + 1);
    if (known === undefined) return super.string();
    this.pos += known.length + 2;
    return known;
  }

  /** An empty list as nothing to read; any other value as JSON.parse reads it. */
  private list(): unknown {
    const from = this.pos;
    if (this.bytes[from] === OPEN_ARRAY && !this.enterArray()) return undefined;
    this.pos = from;
    return this.parsedValue();
  }

  /**
   * A status's code and message (all statusFrom reads), or JSON.parse's reading of a status that is no object;
   * undefined for one that says nothing (statusFrom reads it as unset: no object made for most spans).
   */
  private status(): unknown {
    if (this.bytes[this.pos] !== OPEN_OBJECT) return this.parsedValue();
    let code: unknown;
    let message: unknown;
    if (this.enterObject()) {
      do {
        const field = this.key(STATUS_FIELDS);
        if (field === CODE) code = this.parsedValue();
        else if (field === MESSAGE) message = this.parsedValue();
        else this.parsedValue();
      } while (this.more(CLOSE_OBJECT));
    }
    return message === undefined && (code === undefined || code === 0) ? undefined : { code, message };
  }

  /** As otlpAttributes reads a list of key-value objects. */
  private attributes(): Attributes {
    const attributes = newAttributes();
    if (this.bytes[this.pos] !== OPEN_ARRAY) {
      this.parsedValue();
      return attributes;
    }
    if (!this.enterArray()) return attributes;
    do {
      if (this.bytes[this.pos] !== OPEN_OBJECT) {
        this.parsedValue();
        continue;
      }
      const start = this.pos;
      const kept = this.keyValues.findStartingAt(start) ?? this.keptAttribute(start);
      if (kept !== undefined) {
        this.pos = start + kept.length;
        attributes[kept.key] = kept.value;
        continue;
      }
      this.pos = start;
      let key: unknown;
      let value: AttributeValue = null;
      let field = NONE;
      if (this.enterObject()) {
        do {
          field = this.key(KEY_VALUE_FIELDS, field + 1);
          if (field === KEY) key = this.bytes[this.pos] === QUOTE ? this.string() : this.parsedValue();
          else if (field === VALUE) value = this.anyValue();
          else this.parsedValue();
        } while (this.more(CLOSE_OBJECT));
      }
      if (typeof key !== 'string') continue;
      attributes[key] = value;
      this.keyValues.read(start, this.pos, key, value);
    } while (this.more(CLOSE_ARRAY));
    return attributes;
  }

  /** The attribute object at `start`, found by its bytes once it is passed over (the reader is left after it). */
  private keptAttribute(start: number): KeptAttribute | undefined {
    this.skipValue(0);
    return this.keyValues.find(start, this.pos);
  }

  /** As otlpAnyValue reads a value of one kind; a value of several (it picks by an order) is left to the decoder. */
  private anyValue(): AttributeValue {
    if (this.bytes[this.pos] !== OPEN_OBJECT) {
      this.parsedValue();
      return null;
    }
    let kind = NONE;
    let value: AttributeValue = null;
    if (this.enterObject()) {
      do {
        const field = this.key(ANY_VALUE_FIELDS, this.lastValueKind);
        if (field === NONE) {
          this.parsedValue();
          continue;
        }
        if (kind !== NONE) throw new SkimUnread('an attribute value of several kinds');
        kind = this.lastValueKind = field;
        value = this.valueOfKind(field);
      } while (this.more(CLOSE_OBJECT));
    }
    return value;
  }

  private valueOfKind(field: number): AttributeValue {
    if (field === STRING_VALUE && this.bytes[this.pos] === QUOTE) return this.string();
    const raw = this.parsedValue();
    if (field === STRING_VALUE) return String(raw);
    if (field === INT_VALUE) return int64Value(raw);
    if (field === BOOL_VALUE) return raw === true || raw === 'true';
    if (field === DOUBLE_VALUE) return typeof raw === 'number' ? raw : Number(raw);
    if (field === BYTES_VALUE) return typeof raw === 'string' ? raw : null;
    return otlpAnyValue({ [ANY_VALUE_FIELDS[field].name]: raw });
  }
}

/**
 * The request's spans, or why the decoder must read it (decodeOtlpResourceSpans of JSON.parse's reading); with
 * `file`, a file or a backend's answer, as decode.ts reads it (see OtlpJsonRequestReader.read).
 */
export function readOtlpJsonRequest(body: Uint8Array, tables: DecodeTables, file = false): Decoded | { unread: string } {
  try {
    return new OtlpJsonRequestReader(body, tables).read(file);
  } catch (error) {
    if (error instanceof SkimUnread) return { unread: error.message };
    throw error;
  }
}
