// The service map: calls paired as Tempo pairs them (client/server, producer/consumer, kindless parent/child
// across services), untraced peers as virtual nodes, cycles, fan-out, an incremental graph equal to a rebuild,
// backend dependency graphs, and the text, DOT and Mermaid forms with hostile names.
import { SpanKind } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { mapDot, mapMermaid, mapText } from '../../src/core/analysis/serviceGraph/mapFormats';
import { ServiceGraph } from '../../src/core/analysis/serviceGraph/serviceGraph';
import { mapFromDependencies, type ServiceMap } from '../../src/core/analysis/serviceGraph/serviceMap';
import type { Trace } from '../../src/core/model/trace';
import { decodeOk } from '../support/decodeOk';
import { fixture, FIXTURES_DIR } from '../support/fixtures';
import { join } from 'node:path';
import { SdkRecording } from '../support/sdkTrace';
import { buildCli, runCli } from '../support/cliProcess';
import { terminalField } from '../../src/cli/terminal';
import { CodeIndex } from '../../src/core/stats/codeIndex';
import { buildSpanTree } from '../../src/core/analysis/spanTree';

/** A checkout: a browser calls frontend, which calls orders; orders queries its database, calls an untraced
 * fraud API, and queues a receipt that a worker consumes in a trace of its own (linked). */
function checkout(failCharge = false): Trace[] {
  const r = new SdkRecording();
  const root = r.span('GET /checkout', { service: 'frontend', kind: SpanKind.SERVER, start: 0, end: 100 });
  const call = r.span('POST /orders', {
    service: 'frontend',
    kind: SpanKind.CLIENT,
    parent: root,
    start: 5,
    end: 90,
    attributes: { 'server.address': 'orders' },
  });
  const orders = r.span('POST /orders', {
    service: 'orders',
    kind: SpanKind.SERVER,
    parent: call,
    start: 6,
    end: 88,
    error: failCharge ? 'charge failed' : undefined,
  });
  r.span('SELECT products', {
    service: 'orders',
    kind: SpanKind.CLIENT,
    parent: orders,
    start: 10,
    end: 20,
    attributes: { 'db.system.name': 'postgresql', 'db.namespace': 'shop' },
  });
  r.span('POST /score', {
    service: 'orders',
    kind: SpanKind.CLIENT,
    parent: orders,
    start: 20,
    end: 60,
    attributes: { 'server.address': 'fraud.example.com', 'server.port': 443 },
  });
  const send = r.span('receipts publish', {
    service: 'orders',
    kind: SpanKind.PRODUCER,
    parent: orders,
    start: 60,
    end: 62,
    attributes: { 'messaging.system': 'rabbitmq', 'messaging.destination.name': 'receipts' },
  });
  r.span('receipts process', {
    service: 'worker',
    kind: SpanKind.CONSUMER,
    start: 70,
    end: 80,
    links: [{ context: send.spanContext() }],
    attributes: { 'messaging.system': 'rabbitmq', 'messaging.destination.name': 'receipts' },
  });
  return r.traces();
}

function edges(map: ServiceMap): string[] {
  return map.edges.map((e) => `${e.from} -> ${e.to} ×${e.calls}${e.errors ? ` (${e.errors} failed)` : ''}`).sort();
}

function graphOf(traces: Trace[]): ServiceGraph {
  const graph = new ServiceGraph();
  for (const t of traces) graph.add(t);
  return graph;
}

describe('trace-lens map', () => {
  it('maps trace files (JSON, DOT), and refuses a backend with no dependency API', async () => {
    const cli = await buildCli();
    const file = join(FIXTURES_DIR, 'zipkin/messaging.json');
    const json = await runCli(cli, 'map', file, '--format', 'json');
    expect(json.code).toBe(0);
    expect(edges(JSON.parse(json.stdout))).toEqual(['clients:clients -> service:frontend ×1', 'service:frontend -> service:backend ×1']);
    const dot = await runCli(cli, 'map', file, '--format', 'dot');
    expect(dot.stdout).toMatch(/^digraph services \{\n {2}rankdir=LR;/);
    const text = await runCli(cli, 'map', file);
    expect(text.stdout.split('\n')[0]).toBe('3 nodes, 2 edges, from 1 trace');
    const tempo = await runCli(cli, 'map', '--source', 'tempo', '--url', 'http://127.0.0.1:9');
    expect(tempo.code).toBe(2);
    expect(tempo.stderr).toContain('Tempo has no dependency API (Jaeger and Zipkin have one)');
    expect((await runCli(cli, 'map', file, '--format', 'svg')).code).toBe(2);
  });
});

describe('service map', () => {
  it('pairs client and server, names untraced peers, and follows a queue to its consumer in another trace', () => {
    const map = graphOf([...checkout(), ...checkout(true)]).snapshot();
    expect(edges(map)).toEqual([
      'clients:clients -> service:frontend ×2',
      'messaging:receipts -> service:worker ×2',
      'service:frontend -> service:orders ×2 (1 failed)',
      'service:orders -> database:shop ×2',
      'service:orders -> external:fraud.example.com ×2',
      'service:orders -> messaging:receipts ×2',
    ]);
    const call = map.edges.find((e) => e.to === 'service:orders')!;
    // Both sides' latency: the client's 85 ms, the server's 82 ms.
    expect([call.client!.p50Ns, call.server!.p50Ns].map((ns) => Math.round(ns / 1e6))).toEqual([85, 82]);
    expect(call.latestFailing?.spanId).toBeDefined();
    const orders = map.nodes.find((n) => n.id === 'service:orders')!;
    expect(orders).toMatchObject({ requests: 2, errors: 1, type: 'service' });
    expect(orders.operations.map((o) => o.name)).toEqual(['POST /orders']);
    expect(map.nodes.find((n) => n.id === 'database:shop')?.type).toBe('database');
    expect(map.nodes.some((n) => n.inCycle)).toBe(false);
  });

  it('marks services that call each other round as a cycle, and counts a call made many times per request', () => {
    const r = new SdkRecording();
    const root = r.span('GET /a', { service: 'a', kind: SpanKind.SERVER, start: 0, end: 100 });
    const toB = r.span('GET /b', { service: 'a', kind: SpanKind.CLIENT, parent: root, start: 1, end: 50 });
    const b = r.span('GET /b', { service: 'b', kind: SpanKind.SERVER, parent: toB, start: 2, end: 49 });
    const back = r.span('GET /a/callback', { service: 'b', kind: SpanKind.CLIENT, parent: b, start: 3, end: 10 });
    r.span('GET /a/callback', { service: 'a', kind: SpanKind.SERVER, parent: back, start: 4, end: 9 });
    for (let i = 0; i < 12; i++) {
      const c = r.span('GET /price', { service: 'a', kind: SpanKind.CLIENT, parent: root, start: 50 + i * 4, end: 53 + i * 4 });
      r.span('GET /price', { service: 'c', kind: SpanKind.SERVER, parent: c, start: 50 + i * 4, end: 53 + i * 4 });
    }
    const map = graphOf(r.traces()).snapshot();
    const cyclic = (id: string) => map.nodes.find((n) => n.id === id)!.inCycle;
    expect([cyclic('service:a'), cyclic('service:b'), cyclic('service:c')]).toEqual([true, true, false]);
    expect(
      map.edges
        .filter((e) => e.inCycle)
        .map((e) => `${e.from} -> ${e.to}`)
        .sort(),
    ).toEqual(['service:a -> service:b', 'service:b -> service:a']);
    const fanOut = map.edges.find((e) => e.to === 'service:c')!;
    expect([fanOut.calls, fanOut.traces, fanOut.callsPerTrace, fanOut.tracesWithDuplicates]).toEqual([12, 1, 12, 1]);
  });

  it('kept incrementally, equals a graph rebuilt from the traces that remain', () => {
    const traces = [...checkout(), ...checkout(true), ...checkout()];
    const graph = graphOf(traces);
    graph.remove(traces[2].traceId);
    graph.add(traces[4]);
    const rebuilt = graphOf(traces.filter((_, i) => i !== 2)).snapshot();
    // Exemplars excepted: ties between the copies' equal calls fall to whichever trace came first.
    const strip = (map: ServiceMap) => ({ ...map, edges: map.edges.map(({ slowest: _s, latestFailing: _f, ...e }) => e) });
    expect(strip(graph.snapshot())).toEqual(strip(rebuilt));
    for (const t of traces) graph.remove(t.traceId);
    expect(graph.snapshot()).toMatchObject({ nodes: [], edges: [], traces: 0 });
  });

  it("finds an edge's next slowest and latest failing call among the traces held when its exemplar's trace leaves", () => {
    const call = (ms: number, failed: boolean) => {
      const r = new SdkRecording();
      const client = r.span('GET /b', { service: 'a', kind: SpanKind.CLIENT, start: 0, end: ms });
      r.span('GET /b', { service: 'b', kind: SpanKind.SERVER, parent: client, start: 1, end: ms - 1, error: failed ? 'boom' : undefined });
      return r.traces()[0];
    };
    const [slow, failing, slowest, latestFailing] = [call(50, false), call(20, true), call(90, false), call(10, true)];
    const graph = graphOf([slow, failing, slowest, latestFailing]);
    const edge = () => graph.snapshot().edges.find((e) => e.from === 'service:a')!;
    expect([edge().slowest?.traceId, edge().latestFailing?.traceId]).toEqual([slowest.traceId, latestFailing.traceId]);
    graph.remove(slowest.traceId);
    graph.remove(latestFailing.traceId);
    expect([edge().slowest?.traceId, edge().latestFailing?.traceId]).toEqual([slow.traceId, failing.traceId]);
    expect(edge().slowest?.durationNs).toBe(48_000_000);
  });

  it('pairs the spans of every format: Zipkin shared spans and messaging, Jaeger, OTLP', () => {
    const ofFixture = (name: string) => edges(graphOf(decodeOk(fixture(name)).traces).snapshot());
    expect(ofFixture('zipkin/messaging.json')).toEqual(['clients:clients -> service:frontend ×1', 'service:frontend -> service:backend ×1']);
    expect(ofFixture('jaeger/legacy-json/ui_01.json')).toEqual(['service:service-x -> service:service-y ×2']);
    expect(ofFixture('zipkin/yelp.json')).toContain('service:yelp-main -> external:mysql ×2');
    expect(ofFixture('opentelemetry/trace.json')).toEqual(['clients:clients -> service:my.service ×1']);
  });

  it('reads parents from a span tree as it would look them up by id (the receiver passes the tree it built for findings)', () => {
    const traces = [...checkout(true), ...decodeOk(fixture('zipkin/yelp.json')).traces, ...decodeOk(fixture('zipkin/messaging.json')).traces];
    const withTrees = new ServiceGraph();
    for (const t of traces) withTrees.add(t, buildSpanTree(t).parent);
    const looked = graphOf(traces).snapshot();
    expect(withTrees.snapshot()).toEqual(looked);
    expect(looked.edges.length).toBeGreaterThan(5);
  });

  it("draws a backend's dependency graph with what it lacks said, cycles found there too", () => {
    const map = mapFromDependencies(
      [
        { parent: 'a', child: 'b', callCount: 10, errorCount: 1 },
        { parent: 'b', child: 'a', callCount: 2, errorCount: 0 },
      ],
      'Zipkin',
      'the last hour',
    );
    expect(map.from).toEqual({ backend: 'Zipkin' });
    expect(map.notes).toEqual([
      "Zipkin's own dependency graph over the last hour: call counts and errors only (no latency, no operations, no databases or queues it does not trace)",
    ]);
    expect(map.edges.every((e) => e.inCycle)).toBe(true);
  });

  it("keeps each operation's code clues from its first span, and they place it as CodeLens would: a route at its handler, a name alone nowhere", () => {
    const r = new SdkRecording();
    const root = r.span('GET /orders/{id}', {
      service: 'orders',
      kind: SpanKind.SERVER,
      start: 0,
      end: 10,
      attributes: { 'http.route': '/orders/{id}', 'http.request.method': 'GET' },
    });
    const call = r.span('POST /charge', { service: 'orders', kind: SpanKind.CLIENT, parent: root, start: 1, end: 9 });
    // A server span that names no route and no code: a function "charge" exists, but a name is no evidence.
    r.span('charge', { service: 'payments', kind: SpanKind.SERVER, parent: call, start: 2, end: 8 });
    const map = graphOf(r.traces()).snapshot();
    const operation = (node: string, name: string) => map.nodes.find((n) => n.id === `service:${node}`)!.operations.find((o) => o.name === name)!;
    expect(operation('orders', 'GET /orders/{id}').clues).toEqual([{ kind: 'route', route: '/orders/{id}', method: 'GET' }]);
    expect(operation('payments', 'charge').clues).toEqual([]);
    const files = ['/ws/orders.py', '/ws/payments.py'];
    const texts: Record<string, string> = {
      '/ws/orders.py': 'from flask import Flask\napp = Flask(__name__)\n\n@app.get("/orders/<int:id>")\ndef show(id):\n    return {}\n',
      '/ws/payments.py': 'def charge(amount):\n    return amount\n',
    };
    const code = new CodeIndex({ files, readText: (f) => texts[f] });
    expect(code.locateClues(operation('orders', 'GET /orders/{id}').clues)).toMatchObject({ file: '/ws/orders.py', line: 5 });
    expect(code.locateClues(operation('payments', 'charge').clues)).toBeUndefined();
  });

  it('writes text, DOT and Mermaid with hostile names escaped', () => {
    const r = new SdkRecording();
    const evil = 'evil"] --> x[<img src=x onerror=alert(1)>] #|';
    const root = r.span('GET /', { service: evil, kind: SpanKind.SERVER, start: 0, end: 10 });
    r.span('q', {
      service: evil,
      kind: SpanKind.CLIENT,
      parent: root,
      start: 1,
      end: 5,
      attributes: { 'db.system.name': 'postgresql', 'db.namespace': 'a\nb"c' },
    });
    const map = graphOf(r.traces()).snapshot();
    const mermaid = mapMermaid(map);
    expect(mermaid).not.toContain('<img');
    const lines = mermaid.split('\n');
    expect(lines[0]).toBe('flowchart LR');
    // Every label is one quoted string on its own line: the name's quotes, brackets and arrows are codes.
    expect(lines).toContain('  n1["evil#quot;] --#gt; x[#lt;img src=x onerror=alert(1)#gt;] #35;#124;"]');
    expect(lines).toContain('  n2[("database a b#quot;c")]');
    const dot = mapDot(map);
    expect(dot).toContain('label="evil\\"] --> x[<img src=x onerror=alert(1)>] #|", shape=box');
    expect(dot).toContain('label="database a b\\"c", shape=cylinder');
    // In a terminal each value is one field: its newline cannot forge a line.
    expect(mapText(map, terminalField).split('\n')).toContain(`${evil} → database a\\u000ab"c: 1 call · p95 4 ms`);
  });
});
