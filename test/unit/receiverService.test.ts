// The receiver as its worker thread runs it: it listens, stores what it is sent, tells the host the digests of
// what it stored and the traces it let go, and answers lists, traces, exports and searches.
import { createServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { ReceiverService } from '../../src/core/receiver/receiverService';
import type { ReceiverWorkerEvents } from '../../src/core/workers/receiverWorkerProtocol';
import { encodeOtlpProtobuf } from '../support/otelEncode';
import { send } from '../support/httpClient';
import { syntheticBatch, syntheticTrace } from '../support/syntheticTrace';
import { decodeOk } from '../support/decodeOk';
import { COPY_SPAN_LIMIT } from '../../src/core/workers/traceFile';
import { prepareTrace } from '../../src/core/waterfall/prepareTrace';
import { PREVIEW_ABOVE, previewModel } from '../../src/core/waterfall/previewModel';
import type { WaterfallModel } from '../../src/core/waterfall/rows';

type Event = { [E in keyof ReceiverWorkerEvents]: { event: E; data: ReceiverWorkerEvents[E] } }[keyof ReceiverWorkerEvents];

describe('the receiver service', () => {
  let service: ReceiverService | undefined;
  afterEach(() => service?.stop());

  function start(maxSpans = 100_000) {
    const events: Event[] = [];
    service = new ReceiverService({ maxSpans, maxBytes: 2 ** 30 }, (event, data) => events.push({ event, data } as Event));
    return events;
  }

  const digestsIn = (events: Event[]) => events.flatMap((e) => (e.event === 'spans' && e.data.added ? [e.data.added] : []));
  const removedIn = (events: Event[]) => events.flatMap((e) => (e.event === 'spans' ? e.data.removed : []));
  const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

  it('restarting on its own port, asks again when the port is held a moment longer', async () => {
    start();
    const settings = { host: '127.0.0.1', port: 0, allowRemote: false, maxBodyBytes: 2 ** 20 };
    const first = await service!.listen(settings);
    if (!first.ok) throw new Error(first.message);
    // Something takes the port as soon as the receiver lets it go, and gives it back 100 ms later.
    const receivers = (service as unknown as { receivers: { stop(): Promise<void> }[] }).receivers;
    const stop = receivers[0].stop.bind(receivers[0]);
    receivers[0].stop = async () => {
      await stop();
      const blocker = createServer();
      await new Promise<void>((resolve) => blocker.listen(first.port, '127.0.0.1', resolve));
      setTimeout(() => blocker.close(), 100);
    };
    const again = await service!.listen({ ...settings, port: first.port });
    expect(again).toMatchObject({ ok: true, port: first.port });
  });

  it('stores what it receives and posts a digest of each stored batch', async () => {
    const events = start();
    const answer = await service!.listen({ host: '127.0.0.1', port: 0, allowRemote: false, maxBodyBytes: 2 ** 20 });
    if (!answer.ok) throw new Error(answer.message);
    const batch = syntheticBatch(1, 3, 4);
    const reply = await send(`${answer.endpoint}/v1/traces`, { headers: { 'content-type': 'application/x-protobuf' }, body: encodeOtlpProtobuf(batch) });
    expect(reply.status).toBe(200);
    await settle();
    // One request's batch, one digest.
    const [digest, ...more] = digestsIn(events);
    expect(more).toEqual([]);
    expect(digest.traces.map((t) => t.traceId).sort()).toEqual(batch.map((t) => t.traceId).sort());
    expect(digest.trace).toHaveLength(12);
    expect(new Set(digest.trace)).toEqual(new Set([0, 1, 2]));
    expect(service!.status()).toMatchObject({ size: { spans: 12, traces: 3 }, requests: 1, acceptedSpans: 12 });
    expect(service!.list()).toHaveLength(3);
    expect(service!.getTrace(batch[0].traceId)?.spans).toHaveLength(4);
    expect(service!.getTrace('f'.repeat(32))).toBeNull();
    const exported = service!.exportJsonl();
    expect(exported).toMatchObject({ traces: 3, spans: 12 });
    expect(decodeOk(new TextEncoder().encode(exported.text)).traces).toHaveLength(3);
  });

  it('hands a view a small trace whole, a large one as OTLP protobuf for a trace worker, and nothing it does not hold', async () => {
    start();
    const answer = await service!.listen({ host: '127.0.0.1', port: 0, allowRemote: false, maxBodyBytes: 2 ** 24 });
    if (!answer.ok) throw new Error(answer.message);
    const [small, large] = [syntheticTrace(20, 'a'.repeat(32)), syntheticTrace(2_001, 'b'.repeat(32))];
    const reply = await send(`${answer.endpoint}/v1/traces`, {
      headers: { 'content-type': 'application/x-protobuf' },
      body: encodeOtlpProtobuf([small, large]),
    });
    expect(reply.status).toBe(200);
    await settle();
    const whole = service!.lookupTrace(small.traceId);
    expect(whole && 'trace' in whole && whole.trace.spans).toHaveLength(20);
    const bytes = service!.lookupTrace(large.traceId);
    if (!bytes || !('otlp' in bytes)) throw new Error(`a 2,001-span trace came back as ${JSON.stringify(bytes && Object.keys(bytes))}`);
    const read = decodeOk(bytes.otlp);
    expect(read.format).toBe('otlp-protobuf');
    // What a trace worker reads of it is the trace the receiver holds, checked as a view's copy is.
    expect(read.traces).toEqual([service!.getTrace(large.traceId)]);
    expect(read.traces[0].spans).toHaveLength(2_001);
    expect(service!.lookupTrace('f'.repeat(32))).toBeNull();
  });

  it('sends a large trace’s first rows ahead of its bytes, made from the spans it holds, when asked for', async () => {
    start();
    const answer = await service!.listen({ host: '127.0.0.1', port: 0, allowRemote: false, maxBodyBytes: 2 ** 25 });
    if (!answer.ok) throw new Error(answer.message);
    const [large, mid] = [syntheticTrace(PREVIEW_ABOVE + 500, 'c'.repeat(32)), syntheticTrace(COPY_SPAN_LIMIT + 1, 'd'.repeat(32))];
    // A partial trace: its rows say so, as the trace worker's would (the structure is checked before rows are made).
    large.spans[7].parentSpanId = 'f'.repeat(16);
    const reply = await send(`${answer.endpoint}/v1/traces`, { headers: { 'content-type': 'application/x-protobuf' }, body: encodeOtlpProtobuf([large, mid]) });
    expect(reply.status).toBe(200);
    await settle();
    const heard: string[] = [];
    let first: WaterfallModel | undefined;
    const found = service!.lookupTrace(large.traceId, (rows) => {
      heard.push('first rows');
      first = rows;
    });
    heard.push('bytes');
    if (!found || !('otlp' in found)) throw new Error('no bytes for the large trace');
    expect(heard).toEqual(['first rows', 'bytes']);
    // The rows a trace worker makes of those bytes, whose first ones were sent.
    const [read] = decodeOk(found.otlp).traces;
    expect(first).toEqual(previewModel(prepareTrace(read).model));
    expect(first!.totalRows).toBe(PREVIEW_ABOVE + 500);
    expect(first!.warnings).toEqual([expect.stringMatching(/^parent f{16} of span \w+ .* is not in the trace; shown as a root$/)]);
    // A trace a preview is not made for (all of it shows at once) sends none.
    service!.lookupTrace(mid.traceId, () => heard.push('rows of a small trace'));
    expect(heard).toEqual(['first rows', 'bytes']);
  });

  it('says a finding was last seen when its trace ran, not when the trace settled and was analysed', async () => {
    const events = start(60);
    const answer = await service!.listen({ host: '127.0.0.1', port: 0, allowRemote: false, maxBodyBytes: 2 ** 22 });
    if (!answer.ok) throw new Error(answer.message);
    // Its root fails (span 0 of a synthetic trace): where the failure began is a finding. It ran a year ago.
    const [trace] = syntheticBatch(5, 1, 40);
    await send(`${answer.endpoint}/v1/traces`, { headers: { 'content-type': 'application/x-protobuf' }, body: encodeOtlpProtobuf([trace]) });
    const groups = await new Promise<ReceiverWorkerEvents['findingGroups']>((resolve) => {
      const poll = setInterval(() => {
        const found = events.find((e) => e.event === 'findingGroups');
        if (found?.event === 'findingGroups') resolve((clearInterval(poll), found.data));
      }, 100);
    });
    const ranUntil = Number(trace.startUnixNano / 1_000_000n) + Math.max(...trace.spans.map((s) => s.startNs + s.durationNs)) / 1e6;
    expect(groups.length).toBeGreaterThan(0);
    for (const group of groups) expect(group).toMatchObject({ firstSeenMs: ranUntil, lastSeenMs: ranUntil });
    // Evicted once analysed (the store holds 60 spans): no trace left unexamined.
    await send(`${answer.endpoint}/v1/traces`, { headers: { 'content-type': 'application/x-protobuf' }, body: encodeOtlpProtobuf(syntheticBatch(6, 1, 40)) });
    await settle();
    expect(removedIn(events)).toEqual([trace.traceId]);
    expect(service!.status().leftUnanalysed).toBe(0);
  }, 15_000);

  it('names the traces it evicts and clears', async () => {
    const events = start(1000);
    const answer = await service!.listen({ host: '127.0.0.1', port: 0, allowRemote: false, maxBodyBytes: 2 ** 22 });
    if (!answer.ok) throw new Error(answer.message);
    const first = syntheticBatch(1, 10, 100);
    const second = syntheticBatch(2, 2, 100);
    for (const batch of [first, second])
      await send(`${answer.endpoint}/v1/traces`, { headers: { 'content-type': 'application/x-protobuf' }, body: encodeOtlpProtobuf(batch) });
    await settle();
    const evicted = removedIn(events);
    // Full at 1,000 spans: room was made (down to 90%) by letting the oldest traces go.
    expect(evicted.length).toBeGreaterThan(0);
    expect(evicted.every((id) => first.some((t) => t.traceId === id))).toBe(true);
    const held = service!.status().size;
    expect(held.spans).toBeLessThanOrEqual(1000);
    // They left before they could settle: the findings never looked at them, and the status says so, until the
    // limits change (counted anew under them).
    expect(service!.status().leftUnanalysed).toBe(evicted.length);
    service!.setLimits({ maxSpans: 1000, maxBytes: 2 ** 30 });
    expect(service!.status().leftUnanalysed).toBe(0);
    const third = syntheticBatch(3, 2, 100);
    await send(`${answer.endpoint}/v1/traces`, { headers: { 'content-type': 'application/x-protobuf' }, body: encodeOtlpProtobuf(third) });
    await settle();
    expect(service!.status().leftUnanalysed).toBe(removedIn(events).length - evicted.length);
    expect(service!.status().leftUnanalysed).toBeGreaterThan(0);
    const before = service!.status().size;
    expect(service!.clear()).toEqual({ traces: before.traces, spans: before.spans });
    expect(service!.status()).toMatchObject({ size: { spans: 0 }, leftUnanalysed: 0 });
    await settle();
    expect(new Set(removedIn(events))).toEqual(new Set([...first, ...second, ...third].map((t) => t.traceId)));
  });

  it('says why it cannot listen', async () => {
    start();
    const answer = await service!.listen({ host: '10.1.2.3', port: 0, allowRemote: false, maxBodyBytes: 1024 });
    expect(answer).toMatchObject({ ok: false, reason: 'not-loopback' });
  });
});
