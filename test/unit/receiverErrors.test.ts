// Everything a receiver can be sent besides a good export: each gets the answer the OTLP spec (or the Collector)
// gives, and the receiver keeps serving afterwards.
import { connect, createServer } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { SpanStore, type SpanStoreLimits } from '../../src/core/receiver/spanStore';
import { TraceReceiver, type ReceiverOptions } from '../../src/core/receiver/traceReceiver';
import { fixture } from '../support/fixtures';
import { decodeRpcStatus, rawExchange, send } from '../support/httpClient';
import { encodeOtlpJson, encodeOtlpProtobuf } from '../support/otelEncode';
import { syntheticBatch } from '../support/syntheticTrace';

const PROTOBUF = { 'Content-Type': 'application/x-protobuf' };
const JSON_TYPE = { 'Content-Type': 'application/json' };

const running: TraceReceiver[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
});

async function start(options: Partial<ReceiverOptions> = {}, limits?: SpanStoreLimits) {
  const store = new SpanStore(limits);
  const logged: string[] = [];
  const receiver = new TraceReceiver(store, { protocol: 'otlp', host: '127.0.0.1', port: 0, log: (m) => logged.push(m), ...options });
  running.push(receiver);
  const port = await receiver.start();
  const url = `http://127.0.0.1:${port}${options.protocol === 'zipkin' ? '/api/v2/spans' : '/v1/traces'}`;
  return { store, receiver, port, url, logged };
}

/** The receiver still works: a good export after whatever came before is stored. */
async function expectStillServing(url: string, store: SpanStore): Promise<void> {
  const before = store.size.spans;
  const reply = await send(url, { headers: PROTOBUF, body: encodeOtlpProtobuf(syntheticBatch(999, 1, 5)) });
  expect(reply.status).toBe(200);
  expect(store.size.spans).toBe(before + 5);
}

describe('receiver: malformed bodies', () => {
  it('answers garbage protobuf with 400 and a google.rpc.Status in protobuf', async () => {
    const { store, url, receiver } = await start();
    const reply = await send(url, { headers: PROTOBUF, body: Buffer.from([0x0a, 0xff, 0xff, 0x03, 0x01, 0x02]) });
    expect(reply.status).toBe(400);
    expect(reply.headers['content-type']).toBe('application/x-protobuf');
    const status = decodeRpcStatus(reply.body);
    expect(status.code).toBe(3);
    expect(status.message).toMatch(/not a valid ExportTraceServiceRequest: protobuf input is malformed or truncated/);
    expect(receiver.counts.failedRequests).toBe(1);
    await expectStillServing(url, store);
  });

  for (const where of ['span', 'event of one span'])
    it(`refuses a request whole when one attribute of one ${where} in it is malformed`, async () => {
      const { store, url } = await start();
      const batch = syntheticBatch(7, 2, 10);
      const attributes = { 'bad.value': 'its length lies' };
      if (where === 'span') batch[1].spans[4].attributes = attributes;
      else batch[1].spans[4].events = [{ name: 'retry', offsetNs: 0, attributes }];
      const body = Buffer.from(encodeOtlpProtobuf(batch));
      body[body.indexOf('its length lies') - 1] = 0x7f;
      const reply = await send(url, { headers: PROTOBUF, body });
      expect(reply.status).toBe(400);
      expect(decodeRpcStatus(reply.body).message).toMatch(/not a valid ExportTraceServiceRequest: span 0+5: malformed at byte \d+/);
      expect(store.size.spans).toBe(0);
      await expectStillServing(url, store);
    });

  it("reads a protobuf attribute by its own bytes, though they are a JSON attribute's it was sent before", async () => {
    // The decoders find a repeated attribute by its bytes (KeyValueTable); a table that served both encodings
    // would read these bytes, malformed as protobuf (field 15 of a wire type no longer in use), as the JSON one.
    const { store, url } = await start();
    const batch = syntheticBatch(8, 1, 3);
    batch[0].spans[0].attributes = { 'x.cross': 'same bytes' };
    const jsonBody = Buffer.from(encodeOtlpJson(batch));
    const attribute = Buffer.from('{"key":"x.cross","value":{"stringValue":"same bytes"}}');
    expect(jsonBody.includes(attribute)).toBe(true);
    expect((await send(url, { headers: JSON_TYPE, body: jsonBody })).status).toBe(200);
    const field = (tag: number, payload: Buffer) => Buffer.concat([Buffer.from([tag, payload.length]), payload]);
    const span = Buffer.concat([
      field(0x0a, Buffer.alloc(16, 0x21)),
      field(0x12, Buffer.alloc(8, 0x22)),
      field(0x2a, Buffer.from('op')),
      Buffer.from([0x39, 1, 0, 0, 0, 0, 0, 0, 0, 0x41, 2, 0, 0, 0, 0, 0, 0, 0]),
      field(0x4a, attribute),
    ]);
    const reply = await send(url, { headers: PROTOBUF, body: field(0x0a, field(0x12, field(0x12, span))) });
    expect(reply.status).toBe(400);
    expect(decodeRpcStatus(reply.body).message).toMatch(/malformed/);
    expect(store.size.spans).toBe(3);
  });

  it('answers truncated JSON with 400 and a JSON Status', async () => {
    const { store, url } = await start();
    const json = Buffer.from(encodeOtlpJson(syntheticBatch(1, 2, 10)));
    const reply = await send(url, { headers: JSON_TYPE, body: json.subarray(0, json.length / 2) });
    expect(reply.status).toBe(400);
    const status = JSON.parse(reply.body.toString());
    expect(status).toMatchObject({ code: 3, message: expect.stringMatching(/^the body is not valid JSON/) });
    expect(store.size.spans).toBe(0);
    await expectStillServing(url, store);
  });

  it('answers JSON that is no export request with 400', async () => {
    const { url } = await start();
    const reply = await send(url, { headers: JSON_TYPE, body: '[1,2,3]' });
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.body.toString()).message).toMatch(/expected a JSON object with "resourceSpans"/);
  });

  it('answers a bad gzip body with 400', async () => {
    const { store, url } = await start();
    const reply = await send(url, { headers: { ...PROTOBUF, 'Content-Encoding': 'gzip' }, body: Buffer.from('1f8b0800deadbeef', 'hex') });
    expect(reply.status).toBe(400);
    expect(decodeRpcStatus(reply.body).message).toMatch(/not valid gzip/);
    await expectStillServing(url, store);
  });

  it('accepts a valid empty request (an exporter flushing nothing)', async () => {
    const { url } = await start();
    const reply = await send(url, { headers: PROTOBUF, body: Buffer.alloc(0) });
    expect(reply.status).toBe(200);
    expect(reply.body.length).toBe(0);
  });
});

describe('receiver: limits and misbehaving clients', () => {
  it('refuses a body over the limit with 413 before reading it', async () => {
    const { store, url } = await start({ maxBodyBytes: 64 * 1024 });
    const reply = await send(url, { headers: PROTOBUF, body: Buffer.alloc(200 * 1024, 0x0a) });
    expect(reply.status).toBe(413);
    expect(decodeRpcStatus(reply.body)).toMatchObject({ code: 8, message: 'body of 0.2 MiB is over the 0.1 MiB limit' });
    await expectStillServing(url, store);
  });

  it('stops a gzip bomb at the limit', async () => {
    const { store, url } = await start({ maxBodyBytes: 1024 * 1024 });
    const bomb = gzipSync(Buffer.alloc(200 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(300 * 1024);
    const reply = await send(url, { headers: { ...PROTOBUF, 'Content-Encoding': 'gzip' }, body: bomb });
    expect(reply.status).toBe(413);
    expect(decodeRpcStatus(reply.body).message).toBe('decompressed body is over the 1 MiB limit');
    await expectStillServing(url, store);
  });

  it('stops gigabytes of empty deflate blocks by their compressed size (they expand to nothing)', async () => {
    const { store, url } = await start({ maxBodyBytes: 1024 * 1024 });
    // gzip header, 400k empty stored blocks (5 bytes each), an empty final block, CRC32 and size of nothing.
    const empty = Buffer.from([0x00, 0x00, 0x00, 0xff, 0xff]);
    const body = Buffer.concat([
      Buffer.from('1f8b0800000000000003', 'hex'),
      ...Array.from({ length: 400_000 }, () => empty),
      Buffer.from('0300', 'hex'),
      Buffer.alloc(8),
    ]);
    expect(body.length).toBeGreaterThan(1.9 * 1024 * 1024);
    const reply = await send(url, { headers: { ...PROTOBUF, 'Content-Encoding': 'gzip' }, body });
    expect(reply.status).toBe(413);
    expect(decodeRpcStatus(reply.body).message).toBe('compressed body is over the 1 MiB limit');
    await expectStillServing(url, store);
  });

  it('keeps reading (and dropping) a body over the limit after answering 413, so the client is not reset mid-send', async () => {
    const limit = 1024 * 1024;
    const { port, url, store } = await start({ maxBodyBytes: limit });
    // An exporter that is still sending when the 413 arrives: the rest of its body follows the answer.
    const outcome = await new Promise<{ answer: string; error?: string; sentBeforeClose: number }>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      let answer = '';
      let sent = 0;
      socket.on('data', (chunk) => {
        answer += chunk.toString('latin1');
        if (!answer.includes('\r\n\r\n') || sent > 0) return;
        const more = () => {
          if (sent >= limit) {
            socket.end();
            return;
          }
          sent += 64 * 1024;
          socket.write(Buffer.alloc(64 * 1024, 0x0a), () => setTimeout(more, 2));
        };
        more();
      });
      socket.on('error', (error) => resolve({ answer, error: (error as NodeJS.ErrnoException).code, sentBeforeClose: sent }));
      socket.on('close', () => resolve({ answer, sentBeforeClose: sent }));
      socket.write(`POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/x-protobuf\r\nContent-Length: ${limit + 1}\r\n\r\n`);
    });
    expect(outcome.answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(outcome.answer).toContain('body of 1,048,577 bytes is over the 1,048,576-byte limit');
    expect(outcome.error).toBeUndefined();
    // The server let the whole body arrive before it closed: a sending client is never reset.
    expect(outcome.sentBeforeClose).toBeGreaterThanOrEqual(limit);
    await expectStillServing(url, store);
  });

  it('answers 408 when a Content-Length promises more than the client sends', async () => {
    const { store, port, url } = await start({ requestTimeoutMs: 300 });
    const head = `POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"resourceSpans":[`;
    const answer = await rawExchange(port, head);
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(answer).toContain('did not arrive within 0.3 s');
    await expectStillServing(url, store);
  });

  it('answers 400 when a Content-Length is shorter than the body sent', async () => {
    const { store, port, url } = await start();
    const body = '{"resourceSpans":[]}';
    const answer = await rawExchange(port, `POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 5\r\n\r\n${body}`);
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    await expectStillServing(url, store);
  });

  it('survives a client that stops mid-body and frees the request', async () => {
    const { store, port, url, logged } = await start({ requestTimeoutMs: 10_000 });
    const head = `POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-protobuf\r\nContent-Length: 100000\r\n\r\n`;
    await rawExchange(port, Buffer.concat([Buffer.from(head), Buffer.alloc(500, 0x0a)]), { closeAfterMs: 50 });
    await expectStillServing(url, store);
    expect(logged.some((m) => m.includes('closed the connection before the body was complete'))).toBe(true);
  });

  it('takes 50 concurrent senders without losing a span', async () => {
    const { store, url, receiver } = await start();
    const bodies = Array.from({ length: 50 }, (_, sender) => Array.from({ length: 4 }, (_, b) => encodeOtlpProtobuf(syntheticBatch(sender * 10 + b, 3, 20))));
    const replies = await Promise.all(bodies.map(async (batches) => Promise.all(batches.map((body) => send(url, { headers: PROTOBUF, body })))));
    expect(replies.flat().map((r) => r.status)).toEqual(Array(200).fill(200));
    expect(store.size).toMatchObject({ spans: 50 * 4 * 3 * 20, traces: 50 * 4 * 3, duplicateSpans: 0 });
    expect(receiver.counts).toMatchObject({ acceptedSpans: 12_000, requests: 200, failedRequests: 0 });
  });

  it('counts what retention evicts: accepted = stored + evicted + duplicates', async () => {
    const { store, url } = await start({}, { maxSpans: 2_000, maxBytes: 1024 ** 3 });
    for (let b = 0; b < 10; b++) await send(url, { headers: PROTOBUF, body: encodeOtlpProtobuf(syntheticBatch(b, 10, 50)) });
    await send(url, { headers: PROTOBUF, body: encodeOtlpProtobuf(syntheticBatch(9, 10, 50)) }); // an exporter retry
    const size = store.size;
    expect(size.spans).toBeLessThanOrEqual(2_000);
    expect(size.evictedSpans).toBeGreaterThan(0);
    expect(size.spans + size.evictedSpans + size.duplicateSpans).toBe(5_500);
  });
});

describe('receiver: HTTP surface', () => {
  it('answers other content types with 415 naming the supported ones', async () => {
    const { url } = await start();
    const reply = await send(url, { headers: { 'Content-Type': 'text/plain' }, body: 'hello' });
    expect(reply.status).toBe(415);
    expect(reply.body.toString()).toContain('supported: [application/x-protobuf, application/json]');
  });

  it('answers other paths with 404 and other methods with 405', async () => {
    const { port, url } = await start();
    expect((await send(`http://127.0.0.1:${port}/v1/metrics`, { headers: PROTOBUF })).status).toBe(404);
    const get = await send(url, { method: 'GET' });
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST, OPTIONS');
  });

  it('answers CORS preflight for localhost origins only', async () => {
    const { url } = await start();
    const preflight = { 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' };
    const local = await send(url, { method: 'OPTIONS', headers: { Origin: 'http://localhost:5173', ...preflight } });
    expect(local.status).toBe(204);
    expect(local.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(local.headers['access-control-allow-methods']).toBe('POST, OPTIONS');
    expect(local.headers['access-control-allow-headers']).toBe('content-type');
    const foreign = await send(url, { method: 'OPTIONS', headers: { Origin: 'https://evil.example', ...preflight } });
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('reports partial success for spans it cannot read, in the request encoding', async () => {
    const { store, url } = await start();
    const traces = syntheticBatch(1, 1, 4);
    traces.push({ ...syntheticBatch(2, 1, 1)[0], traceId: '0'.repeat(32) });
    traces[1].spans[0].traceId = '0'.repeat(32);
    const proto = await send(url, { headers: PROTOBUF, body: encodeOtlpProtobuf(traces) });
    expect(proto.status).toBe(200);
    // ExportTraceServiceResponse{partial_success{rejected_spans: 1, error_message}}
    expect(proto.body.subarray(0, 4)).toEqual(Buffer.from([0x0a, proto.body.length - 2, 0x08, 0x01]));
    expect(proto.body.toString('latin1')).toContain('invalid trace or span id');
    const json = await send(url, { headers: JSON_TYPE, body: encodeOtlpJson(traces) });
    expect(JSON.parse(json.body.toString())).toEqual({ partialSuccess: { rejectedSpans: '1', errorMessage: expect.stringContaining('1 span rejected') } });
    expect(store.size).toMatchObject({ spans: 4, duplicateSpans: 4 });
  });

  it('accepts Zipkin v2 JSON on /api/v2/spans with 202', async () => {
    const { store, url } = await start({ protocol: 'zipkin' });
    const reply = await send(url, { headers: JSON_TYPE, body: fixture('zipkin/yelp.json') });
    expect(reply.status).toBe(202);
    expect(store.size.spans).toBeGreaterThan(0);
    expect(store.list()).toHaveLength(1);
  });

  it('refuses to listen beyond loopback unless told to, and names a taken port', async () => {
    const exposed = new TraceReceiver(new SpanStore(), { protocol: 'otlp', host: '0.0.0.0', port: 0 });
    await expect(exposed.start()).rejects.toMatchObject({ reason: 'not-loopback' });
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const clash = new TraceReceiver(new SpanStore(), { protocol: 'otlp', host: '127.0.0.1', port });
    await expect(clash.start()).rejects.toMatchObject({ reason: 'in-use', message: expect.stringContaining(`port ${port} on 127.0.0.1 is already in use`) });
    blocker.close();
  });
});

describe('receiver: requests for other hosts', () => {
  it('refuses a request whose Host is not a loopback name (DNS rebinding from a web page), and serves loopback names', async () => {
    const { port, store, receiver } = await start();
    const body = '{"resourceSpans":[]}';
    const post = (host: string, origin?: string) =>
      rawExchange(
        port,
        `POST /v1/traces HTTP/1.1\r\nHost: ${host}\r\n${origin ? `Origin: ${origin}\r\n` : ''}Content-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
      );
    const rebound = await post(`attacker.example:${port}`, `http://attacker.example:${port}`);
    expect(rebound).toMatch(/^HTTP\/1\.1 403 /);
    expect(rebound).toContain('Host "attacker.example:');
    // Answers are UTF-8 byte for byte: a name sent in UTF-8 (read by Node's parser as latin1, "cafÃ©") comes back
    // as that text encoded, not encoded twice.
    expect(await post('café.example')).toContain(Buffer.from('Host "cafÃ©.example"', 'utf8').toString('latin1'));
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, 'localhost']) expect(await post(host)).toMatch(/^HTTP\/1\.1 200 /);
    expect(receiver.counts.failedRequests).toBe(2);
    expect(store.size.spans).toBe(0);
  });
});
