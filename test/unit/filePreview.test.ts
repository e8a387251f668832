// A large OTLP protobuf file read in two stages: the rows' fields first (its first rows are made and shown
// then), the attributes after, into the same spans. Both stages together must give exactly what one whole read
// gives, and the early rows must be the whole trace's first rows, or the page would jump. Other files' first
// rows come once they are read, before the rest of the open.
import { describe, expect, it } from 'vitest';
import { decodeOtlpProtobuf, decodeOtlpProtobufInStages } from '../../src/core/formats/otlpProtobuf';
import { STATUS_TAGS } from '../../src/core/model/status';
import type { Trace } from '../../src/core/model/trace';
import { readTraceBytes } from '../../src/core/workers/traceFile';
import { prepareTrace } from '../../src/core/waterfall/prepareTrace';
import { PREVIEW_ABOVE, previewModel } from '../../src/core/waterfall/previewModel';
import type { WaterfallModel } from '../../src/core/waterfall/rows';
import { encodeOtlpJson, encodeOtlpProtobuf } from '../support/otelEncode';
import { syntheticTrace } from '../support/syntheticTrace';

/** A large trace with what only attributes, links and clock skew can tell apart. */
function awkwardTrace(spans = PREVIEW_ABOVE + 5_000, traceId = 'ab'.repeat(16)): Trace {
  const trace = syntheticTrace(spans, traceId);
  // Failures said by tags alone (other tracers' way), which rows mark as errors.
  trace.spans[3].attributes = { ...trace.spans[3].attributes, error: true };
  trace.spans[5].attributes = { ...trace.spans[5].attributes, 'otel.status_code': 'ERROR', 'otel.status_description': 'tagged' };
  trace.spans[7].links = [{ traceId: 'cd'.repeat(16), spanId: '1'.repeat(16), kind: 'link', attributes: { why: 'batch' } }];
  // A server span of another service that starts a second before its client: clock skew, corrected by the tree.
  const skewed = trace.spans.find(
    (s, i) => i > Math.min(100, spans / 2) && s.kind === 'server' && trace.spans.find((p) => p.spanId === s.parentSpanId)?.kind === 'client',
  )!;
  skewed.startNs -= 1_000_000_000;
  return trace;
}

function read(bytes: Uint8Array, preview?: (first: WaterfallModel, skimmed: boolean) => void) {
  const file = readTraceBytes(bytes, { preview });
  if (!file.ok) throw new Error(file.error);
  return file;
}

describe('a large file read in two stages', () => {
  it('shows the whole trace’s first rows early, and ends with what one whole read gives', () => {
    const bytes = encodeOtlpProtobuf([awkwardTrace()]);
    const early: WaterfallModel[] = [];
    // Status tags and clock skew: the skim leaves this file to the decoder, which reads it in two stages.
    const staged = read(bytes, (first, skimmed) => {
      expect(skimmed).toBe(false);
      early.push(first);
    });
    const whole = read(bytes);
    const [held] = staged.held.values();
    const [wholeHeld] = whole.held.values();
    // The spans, their attributes, events, links and the trace's warnings: the same.
    expect(held.trace).toEqual(wholeHeld.trace);
    expect(staged.entries).toEqual(whole.entries);
    // Its first rows, heard once, with the whole trace's errors (the tagged ones too) and skew corrections.
    const wholeModel = prepareTrace(wholeHeld.trace, wholeHeld.tree).model;
    expect(early).toEqual([previewModel(wholeModel)]);
    expect(early[0].errorCount).toBe(Math.ceil((PREVIEW_ABOVE + 5_000) / 97) + 2);
    // The rows prepared then are the ones the panel gets.
    expect(held.prepared?.model).toEqual(wholeModel);
  });

  it('reads spans first with only their status tags, events without attributes, and no links', () => {
    const trace = awkwardTrace(50);
    const bytes = encodeOtlpProtobuf([trace]);
    const { decoded, fill } = decodeOtlpProtobufInStages(bytes);
    const [whole] = decodeOtlpProtobuf(bytes).traces;
    const [rows] = decoded.traces;
    const first = whole.spans.map((full) => {
      const tags = Object.fromEntries(Object.entries(full.attributes).filter(([key]) => STATUS_TAGS.has(key)));
      return { ...full, attributes: tags, events: full.events.map((e) => ({ ...e, attributes: {} })), links: [] };
    });
    expect(rows.spans).toEqual(first);
    expect(rows.spans.find((s) => s.spanId === trace.spans[5].spanId)!.status).toEqual({ code: 'error', message: 'tagged' });
    fill();
    expect(rows).toEqual(whole);
  });

  it('keeps a span with a malformed attribute, without that one, in one stage or two, with a warning', () => {
    const trace = syntheticTrace(3, 'ef'.repeat(16));
    trace.spans[1].attributes = { first: 'kept', second: 'lost at the cut', third: 'kept too' };
    trace.spans[1].events = [{ name: 'retry', offsetNs: 5, attributes: { attempt: 2 } }];
    const bytes = encodeOtlpProtobuf([trace]);
    // The second attribute's value says it is longer than its message: the fault is inside that attribute.
    const at = Buffer.from(bytes).indexOf('lost at the cut');
    bytes[at - 1] = 0x7f;
    const { decoded, fill } = decodeOtlpProtobufInStages(bytes);
    fill();
    const oneStage = decodeOtlpProtobuf(bytes);
    for (const { traces } of [decoded, oneStage]) {
      const span = traces[0].spans.find((s) => s.spanId === trace.spans[1].spanId)!;
      expect(span.attributes).toEqual({ first: 'kept', third: 'kept too' });
      expect(span.events).toEqual(trace.spans[1].events);
      expect(traces[0].warnings.map((w) => w.message)).toEqual([
        expect.stringMatching(
          /^span 0+2: malformed at byte \d+ \(its message is bytes \d+-\d+\); kept what could be read of its attributes, events and links$/,
        ),
      ]);
    }
    expect(oneStage.traces).toEqual(decoded.traces);
    // No fault of the file itself: only the span's.
    expect(oneStage.warnings).toEqual([]);
  });

  it('says a malformed attribute of an event, in one stage or two, as one of the span’s own', () => {
    const trace = syntheticTrace(3, 'ed'.repeat(16));
    trace.spans[1].events = [{ name: 'retry', offsetNs: 5, attributes: { attempt: 'lost at the cut', after: 'kept' } }];
    const bytes = encodeOtlpProtobuf([trace]);
    bytes[Buffer.from(bytes).indexOf('lost at the cut') - 1] = 0x7f;
    const { decoded, fill } = decodeOtlpProtobufInStages(bytes);
    fill();
    for (const { traces } of [decoded, decodeOtlpProtobuf(bytes)]) {
      expect(traces[0].spans.find((s) => s.spanId === trace.spans[1].spanId)!.events[0].attributes).toEqual({ after: 'kept' });
      expect(traces[0].warnings).toEqual([expect.objectContaining({ code: 'truncated', message: expect.stringMatching(/^span 0+2: malformed at byte/) })]);
    }
  });

  it('makes other formats’ first rows once they are read, and none for several traces or small ones', () => {
    const json = encodeOtlpJson([awkwardTrace()]);
    const early: WaterfallModel[] = [];
    const [held] = read(json, (first) => early.push(first)).held.values();
    expect(early).toEqual([previewModel(prepareTrace(held.trace, held.tree).model)]);
    expect(held.prepared?.tree).toBe(held.tree);
    const never = () => {
      throw new Error('no early rows expected');
    };
    read(encodeOtlpProtobuf([awkwardTrace(), syntheticTrace(10, 'ef'.repeat(16))]), never);
    read(encodeOtlpProtobuf([syntheticTrace(PREVIEW_ABOVE)]), never);
  });
});
