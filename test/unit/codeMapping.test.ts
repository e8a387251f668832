// From spans to code: stack-trace parsers on real frames (from the notes' upstream examples), clue precedence,
// path mapping with container paths and decoys, and the latency sketch's accuracy on 1M samples.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { ClueResolver } from '../../src/core/code/clueResolver';
import { CLUE_ATTRIBUTES, codeClues, errorClues, thrownClue } from '../../src/core/code/codeClues';
import { normalisePath, WorkspaceIndex } from '../../src/core/code/pathMapping';
import { firstAppFrame, parseStackTrace } from '../../src/core/code/stackTrace';
import type { Span } from '../../src/core/model/trace';
import { CodeStats } from '../../src/core/stats/codeStats';
import { LatencySketch, RELATIVE_ACCURACY } from '../../src/core/stats/latencySketch';
import { SpanStore } from '../../src/core/receiver/spanStore';
import { buildSpan } from '../support/traceBuilder';

function span(attributes: Span['attributes'], events: Span['events'] = [], status: Span['status'] = { code: 'unset' }): Span {
  return buildSpan(attributes, { events, status });
}

describe('stack-trace parsers', () => {
  it('Java: module prefixes, package paths, library frames skipped', () => {
    const frames = parseStackTrace(`java.lang.IllegalStateException: empty cart
\tat java.base@17.0.12/jdk.internal.reflect.DelegatingMethodAccessorImpl.invoke(DelegatingMethodAccessorImpl.java:43)
\tat app//com.acme.orders.OrderService.placeOrder(OrderService.java:16)
\tat com.acme.web.OrderController$1.handle(OrderController.java:88)
\tat java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)
\t... 12 more`);
    expect(firstAppFrame(frames)).toEqual({
      file: 'com/acme/orders/OrderService.java',
      line: 16,
      column: undefined,
      function: 'com.acme.orders.OrderService.placeOrder',
      library: false,
    });
    expect(frames[0].library).toBe(true);
  });

  it('Python: oldest first on the wire, newest first here; site-packages are libraries', () => {
    const frames = parseStackTrace(`Traceback (most recent call last):
  File "/srv/app/billing/service.py", line 8, in charge
    raise ValueError(f"amount must be positive for {order_id}")
  File "/app/.venv/lib/python3.14/site-packages/stripe/api.py", line 56, in create
    response = get_response(request)
               ^^^^^^^^^^^^^^^^^^^^^
ValueError: amount must be positive`);
    expect(frames.map((f) => [f.file, f.line, f.library])).toEqual([
      ['/app/.venv/lib/python3.14/site-packages/stripe/api.py', 56, true],
      ['/srv/app/billing/service.py', 8, false],
    ]);
    expect(firstAppFrame(frames)?.function).toBe('charge');
  });

  it('Node/V8: named, anonymous, file:// and node:internal frames', () => {
    const frames = parseStackTrace(`Error: empty cart
    at placeOrder (/app/src/orders.ts:13:29)
    at file:///app/src/server%20main.js:40:7
    at process.processTicksAndRejections (node:internal/process/task_queues:104:5)
    at new Promise (<anonymous>)`);
    expect(frames.map((f) => [f.file, f.line, f.column, f.function, f.library])).toEqual([
      ['/app/src/orders.ts', 13, 29, 'placeOrder', false],
      ['/app/src/server main.js', 40, 7, undefined, false],
      ['node:internal/process/task_queues', 104, 5, 'process.processTicksAndRejections', true],
    ]);
  });

  it('Go: two lines per frame; module-cache frames are libraries', () => {
    const frames = parseStackTrace(`goroutine 1 [running]:
github.com/gin-gonic/gin.(*Context).Next(0xc01854a700)
\t/go/pkg/mod/github.com/gin-gonic/gin@v1.9.1/context.go:174 +0x2b
nudgebee/services/api.handlePublicWebhooksApis.genericWebhookHandler.func1(0xc01854a700)
\t/app/api/public_webhooks.go:49 +0x39f`);
    expect(firstAppFrame(frames)).toMatchObject({
      file: '/app/api/public_webhooks.go',
      line: 49,
      function: 'nudgebee/services/api.handlePublicWebhooksApis.genericWebhookHandler.func1',
    });
    expect(frames[0].library).toBe(true);
  });

  it('.NET, Ruby (both quote styles) and PHP', () => {
    expect(
      firstAppFrame(
        parseStackTrace(
          '   at ICSharpCode.Decompiler.Ast.AstMethodBodyBuilder.CreateMethodBody(MethodDef methodDef, DecompilerContext context) in D:\\a\\dnSpy\\Ast\\AstMethodBodyBuilder.cs:line 88',
        ),
      ),
    ).toMatchObject({
      file: 'D:\\a\\dnSpy\\Ast\\AstMethodBodyBuilder.cs',
      line: 88,
      function: 'ICSharpCode.Decompiler.Ast.AstMethodBodyBuilder.CreateMethodBody',
    });
    expect(
      parseStackTrace("app/controllers/api/base_controller/logger.rb:61:in 'Api::BaseController::Logger#api_get_method_name'\ntest.rb:2:in `<main>'").map(
        (f) => [f.file, f.line, f.function],
      ),
    ).toEqual([
      ['app/controllers/api/base_controller/logger.rb', 61, 'Api::BaseController::Logger#api_get_method_name'],
      ['test.rb', 2, '<main>'],
    ]);
    expect(firstAppFrame(parseStackTrace('#0 /var/htdocs/websites/sbdevel/public/index.php(70): seabird\\test\\C->exc()\n#1 {main}'))).toMatchObject({
      file: '/var/htdocs/websites/sbdevel/public/index.php',
      line: 70,
    });
  });
});

describe('code clues', () => {
  it('orders clues by trust and reads both the stable and the older attribute names', () => {
    const clues = codeClues(
      span({
        'code.filepath': '/app/src/orders.ts',
        'code.lineno': 12,
        'code.namespace': 'orders',
        'code.function': 'placeOrder',
        'http.route': '/orders/{id}',
        '_dd.code_origin.frames.0.file': '/app/x.ts',
        '_dd.code_origin.frames.0.line': '3',
      }),
    );
    expect(clues).toEqual([
      { kind: 'file', path: '/app/src/orders.ts', line: 12, function: 'orders.placeOrder', from: 'code.file.path' },
      { kind: 'file', path: '/app/x.ts', line: 3, function: undefined, from: 'datadog' },
      { kind: 'symbol', name: 'orders.placeOrder' },
      { kind: 'route', route: '/orders/{id}' },
    ]);
  });

  it('puts a failing span at the first application frame of its exception', () => {
    const failing = span(
      { 'code.function.name': 'com.acme.orders.OrderService.placeOrder' },
      [{ name: 'exception', offsetNs: 0, attributes: { 'exception.stacktrace': 'Error: x\n    at placeOrder (/app/src/orders.ts:13:29)' } }],
      { code: 'error' },
    );
    expect(errorClues(failing)[0]).toEqual({
      kind: 'stack',
      frames: [{ file: '/app/src/orders.ts', line: 13, column: 29, function: 'placeOrder', library: false }],
      from: 'exception.stacktrace',
    });
    expect(errorClues(span({}))).toEqual([]);
  });

  it('counts a frame as application code only when its file is in the workspace (a template engine frame is not)', () => {
    const stack = [
      'org.thymeleaf.exceptions.TemplateProcessingException: Exception evaluating SpringEL expression',
      '\tat org.thymeleaf.spring6.expression.SPELVariableExpressionEvaluator.evaluate(SPELVariableExpressionEvaluator.java:292)',
      '\tat org.springframework.samples.petclinic.owner.OwnerController.showOwner(OwnerController.java:163)',
    ].join('\n');
    const failing = span({}, [{ name: 'exception', offsetNs: 0, attributes: { 'exception.stacktrace': stack } }], { code: 'error' });
    const files = ['/ws/src/main/java/org/springframework/samples/petclinic/owner/OwnerController.java'];
    const resolver = new ClueResolver(new WorkspaceIndex(files), files, () => undefined);
    expect(resolver.resolve(errorClues(failing)[0])).toMatchObject({ file: files[0], line: 163 });
  });

  it('read of a span only its name, kind, parent and the attributes CLUE_ATTRIBUTES names (what ClueMemo keys on)', () => {
    const attributesRead = new Set<string>();
    const spanRead = new Set<string>();
    let seed = 7;
    const coin = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) & 1024) === 0;
    for (let round = 0; round < 300; round++) {
      // Each name asked for is there or not at random, so every fallback to an older name is taken somewhere.
      const present = new Map<string, boolean>();
      const attributes = new Proxy({} as Span['attributes'], {
        get: (_, key) => {
          if (typeof key !== 'string') return undefined;
          attributesRead.add(key);
          if (!present.has(key)) present.set(key, coin());
          return present.get(key) ? (key.includes('line') || key.includes('column') ? '12' : `GET /v${round}`) : undefined;
        },
      });
      const plain = { ...span({}, [], { code: coin() ? 'error' : 'unset' }), attributes, name: coin() ? 'GET /orders/{id}' : 'charge' };
      Object.assign(plain, { kind: coin() ? 'server' : coin() ? 'client' : 'unspecified', parentSpanId: coin() ? undefined : 'a'.repeat(16) });
      const watched = new Proxy(plain, { get: (target, key) => (spanRead.add(String(key)), target[key as keyof Span]) });
      codeClues(watched);
      thrownClue(plain);
    }
    expect([...attributesRead].filter((key) => !CLUE_ATTRIBUTES.includes(key))).toEqual([]);
    expect(attributesRead.size).toBeGreaterThan(CLUE_ATTRIBUTES.length / 2);
    expect([...spanRead].sort()).toEqual(['attributes', 'kind', 'name', 'parentSpanId']);
  });
});

describe('path mapping', () => {
  const files = [
    '/ws/src/orders.ts',
    '/ws/app/billing/service.py',
    '/ws/vendor/billing-lib/billing/service.py',
    '/ws/a/util.ts',
    '/ws/b/util.ts',
    '/ws/src/main/java/com/acme/orders/OrderService.java',
  ];

  it('maps container and CI paths by their longest common suffix, preferring application files over libraries', () => {
    const index = new WorkspaceIndex(files);
    expect(index.resolve('/app/src/orders.ts')).toEqual({ file: '/ws/src/orders.ts', via: 'suffix' });
    expect(index.resolve('/srv/app/billing/service.py')).toEqual({ file: '/ws/app/billing/service.py', via: 'suffix' });
    expect(index.resolve('C:\\build\\src\\orders.ts')).toEqual({ file: '/ws/src/orders.ts', via: 'suffix' });
    expect(index.resolve('com/acme/orders/OrderService.java')).toEqual({ file: '/ws/src/main/java/com/acme/orders/OrderService.java', via: 'suffix' });
    expect(index.resolve('/ws/src/orders.ts')).toEqual({ file: '/ws/src/orders.ts', via: 'exact' });
  });

  it('reports ties as ambiguous and unknown names as unresolved', () => {
    const index = new WorkspaceIndex(files);
    expect(index.resolve('/app/util.ts')).toEqual({ ambiguous: ['/ws/a/util.ts', '/ws/b/util.ts'] });
    expect(index.resolve('/app/main.go')).toEqual({ unresolved: 'no file named main.go in the workspace' });
  });

  it('normalises the paths spans report: file URLs, Windows drives and separators, doubled slashes, padding', () => {
    expect(normalisePath('  file:///srv/app%20x/a.py ')).toBe('/srv/app x/a.py');
    expect(normalisePath('file:///C:/build/src/a.ts')).toBe('C:/build/src/a.ts');
    expect(normalisePath('C:\\build\\src\\a.ts')).toBe('C:/build/src/a.ts');
    expect(normalisePath('/srv//app///a.py')).toBe('/srv/app/a.py');
    expect(normalisePath('/srv/C:/a.py')).toBe('/srv/C:/a.py');
    expect(new WorkspaceIndex(['/ws/a.py', '/ws//a.py', '/ws/b.py']).size).toBe(2);
    // Equal only when case-folded: not the same file.
    expect(new WorkspaceIndex(['/ws/A.py']).resolve('/srv/a.py')).toEqual({ unresolved: 'no file named a.py in the workspace' });
  });

  it('applies user mappings first, and only to files that exist', () => {
    const index = new WorkspaceIndex(files, [{ remote: '/app/', local: '/ws/b/' }]);
    expect(index.resolve('/app/util.ts')).toEqual({ file: '/ws/b/util.ts', via: 'mapping' });
  });
});

describe('latency sketch', () => {
  it('keeps p50/p95/p99 within 1% of the exact values on 1M samples, and merges', () => {
    let seed = 42;
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const values = Float64Array.from({ length: 1_000_000 }, () =>
      Math.exp(13 + 1.2 * Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random())),
    );
    const a = new LatencySketch();
    const b = new LatencySketch();
    values.forEach((v, i) => (i % 2 ? a : b).add(v));
    a.merge(b);
    const sorted = Float64Array.from(values).sort();
    for (const q of [0.5, 0.95, 0.99, 0.999]) {
      const at = q * (sorted.length - 1);
      const exact = sorted[Math.floor(at)] + (sorted[Math.ceil(at)] - sorted[Math.floor(at)]) * (at % 1);
      expect(Math.abs(a.quantile(q) - exact) / exact).toBeLessThanOrEqual(RELATIVE_ACCURACY);
    }
    expect(a.count).toBe(1_000_000);
    expect(new Set(values).size).toBeGreaterThan(999_000);
    expect(a.quantile(0)).toBe(sorted[0]);
    expect(a.quantile(1)).toBe(sorted[sorted.length - 1]);
  });
});

describe('code statistics follow the span store', () => {
  it('adds spans as they are stored and takes them out when retention evicts them', () => {
    const index = new WorkspaceIndex(['/ws/src/orders.ts']);
    const stats = new CodeStats((clue) => {
      if (clue.kind !== 'file') return { unresolved: 'not a file clue' };
      const r = index.resolve(clue.path);
      return 'file' in r ? { file: r.file, line: clue.line } : { unresolved: 'no file' };
    });
    const store = new SpanStore({ maxSpans: 10, maxBytes: Number.MAX_SAFE_INTEGER });
    store.onSpans({ added: (view) => stats.addTrace(view), removed: (view) => stats.removeTrace(view) });
    const trace = (n: number, error = false) => ({
      traceId: n.toString(16).padStart(32, '0'),
      startUnixNano: 1_700_000_000_000_000_000n,
      spans: [
        {
          ...span({ 'code.file.path': '/app/src/orders.ts', 'code.line.number': 12 }, [], error ? { code: 'error' as const } : { code: 'unset' as const }),
          traceId: n.toString(16).padStart(32, '0'),
          durationNs: n * 1000,
        },
      ],
      warnings: [],
    });
    for (let n = 1; n <= 10; n++) store.add([trace(n, n === 3)]);
    let [entry] = stats.locationsIn('/ws/src/orders.ts');
    expect(entry).toMatchObject({ errorCount: 1, location: { line: 12 } });
    expect(entry.sketch.count).toBe(10);
    expect(entry.slowest?.traceId).toBe((10).toString(16).padStart(32, '0'));
    store.add([trace(11)]); // over the limit: the oldest ordinary traces go, the failing one stays
    [entry] = stats.locationsIn('/ws/src/orders.ts');
    expect(entry.sketch.count).toBe(store.size.spans);
    expect(entry.errorCount).toBe(1);
    store.clear();
    expect(stats.locationsIn('/ws/src/orders.ts')).toEqual([]);
  });
});

describe('source maps', () => {
  it('shows a frame in compiled JavaScript at the TypeScript line the map names (a real esbuild map)', () => {
    const root = mkdtempSync(join(tmpdir(), 'trace-lens-map-'));
    mkdirSync(join(root, 'src'));
    const source = [
      '// header',
      'export function helper(n: number): number {',
      '  return n * 2;',
      '}',
      '',
      'export function placeOrder(cart: string[]): number {',
      "  if (cart.length === 0) throw new Error('empty cart');",
      '  return helper(cart.length);',
      '}',
      '',
    ].join('\n');
    writeFileSync(join(root, 'src', 'orders.ts'), source);
    buildSync({
      entryPoints: [join(root, 'src', 'orders.ts')],
      outfile: join(root, 'dist', 'orders.js'),
      sourcemap: true,
      format: 'cjs',
      platform: 'node',
      logLevel: 'silent',
    });
    const js = readFileSync(join(root, 'dist', 'orders.js'), 'utf8').split('\n');
    const thrownAt = js.findIndex((l) => l.includes('empty cart')) + 1;
    const files = [join(root, 'src', 'orders.ts'), join(root, 'dist', 'orders.js'), join(root, 'dist', 'orders.js.map')];
    const resolver = new ClueResolver(new WorkspaceIndex(files), files, (f) => {
      try {
        return readFileSync(f, 'utf8');
      } catch {
        return undefined;
      }
    });
    const stack = `Error: empty cart\n    at placeOrder (/srv/app/dist/orders.js:${thrownAt}:${js[thrownAt - 1].indexOf('throw') + 1})`;
    const [clue] = errorClues(span({}, [{ name: 'exception', offsetNs: 0, attributes: { 'exception.stacktrace': stack } }], { code: 'error' }));
    expect(resolver.resolve(clue)).toEqual({ file: join(root, 'src', 'orders.ts'), line: 7 });
  });
});
