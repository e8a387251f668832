// The detectors, on traces the real OpenTelemetry SDK records (explicit times, several services), read back by
// our decoder: each pattern found where it is, and near misses (parallel, different, under a threshold, split
// across parents) left alone.
import { describe, expect, it } from 'vitest';
import { detectFindings, type DetectOptions } from '../../src/core/analysis/findings/detectFindings';
import type { Finding, FindingKind } from '../../src/core/analysis/findings/finding';
import { normaliseStatement } from '../../src/core/analysis/findings/statement';
import { pathTemplate } from '../../src/core/analysis/findings/callFacts';
import { FindingGroups, mergeGroups } from '../../src/core/analysis/findings/findingGroups';
import { SETTLE_MS, SettlingAnalysis, SLICE_MS } from '../../src/core/analysis/findings/settlingAnalysis';
import { toTraceFindings } from '../../src/core/analysis/findings/traceFinding';
import { placeFindings } from '../../src/core/analysis/findings/placedFinding';
import type { CodeClue } from '../../src/core/code/codeClues';
import type { Trace } from '../../src/core/model/trace';
import { recordQueryLoop, SdkRecording, SpanKind } from '../support/sdkTrace';

function found(trace: Trace, kind: FindingKind, options: DetectOptions = {}): Finding[] {
  return detectFindings(trace, options).findings.filter((f) => f.kind === kind);
}

function names(trace: Trace, indices: number[]): string[] {
  return indices.map((i) => trace.spans[i].name);
}

const PG = { 'db.system.name': 'postgresql' };

/** A request whose handler runs `count` queries, each `each` ms, starting every `step` ms. */
function queryLoop(
  count: number,
  each: number,
  step = each + 1,
  statement: (i: number) => string = () => 'SELECT price FROM products WHERE id = $1',
  attributes = PG,
) {
  const r = new SdkRecording();
  const server = r.span('POST /orders', { kind: SpanKind.SERVER, start: 0, end: 20 + count * step, attributes: { 'http.route': '/orders' } });
  const loop = r.span('priceItems', { parent: server, start: 5, end: 10 + count * step });
  for (let i = 0; i < count; i++)
    r.span('SELECT products', {
      parent: loop,
      kind: SpanKind.CLIENT,
      start: 6 + i * step,
      end: 6 + i * step + each,
      attributes: { ...attributes, 'db.query.text': statement(i) },
    });
  return r.trace();
}

describe('N+1 queries', () => {
  it('finds 12 sequential runs of one statement under the loop, with the time a batch would save', () => {
    const trace = queryLoop(12, 15);
    const [finding] = found(trace, 'n-plus-one-query');
    expect(finding.title).toBe('N+1 query: 12 × SELECT price FROM products WHERE id = ? (180 ms)');
    expect(finding.spans).toHaveLength(12);
    expect(trace.spans[finding.anchor].name).toBe('priceItems');
    expect(trace.spans[finding.call!].name).toBe('SELECT products');
    expect(finding.savingNs).toBe(165_000_000);
  });

  it('reads the older attribute names, and literals count as one statement', () => {
    const r = new SdkRecording();
    recordQueryLoop(r, 'GET /cart', {
      repeats: 6,
      kind: SpanKind.SERVER,
      query: (i) => ({ 'db.system': 'mysql', 'db.statement': `SELECT * FROM items WHERE cart = 'c-${i}' AND sku IN (${i}, ${i + 1})` }),
    });
    const [finding] = found(r.trace(), 'n-plus-one-query');
    expect(finding.title).toContain('SELECT * FROM items WHERE cart = ? AND sku IN (?)');
    expect(finding.spans).toHaveLength(6);
  });

  it('leaves parallel queries, different statements, short loops and cheap loops alone', () => {
    expect(found(queryLoop(12, 15, 2), 'n-plus-one-query')).toEqual([]);
    expect(
      found(
        queryLoop(12, 15, 16, (i) => `SELECT * FROM table_${String.fromCharCode(97 + i)} WHERE id = 1`),
        'n-plus-one-query',
      ),
    ).toEqual([]);
    expect(found(queryLoop(4, 30), 'n-plus-one-query')).toEqual([]);
    expect(found(queryLoop(6, 5), 'n-plus-one-query')).toEqual([]);
  });

  it('does not join repeats under different parents, across other work, or of a key-value store', () => {
    const r = new SdkRecording();
    const server = r.span('GET /report', { kind: SpanKind.SERVER, start: 0, end: 500 });
    for (const [p, at] of [
      ['a', 0],
      ['b', 200],
    ] as const) {
      const parent = r.span(`section ${p}`, { parent: server, start: at + 1, end: at + 190 });
      for (let i = 0; i < 3; i++)
        r.span('SELECT', {
          parent,
          kind: SpanKind.CLIENT,
          start: at + 2 + i * 30,
          end: at + 30 + i * 30,
          attributes: { ...PG, 'db.query.text': 'SELECT 1 FROM t WHERE id = $1' },
        });
    }
    expect(found(r.trace(), 'n-plus-one-query')).toEqual([]);

    const split = new SdkRecording();
    const handler = split.span('GET /x', { kind: SpanKind.SERVER, start: 0, end: 500 });
    for (let i = 0; i < 6; i++) {
      if (i === 3)
        split.span('GET', {
          parent: handler,
          kind: SpanKind.CLIENT,
          start: 100,
          end: 110,
          attributes: { 'http.request.method': 'GET', 'server.address': 'api' },
        });
      split.span('SELECT', {
        parent: handler,
        kind: SpanKind.CLIENT,
        start: 1 + i * 30 + (i >= 3 ? 120 : 0),
        end: 29 + i * 30 + (i >= 3 ? 120 : 0),
        attributes: { ...PG, 'db.query.text': 'SELECT 1 FROM t WHERE id = $1' },
      });
    }
    expect(found(split.trace(), 'n-plus-one-query')).toEqual([]);

    expect(
      found(
        queryLoop(12, 15, 16, () => 'GET session:1', { 'db.system.name': 'redis' }),
        'n-plus-one-query',
      ),
    ).toEqual([]);
  });
});

/** `attempts` calls of one endpoint under one parent: status codes and the pauses between them given. */
function calls(statuses: number[], gaps: number[], each = 30) {
  const r = new SdkRecording();
  const server = r.span('POST /orders', { service: 'orders', kind: SpanKind.SERVER, start: 0, end: 2_000 });
  let at = 1;
  statuses.forEach((status, i) => {
    r.span('POST', {
      service: 'orders',
      parent: server,
      kind: SpanKind.CLIENT,
      start: at,
      end: at + each,
      error: status >= 500 ? `HTTP ${status}` : undefined,
      attributes: {
        'http.request.method': 'POST',
        'server.address': 'payments',
        'server.port': 8080,
        'url.full': `http://payments:8080/charge/${1000 + i}?card=x`,
        'http.response.status_code': status,
      },
    });
    at += each + (gaps[i] ?? 0);
  });
  return r.trace();
}

describe('calls in a loop', () => {
  it('finds sequential calls of one endpoint, ids in the path read as one', () => {
    const [finding] = found(calls([200, 200, 200, 200, 200, 200], [2, 2, 2, 2, 2]), 'calls-in-loop');
    expect(finding.title).toBe('Calls in a loop: 6 × payments:8080 POST /charge/{id} (180 ms)');
  });

  it('leaves few, cheap and failing repeats alone (failures repeated are retries)', () => {
    expect(found(calls([200, 200, 200, 200], [2, 2, 2]), 'calls-in-loop')).toEqual([]);
    expect(found(calls([200, 200, 200, 200, 200], [1, 1, 1, 1], 10), 'calls-in-loop')).toEqual([]);
    expect(found(calls([503, 503, 503, 503, 503, 200], [1, 1, 1, 1, 1]), 'calls-in-loop')).toEqual([]);
  });
});

describe('retry storms', () => {
  it('finds attempts after failures, and says when the pauses do not grow', () => {
    const [storm] = found(calls([503, 503, 503, 200], [1, 1, 1]), 'retry-storm');
    expect(storm.title).toBe('Retry storm: 4 attempts of payments:8080 POST /charge/{id} (3 failed, no backoff; 120 ms)');
    expect(storm.severity).toBe('warning');
    const [backedOff] = found(calls([503, 503, 503, 200], [10, 40, 160]), 'retry-storm');
    expect(backedOff.title).toContain('(3 failed; ');
  });

  it('leaves one retry, and repeats that succeeded, alone', () => {
    expect(found(calls([503, 200], [1]), 'retry-storm')).toEqual([]);
    expect(found(calls([200, 200, 200, 200], [1, 1, 1]), 'retry-storm')).toEqual([]);
  });

  it('counts retries at two levels as a storm that multiplies', () => {
    /** An HTTP POST client span to `peer` answered with `status` (a 5xx fails it). */
    const post = (peer: string, path: string, status: number) => ({
      kind: SpanKind.CLIENT,
      error: status >= 500 ? `HTTP ${status}` : undefined,
      attributes: { 'http.request.method': 'POST', 'server.address': peer, 'url.full': `http://${peer}${path}`, 'http.response.status_code': status },
    });
    const r = new SdkRecording();
    const root = r.span('GET /checkout', { service: 'frontend', kind: SpanKind.SERVER, start: 0, end: 1_000 });
    for (let outer = 0; outer < 2; outer++) {
      const at = 10 + outer * 300;
      const call = r.span('POST', { service: 'frontend', parent: root, ...post('orders', '/orders', outer === 0 ? 502 : 200), start: at, end: at + 250 });
      const server = r.span('POST /orders', { service: 'orders', parent: call, kind: SpanKind.SERVER, start: at + 5, end: at + 245 });
      for (let inner = 0; inner < 2; inner++)
        r.span('POST', {
          service: 'orders',
          parent: server,
          ...post('payments', '/charge', inner === 0 ? 503 : 200),
          start: at + 10 + inner * 100,
          end: at + 100 + inner * 100,
        });
    }
    const storms = found(r.trace(), 'retry-storm');
    expect(storms).toHaveLength(1);
    expect(storms[0].severity).toBe('error');
    expect(storms[0].title).toContain('2 attempts of orders POST /orders');
    expect(storms[0].title).toContain('each retried payments POST /charge again');
  });
});

describe('sequential independent calls', () => {
  it('finds different reads run one after another that could run side by side', () => {
    const r = new SdkRecording();
    const server = r.span('GET /dashboard', { kind: SpanKind.SERVER, start: 0, end: 150 });
    ['users', 'orders', 'stock'].forEach((table, i) =>
      r.span('SELECT', {
        parent: server,
        kind: SpanKind.CLIENT,
        start: 2 + i * 45,
        end: 44 + i * 45,
        attributes: { ...PG, 'db.query.text': `SELECT count(*) FROM ${table}` },
      }),
    );
    const [finding] = found(r.trace(), 'sequential-calls');
    expect(finding.title).toBe('Sequential queries: 3 independent queries ran one after another (126 ms; in parallel 42 ms)');
    expect(finding.savingNs).toBe(84_000_000);
  });

  it('leaves overlapping reads, writes and short reads alone', () => {
    const trace = (tables: string[], verb: string, each: number, step: number) => {
      const r = new SdkRecording();
      const server = r.span('GET /dashboard', { kind: SpanKind.SERVER, start: 0, end: 150 });
      tables.forEach((table, i) =>
        r.span('SQL', {
          parent: server,
          kind: SpanKind.CLIENT,
          start: 2 + i * step,
          end: 2 + i * step + each,
          attributes: { ...PG, 'db.query.text': `${verb} ${table} SET x = 1` },
        }),
      );
      return r.trace();
    };
    expect(found(trace(['a', 'b', 'c'], 'SELECT * FROM', 42, 20), 'sequential-calls')).toEqual([]);
    expect(found(trace(['a', 'b', 'c'], 'UPDATE', 42, 45), 'sequential-calls')).toEqual([]);
    expect(found(trace(['a', 'b', 'c'], 'SELECT * FROM', 20, 21), 'sequential-calls')).toEqual([]);
  });
});

describe('broken propagation', () => {
  function unansweredCall(withServer: boolean) {
    const r = new SdkRecording();
    const root = r.span('POST /orders', { service: 'orders', kind: SpanKind.SERVER, start: 0, end: 100 });
    const call = r.span('POST', {
      service: 'orders',
      parent: root,
      kind: SpanKind.CLIENT,
      start: 10,
      end: 90,
      attributes: { 'http.request.method': 'POST', 'server.address': 'payments', 'server.port': 8080, 'url.full': 'http://payments:8080/charge' },
    });
    // The payments server, in this trace when the context arrived, else in a trace of its own.
    r.span('POST /charge', {
      service: 'payments',
      kind: SpanKind.SERVER,
      parent: withServer ? call : undefined,
      start: 20,
      end: 80,
      attributes: { 'server.address': 'payments', 'server.port': 8080 },
    });
    return r.traces();
  }

  it('finds a call to an instrumented service with nothing below it', () => {
    const [orders] = unansweredCall(false).filter((t) => t.spans.some((s) => s.resource.serviceName === 'orders'));
    const peers = new Set(['payments', 'payments:8080']);
    const [finding] = found(orders, 'broken-propagation', { instrumentedPeers: peers });
    expect(finding.title).toContain('orders called payments:8080 POST /charge but no span of payments:8080 is below the call');
    // Unknown as instrumented: it may be a third-party API. Answered: nothing is broken.
    expect(found(orders, 'broken-propagation')).toEqual([]);
    expect(found(unansweredCall(true)[0], 'broken-propagation', { instrumentedPeers: peers })).toEqual([]);
  });

  it('finds a server span whose parent is missing, and a consumer with no context', () => {
    const elsewhere = new SdkRecording().span('GET /', { service: 'edge', kind: SpanKind.CLIENT, start: 0, end: 10 });
    const r = new SdkRecording();
    r.span('GET /api', { service: 'api', kind: SpanKind.SERVER, parent: elsewhere, start: 1, end: 9 });
    const [orphan] = found(r.trace(), 'broken-propagation');
    expect(orphan.title).toBe('Broken propagation: the parent of api · GET /api is not in the trace (lost, or not sampled upstream)');

    const q = new SdkRecording();
    q.span('orders process', { service: 'mailer', kind: SpanKind.CONSUMER, start: 0, end: 10 });
    expect(found(q.trace(), 'broken-propagation')[0].title).toContain('mailer · orders process consumed a message that carried no trace context');
    const linked = new SdkRecording();
    linked.span('orders process', { service: 'mailer', kind: SpanKind.CONSUMER, start: 0, end: 10, links: [{ context: elsewhere.spanContext() }] });
    expect(found(linked.trace(), 'broken-propagation')).toEqual([]);
  });
});

describe('where a failure began', () => {
  it('names the deepest earliest failure and the services it crossed', () => {
    const r = new SdkRecording();
    const front = r.span('GET /checkout', { service: 'frontend', kind: SpanKind.SERVER, start: 0, end: 300, error: 'HTTP 500' });
    const orders = r.span('POST /orders', { service: 'orders', kind: SpanKind.SERVER, parent: front, start: 10, end: 290, error: 'upstream failed' });
    r.span('SELECT', { service: 'orders', parent: orders, kind: SpanKind.CLIENT, start: 20, end: 40, attributes: { ...PG, 'db.query.text': 'SELECT 1' } });
    const pay = r.span('POST /charge', {
      service: 'payments',
      kind: SpanKind.SERVER,
      parent: orders,
      start: 50,
      end: 280,
      error: 'card processor down',
      exception: 'ProcessorUnavailable',
    });
    r.span('chargeCard', { service: 'payments', parent: pay, start: 60, end: 270 });
    const trace = r.trace();
    const [finding] = found(trace, 'failure-origin');
    expect(finding.title).toBe('Failure began in payments · POST /charge (ProcessorUnavailable), reached frontend through 3 services');
    expect(names(trace, finding.spans)).toEqual(['GET /checkout', 'POST /orders', 'POST /charge']);
    expect(found(queryLoop(3, 10), 'failure-origin')).toEqual([]);
    // Failures below a request that succeeded (retried, handled) are not where its failure began: it had none.
    expect(found(calls([503, 503, 200], [1, 1]), 'failure-origin')).toEqual([]);
  });

  it('follows the failure up through a client span that got an error response but was not marked failed', () => {
    // As the demo shop records a declined card: the 402 leaves the client spans unset, every handler above fails.
    const r = new SdkRecording();
    const front = r.span('GET /checkout', { service: 'frontend', kind: SpanKind.SERVER, start: 0, end: 100, error: 'card declined' });
    const call = r.span('POST', {
      service: 'frontend',
      kind: SpanKind.CLIENT,
      parent: front,
      start: 5,
      end: 95,
      attributes: { 'http.response.status_code': 402 },
    });
    const pay = r.span('POST /charge', { service: 'payments', kind: SpanKind.SERVER, parent: call, start: 10, end: 90, error: 'card declined' });
    r.span('chargeCard', { service: 'payments', parent: pay, start: 15, end: 85, error: 'card declined', exception: 'Error' });
    const trace = r.trace();
    const [finding] = found(trace, 'failure-origin');
    expect(finding.title).toBe('Failure began in payments · chargeCard (Error), reached frontend through 2 services');
    expect(names(trace, finding.spans)).toEqual(['GET /checkout', 'POST', 'POST /charge', 'chargeCard']);
    // The same 402 handled by a caller that did not fail: that request had no failure.
    const handled = new SdkRecording();
    const ok = handled.span('GET /checkout', { service: 'frontend', kind: SpanKind.SERVER, start: 0, end: 100 });
    const asked = handled.span('POST', {
      service: 'frontend',
      kind: SpanKind.CLIENT,
      parent: ok,
      start: 5,
      end: 95,
      attributes: { 'http.response.status_code': 402 },
    });
    handled.span('POST /charge', { service: 'payments', kind: SpanKind.SERVER, parent: asked, start: 10, end: 90, error: 'card declined' });
    expect(found(handled.trace(), 'failure-origin')).toEqual([]);
  });

  it('says when a caller gave up while the work below it went on (a timeout)', () => {
    const r = new SdkRecording();
    const front = r.span('GET /search', { service: 'frontend', kind: SpanKind.SERVER, start: 0, end: 100, error: 'deadline exceeded' });
    const call = r.span('POST', {
      service: 'frontend',
      kind: SpanKind.CLIENT,
      parent: front,
      start: 5,
      end: 100,
      error: 'timeout',
      attributes: { 'http.request.method': 'POST', 'server.address': 'search' },
    });
    r.span('POST /query', { service: 'search', kind: SpanKind.SERVER, parent: call, start: 10, end: 400 });
    const [finding] = found(r.trace(), 'failure-origin');
    expect(finding.title).toBe('Failure began in frontend · POST (timeout); it gave up waiting for search · POST /query (a timeout)');
  });
});

describe('the bottleneck', () => {
  it('names the span whose own work holds most of the critical path', () => {
    const r = new SdkRecording();
    const root = r.span('GET /stock', { service: 'api', kind: SpanKind.SERVER, start: 0, end: 200 });
    r.span('auth', { service: 'api', parent: root, start: 2, end: 20 });
    r.span('SELECT stock', { service: 'inventory', parent: root, kind: SpanKind.CLIENT, start: 25, end: 175, attributes: PG });
    const [finding] = found(r.trace(), 'bottleneck');
    expect(finding.title).toBe('Bottleneck: inventory · SELECT stock, 75% of the trace (150 ms of its own work on the critical path)');
  });

  it('names none in a fast trace, or when the handler itself is the time', () => {
    const fast = new SdkRecording();
    const root = fast.span('GET /', { kind: SpanKind.SERVER, start: 0, end: 20 });
    fast.span('SELECT', { parent: root, kind: SpanKind.CLIENT, start: 1, end: 19, attributes: PG });
    expect(found(fast.trace(), 'bottleneck')).toEqual([]);
    const own = new SdkRecording();
    const handler = own.span('GET /', { kind: SpanKind.SERVER, start: 0, end: 500 });
    own.span('SELECT', { parent: handler, kind: SpanKind.CLIENT, start: 1, end: 20, attributes: PG });
    expect(found(own.trace(), 'bottleneck')).toEqual([]);
  });
});

describe('statements and paths', () => {
  it('replaces literals and placeholders, collapses lists, and refuses cut-off statements', () => {
    expect(normaliseStatement("SELECT * FROM t WHERE a = 'x''y' AND b = 42 AND c = 0xFF AND d = 1e5")).toBe(
      'SELECT * FROM t WHERE a = ? AND b = ? AND c = ? AND d = ?',
    );
    expect(normaliseStatement('select id from t2 where id in ($1, $2, :three, @p4, ?)')).toBe('select id from t2 where id IN (?)');
    expect(normaliseStatement("INSERT INTO t (a, b) VALUES (1, 'x'), (2, 'y')")).toBe('INSERT INTO t (a, b) VALUES (?, ?)');
    expect(normaliseStatement("SELECT * FROM t WHERE id = '3f2504e0-4f89-11d3-9a0c-0305e82c3301'")).toBe('SELECT * FROM t WHERE id = ?');
    expect(normaliseStatement('SELECT * FROM t WHERE a = 1...')).toBeUndefined();
    expect(normaliseStatement('PING')).toBeUndefined();
  });

  it('reads ids in paths as one template', () => {
    expect(pathTemplate('/users/42/orders/3f2504e0-4f89-11d3-9a0c-0305e82c3301?x=1')).toBe('/users/{id}/orders/{id}');
    expect(pathTemplate('/files/a1b2c3d4e5f6a7b8/raw')).toBe('/files/{id}/raw');
    expect(pathTemplate('/api/v1/health')).toBe('/api/v1/health');
  });
});

describe('findings across traces', () => {
  it('groups one problem in many traces by fingerprint, with counts, exemplars and code clues; evicted traces leave', () => {
    const groups = new FindingGroups();
    const traces = [queryLoop(12, 15), queryLoop(6, 15), calls([503, 503, 503, 200], [1, 1, 1])];
    traces.forEach((trace, i) => groups.add(trace.traceId, 1000 + i, toTraceFindings(trace, detectFindings(trace).findings)));
    const kinds = groups.groups().map((g) => g.kind);
    // The most widespread first (the storm's request recovered: its failures are no failure of the request).
    expect(kinds).toEqual(['n-plus-one-query', 'retry-storm']);
    const nPlusOne = groups.groups()[0];
    expect(nPlusOne).toMatchObject({ kind: 'n-plus-one-query', traces: 2, occurrences: 2, firstSeenMs: 1000, lastSeenMs: 1001, service: 'shop' });
    expect(nPlusOne.title).toContain('6 ×');
    expect(nPlusOne.exemplars.map((e) => e.traceId)).toEqual([traces[1].traceId, traces[0].traceId]);
    expect(nPlusOne.exemplars[0].spanIds).toHaveLength(6);
    groups.remove(traces[1].traceId);
    expect(groups.groups().find((g) => g.kind === 'n-plus-one-query')).toMatchObject({ traces: 1, lastSeenMs: 1000 });
    expect(groups.ofTrace(traces[0].traceId).map((f) => f.kind)).toContain('n-plus-one-query');
    groups.remove(traces[0].traceId);
    groups.remove(traces[2].traceId);
    expect(groups.size).toBe(0);
  });

  it('merges the groups of two holders (the receiver, this window): counts add up, the latest names the group', () => {
    const received = new FindingGroups();
    const local = new FindingGroups();
    const traces = [queryLoop(12, 15), queryLoop(6, 15), calls([503, 503, 503, 200], [1, 1, 1])];
    received.add(traces[0].traceId, 1000, toTraceFindings(traces[0], detectFindings(traces[0]).findings));
    received.add(traces[2].traceId, 1002, toTraceFindings(traces[2], detectFindings(traces[2]).findings));
    local.add(traces[1].traceId, 1001, toTraceFindings(traces[1], detectFindings(traces[1]).findings));
    const merged = mergeGroups(received.groups(), local.groups());
    // Both holders' traces in one group, the most widespread first: the same as one holder of all three.
    const together = new FindingGroups();
    traces.forEach((trace, i) => together.add(trace.traceId, 1000 + i, toTraceFindings(trace, detectFindings(trace).findings)));
    expect(merged).toEqual(together.groups());
    expect(merged[0]).toMatchObject({ kind: 'n-plus-one-query', traces: 2, firstSeenMs: 1000, lastSeenMs: 1001 });
    expect(merged[0].title).toContain('6 ×');
    expect(mergeGroups([], local.groups())).toEqual(local.groups());
  });

  it('carries the code clues of the loop and of the repeated call', () => {
    const r = new SdkRecording();
    recordQueryLoop(r, 'priceItems', {
      repeats: 6,
      loopAttributes: { 'code.file.path': '/app/orders.mjs', 'code.line.number': 22, 'code.function.name': 'priceItems' },
      query: () => ({ ...PG, 'db.query.text': 'SELECT 1 FROM t WHERE id = 1', 'code.file.path': '/app/orders.mjs', 'code.line.number': 25 }),
    });
    const trace = r.trace();
    const [finding] = toTraceFindings(trace, found(trace, 'n-plus-one-query'));
    expect(finding.anchorClues[0]).toMatchObject({ kind: 'file', path: '/app/orders.mjs', line: 22 });
    expect(finding.callClues[0]).toMatchObject({ kind: 'file', path: '/app/orders.mjs', line: 25 });
    // Placed at the repeated call (the line to change); at the loop when the call maps to nothing.
    const groups = new FindingGroups();
    groups.add(trace.traceId, 1000, [finding]);
    const at = (line: number | undefined) => (clues: CodeClue[]) => {
      const clue = clues[0];
      return clue?.kind === 'file' && clue.line === (line ?? clue.line) ? { file: clue.path, line: clue.line } : undefined;
    };
    expect(placeFindings(groups.groups(), at(undefined))[0].location).toEqual({ file: '/app/orders.mjs', line: 25 });
    expect(placeFindings(groups.groups(), at(22))[0].location).toEqual({ file: '/app/orders.mjs', line: 22 });
  });
});

describe('hostile traces', () => {
  it('100k siblings, a 1 MB statement, absurd times and missing parents give correct findings or none, never a throw', () => {
    const r = new SdkRecording();
    const root = r.span('GET /', { kind: SpanKind.SERVER, start: 0, end: 5_000 });
    const huge = `SELECT ${'x, '.repeat(350_000)}y FROM t WHERE id = 1`;
    for (let i = 0; i < 6; i++)
      r.span('SELECT', { parent: root, kind: SpanKind.CLIENT, start: 1 + i * 20, end: 19 + i * 20, attributes: { ...PG, 'db.query.text': huge } });
    r.span('backwards', { parent: root, start: 300, end: 100 });
    const trace = r.trace();
    for (let i = 0; i < 100_000; i++)
      trace.spans.push({ ...trace.spans[trace.spans.length - 1], spanId: (0x100000 + i).toString(16).padStart(16, '0'), name: `sibling ${i}` });
    const detected = detectFindings(trace);
    expect(detected.problems).toEqual([]);
    const nPlusOne = detected.findings.filter((f) => f.kind === 'n-plus-one-query');
    expect(nPlusOne).toHaveLength(1);
    expect(nPlusOne[0].title.length).toBeLessThan(200);
    expect(detected.findings.filter((f) => f.kind === 'calls-in-loop' || f.kind === 'retry-storm')).toEqual([]);
  });

  it('a detector that throws costs only its own findings', () => {
    const trace = queryLoop(12, 15);
    // A consumer that starts its own trace: broken propagation, found by a detector that never reads durations.
    trace.spans.push({ ...trace.spans[0], spanId: 'c0ffee0000000001', parentSpanId: undefined, kind: 'consumer', name: 'receipts process' });
    // A query whose duration throws when read, as a bug meeting strange data would.
    Object.defineProperty(trace.spans[3], 'durationNs', {
      get() {
        throw new Error('unreadable');
      },
    });
    const detected = detectFindings(trace);
    expect(detected.problems.some((p) => p.startsWith('n-plus-one-query: unreadable'))).toBe(true);
    expect(detected.findings.map((f) => f.kind)).toEqual(['broken-propagation']);
  });
});

describe('findings of traces that arrive a batch at a time', () => {
  it('analyses a trace once it settles, again when more spans come, and never one that left', () => {
    let now = 0;
    const stored = new Map<string, Trace>();
    const published: [string, string[]][] = [];
    const analysis = new SettlingAnalysis(
      (id) => {
        const trace = stored.get(id);
        return trace && { trace };
      },
      (trace, findings) => published.push([trace.traceId, findings.map((f) => f.kind)]),
      () => now,
    );
    const loop = queryLoop(12, 15);
    const first = { ...loop, spans: loop.spans.slice(0, 8) };
    stored.set(loop.traceId, first);
    analysis.touched(loop.traceId);
    now = SETTLE_MS - 1;
    analysis.analyseSettled();
    expect(published).toEqual([]);
    now = SETTLE_MS;
    analysis.analyseSettled();
    // Six of the twelve queries arrived: an N+1 already (5 or more), judged on what is there.
    expect(published).toHaveLength(1);
    expect(published[0][0]).toBe(loop.traceId);
    expect(published[0][1]).toContain('n-plus-one-query');
    stored.set(loop.traceId, loop);
    analysis.touched(loop.traceId);
    now += SETTLE_MS;
    analysis.analyseSettled();
    expect(published).toHaveLength(2);
    analysis.touched('gone');
    analysis.removed('gone');
    now += SETTLE_MS;
    analysis.analyseSettled();
    expect(published).toHaveLength(2);
    expect(analysis.waiting).toBe(0);
  });

  /** An analysis whose clock moves a slice's length at every look, so each step ends a slice. */
  function stepped() {
    let now = 0;
    const stored = new Map<string, Trace>();
    const published: [string, number][] = [];
    const later: (() => void)[] = [];
    const analysis = new SettlingAnalysis(
      (id) => {
        const trace = stored.get(id);
        return trace && { trace };
      },
      (trace) => published.push([trace.traceId, trace.spans.length]),
      () => (now += SLICE_MS / 2 + 0.1),
      (next) => later.push(next),
    );
    /** The slices waiting, and the turns after them (the receiver's timer), until no trace waits: how many slices. */
    const runLater = () => {
      let slices = 0;
      for (let turns = 0; turns < 100 && (later.length || analysis.waiting); turns++) {
        while (later.length) (later.shift()!(), slices++);
        if (analysis.waiting) analysis.analyseSettled();
      }
      return slices;
    };
    const settle = () => (now += SETTLE_MS);
    return { stored, published, analysis, runLater, settle };
  }

  it('analyses a trace a step at a time, other work running between the steps, within a turn’s budget', () => {
    const { stored, published, analysis, runLater, settle } = stepped();
    const loop = queryLoop(12, 15);
    stored.set(loop.traceId, loop);
    analysis.touched(loop.traceId);
    settle();
    analysis.analyseSettled();
    // The first step ended the slice: the rest waits for the thread's other work.
    expect(published).toEqual([]);
    expect(analysis.waiting).toBe(1);
    // Each step a slice of its own: reading, the tree, the call index, each detector.
    expect(runLater()).toBeGreaterThan(5);
    expect(published).toEqual([[loop.traceId, loop.spans.length]]);
    expect(analysis.waiting).toBe(0);
  });

  it('starts a trace’s analysis again when spans come for it between two steps, and drops one that left', () => {
    const { stored, published, analysis, runLater, settle } = stepped();
    const loop = queryLoop(12, 15);
    stored.set(loop.traceId, { ...loop, spans: loop.spans.slice(0, 8) });
    analysis.touched(loop.traceId);
    settle();
    analysis.analyseSettled();
    // More spans came while it was half analysed: what it read so far is stale.
    stored.set(loop.traceId, loop);
    analysis.touched(loop.traceId);
    runLater();
    settle();
    analysis.analyseSettled();
    runLater();
    // Published once, whole: never the half it had read.
    expect(published).toEqual([[loop.traceId, loop.spans.length]]);

    const other = { ...queryLoop(12, 15), traceId: '00000000000000000000000000000bbb' };
    stored.set(other.traceId, other);
    analysis.touched(other.traceId);
    settle();
    analysis.analyseSettled();
    stored.delete(other.traceId);
    // It left before its analysis ended: it counts as left unanalysed, and nothing is published of it.
    expect(analysis.removed(other.traceId)).toBe(true);
    runLater();
    expect(published).toHaveLength(1);
    expect(analysis.waiting).toBe(0);
  });
});
