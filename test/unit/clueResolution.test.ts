// From a span's attributes to its clues, and from a clue to a workspace line or the reason a person reads in
// "Show Unresolved Code Locations". Every case names what a user would see go wrong if the rule broke.
import { describe, expect, it } from 'vitest';
import { transpileModule } from 'typescript';
import { ClueResolver } from '../../src/core/code/clueResolver';
import { codeClues, errorClues, thrownClue } from '../../src/core/code/codeClues';
import { WorkspaceIndex } from '../../src/core/code/pathMapping';
import { originalPosition, parseSourceMap } from '../../src/core/code/sourceMap';
import { buildSpan } from '../support/traceBuilder';

const span = buildSpan;

const PY_STACK =
  'Traceback (most recent call last):\n  File "/srv/app/views.py", line 9, in show\n  File "/usr/lib/python3/site-packages/flask/app.py", line 1, in x\nValueError: no';

describe('codeClues', () => {
  it('reads code.* by the stable names, then the older ones, and joins a namespace onto the function once', () => {
    expect(codeClues(span({ 'code.filepath': 'a.py', 'code.lineno': '12', 'code.column': 3, 'code.function': 'show', 'code.namespace': 'app.views' }))).toEqual(
      [
        { kind: 'file', path: 'a.py', line: 12, column: 3, function: 'app.views.show', from: 'code.file.path' },
        { kind: 'symbol', name: 'app.views.show' },
      ],
    );
    expect(codeClues(span({ 'code.function.name': 'app.views.show', 'code.namespace': 'app.views' }))).toEqual([{ kind: 'symbol', name: 'app.views.show' }]);
  });

  it('ignores lines that are not positive integers and empty or non-text values', () => {
    const [clue] = codeClues(span({ 'code.file.path': 'a.py', 'code.line.number': 0, 'code.column.number': 2.5 }));
    expect(clue).toMatchObject({ line: undefined, column: undefined });
    expect(codeClues(span({ 'code.file.path': '', 'code.filepath': 7, 'code.function.name': '' }))).toEqual([]);
    expect(codeClues(span({ 'code.file.path': 'a.py', 'code.lineno': 'twelve' }))[0]).toMatchObject({ line: undefined });
  });

  it('names a Datadog code origin by type and method', () => {
    expect(
      codeClues(
        span({
          '_dd.code_origin.frames.0.file': 'Orders.java',
          '_dd.code_origin.frames.0.line': 40,
          '_dd.code_origin.frames.0.type': 'com.acme.Orders',
          '_dd.code_origin.frames.0.method': 'place',
        }),
      ),
    ).toEqual([{ kind: 'file', path: 'Orders.java', line: 40, function: 'com.acme.Orders.place', from: 'datadog' }]);
    expect(codeClues(span({ '_dd.code_origin.frames.0.file': 'o.py', '_dd.code_origin.frames.0.method': 'place' }))[0]).toMatchObject({ function: 'place' });
  });

  it('keeps at most 12 application frames of a code stack, library frames left out', () => {
    const frames = Array.from({ length: 15 }, (_, i) => `    at f${i} (/app/src/m${i}.js:${i + 1}:1)`).join('\n');
    const [clue] = codeClues(span({ 'code.stacktrace': `Error: x\n    at lib (/app/node_modules/x/i.js:1:1)\n${frames}` }));
    expect(clue.kind === 'stack' && clue.frames.map((f) => f.file)).toEqual(Array.from({ length: 12 }, (_, i) => `/app/src/m${i}.js`));
  });

  it('takes http.route only for a request served here, with the method; a route from the span name when the attribute is missing', () => {
    expect(codeClues(span({ 'http.route': '/items/:id', 'http.request.method': 'post' }))).toEqual([{ kind: 'route', route: '/items/:id', method: 'POST' }]);
    expect(codeClues(span({ 'http.route': '/items/:id' }, { kind: 'internal' }))).toEqual([]);
    expect(codeClues(span({ 'http.route': '/items/:id' }, { kind: 'unspecified', parentSpanId: 'ab' }))).toEqual([]);
    expect(codeClues(span({ 'http.route': '/items/:id', 'http.method': 'GET' }, { kind: 'unspecified' }))).toEqual([
      { kind: 'route', route: '/items/:id', method: 'GET' },
    ]);
    // "_OTHER" is the convention's unknown method: the span name's method is taken instead.
    expect(codeClues(span({ 'http.route': '/x', 'http.request.method': '_OTHER' }, { name: 'PATCH /x' }))).toEqual([
      { kind: 'route', route: '/x', method: 'PATCH' },
    ]);
    expect(codeClues(span({}, { name: 'GET /items/{id}' }))).toEqual([{ kind: 'route', route: '/items/{id}', method: 'GET' }]);
    expect(codeClues(span({}, { name: 'proxy GET /items' }))).toEqual([]);
    expect(codeClues(span({}, { name: 'GET /items extra' }))).toEqual([]);
  });

  it('finds the thrown stack on the exception event first, then on the span, and only for a failing span in errorClues', () => {
    const event = { name: 'exception', offsetNs: 0, attributes: { 'exception.stacktrace': PY_STACK } };
    const thrown = thrownClue(span({}, { events: [{ name: 'log', offsetNs: 0, attributes: { 'exception.stacktrace': 'x' } }, event] }));
    expect(thrown).toEqual({ kind: 'stack', frames: [{ file: '/srv/app/views.py', line: 9, function: 'show', library: false }], from: 'exception.stacktrace' });
    expect(thrownClue(span({ 'exception.stacktrace': PY_STACK }))).toEqual(thrown);
    const failing = span({ 'code.file.path': 'b.py' }, { events: [event], status: { code: 'error' } });
    expect(errorClues(failing).map((c) => c.kind)).toEqual(['stack', 'file']);
    expect(errorClues({ ...failing, status: { code: 'ok' } })).toEqual([]);
    expect(errorClues(span({ 'code.file.path': 'b.py' }, { status: { code: 'error' } })).map((c) => c.kind)).toEqual(['file']);
  });
});

const FILES = [
  '/ws/app/views.py',
  '/ws/app/orders.py',
  '/ws/a/util.py',
  '/ws/b/util.py',
  '/ws/c/util.py',
  '/ws/d/util.py',
  '/ws/com/acme/Orders.java',
  '/ws/com/acme/Cart.kt',
  '/ws/shop/cart.go',
  '/ws/shop/api.ts',
  '/ws/dist/app.js',
  '/ws/src/app.ts',
];

function resolver(texts: Record<string, string> = {}, reads: string[] = []): ClueResolver {
  return new ClueResolver(new WorkspaceIndex(FILES), FILES, (f) => {
    reads.push(f);
    return texts[f];
  });
}

describe('ClueResolver: what a clue resolves to, or why not', () => {
  it('says how many files an ambiguous path matches, naming three, and asks for a path mapping', () => {
    expect(resolver().resolve({ kind: 'file', path: '/srv/util.py', from: 'code.file.path' })).toEqual({
      unresolved: 'ambiguous: 4 workspace files match (/ws/a/util.py, /ws/b/util.py, /ws/c/util.py); add a traceLens.pathMappings entry',
    });
    expect(resolver().resolve({ kind: 'file', path: '/srv/nothing.py', from: 'code.file.path' })).toEqual({
      unresolved: 'no file named nothing.py in the workspace',
    });
  });

  it('takes the first stack frame in the workspace, and names the first frame when none is', () => {
    const frames = [
      { file: '/lib/x.py', line: 1, library: false },
      { file: '/srv/app/views.py', line: 9, function: 'show', library: false },
    ];
    expect(resolver().resolve({ kind: 'stack', frames, from: 'exception.stacktrace' })).toEqual({ file: '/ws/app/views.py', line: 9, function: 'show' });
    expect(resolver().resolve({ kind: 'stack', frames: [frames[0], { file: '/lib/y.py', library: false }], from: 'code.stacktrace' })).toEqual({
      unresolved: 'none of the 2 non-library frames is a workspace file (first: /lib/x.py: no file named x.py in the workspace)',
    });
  });

  it("finds a qualified function in the file its package or module path names, by each language's definition syntax", () => {
    const texts = {
      '/ws/com/acme/Orders.java': 'class Orders {\n  void other() {}\n  public String place(String id) throws IOException {\n  }\n}',
      '/ws/com/acme/Cart.kt': 'class Cart {\n\n  fun total(): Int = 1\n}',
      '/ws/shop/cart.go': 'package shop\n\nfunc Checkout(w http.ResponseWriter) {\n}',
      '/ws/shop/api.ts': 'const x = 1;\nexport const $load = async (id: string) => {\n};',
      '/ws/app/views.py': 'import x\n\ndef show(request):\n    pass',
    };
    const r = resolver(texts);
    expect(r.resolve({ kind: 'symbol', name: 'com.acme.Orders.place' })).toEqual({
      file: '/ws/com/acme/Orders.java',
      line: 3,
      function: 'com.acme.Orders.place',
    });
    expect(r.resolve({ kind: 'symbol', name: 'com.acme.Cart.total' })).toMatchObject({ file: '/ws/com/acme/Cart.kt', line: 3 });
    // Go names a function by its package's import path.
    expect(r.resolve({ kind: 'symbol', name: 'github.com/acme/shop/cart.Checkout' })).toEqual({
      file: '/ws/shop/cart.go',
      line: 3,
      function: 'github.com/acme/shop/cart.Checkout',
    });
    expect(r.resolve({ kind: 'symbol', name: 'shop.api.$load' })).toMatchObject({ file: '/ws/shop/api.ts', line: 2 });
    expect(r.resolve({ kind: 'symbol', name: 'app::views#show' })).toMatchObject({ file: '/ws/app/views.py', line: 3 });
    // A name that only appears in a call is not a definition.
    expect(resolver({ '/ws/app/orders.py': 'show(1)\n' }).resolve({ kind: 'symbol', name: 'app.orders.show' })).toEqual({
      unresolved: 'function app.orders.show: no definition found in the workspace',
    });
    expect(r.resolve({ kind: 'symbol', name: 'show' })).toEqual({ unresolved: "function show needs a language server to find (VS Code's symbol search)" });
    expect(r.resolve({ kind: 'symbol', name: 'app.views.<lambda>' })).toMatchObject({ unresolved: expect.stringContaining('needs a language server') });
  });

  it('searches a symbol once, and keeps a route clue apart from a symbol of the same text and per method', () => {
    const reads: string[] = [];
    const r = resolver({ '/ws/app/views.py': 'def show():\n  pass' }, reads);
    r.resolve({ kind: 'symbol', name: 'app.views.show' });
    r.resolve({ kind: 'symbol', name: 'app.views.show' });
    expect(reads.filter((f) => f === '/ws/app/views.py')).toHaveLength(1);
    expect(r.resolve({ kind: 'route', route: 'app.views.show' })).toMatchObject({ unresolved: expect.any(String) });
    expect(r.resolve({ kind: 'symbol', name: 'app.views.show' })).toMatchObject({ file: '/ws/app/views.py' });
  });
});

describe('source maps', () => {
  // A real TypeScript compile: every generated line that carries a marker maps back to the source line with it.
  const source = Array.from({ length: 40 }, (_, i) => (i % 3 === 0 ? `// comment ${i}` : `export function f${i}(a: number): number { return a + ${i}; }`)).join(
    '\n',
  );
  const compiled = transpileModule(source, { fileName: 'src/app.ts', compilerOptions: { sourceMap: true, target: 99, module: 1 } });

  it("maps each line of TypeScript's own output back to the line it came from", () => {
    const map = parseSourceMap(compiled.sourceMapText!)!;
    const generated = compiled.outputText.split('\n');
    const sourceLines = source.split('\n');
    let checked = 0;
    generated.forEach((text, i) => {
      const marker = /function (f\d+)/.exec(text)?.[1];
      if (!marker) return;
      const original = originalPosition(map, i + 1);
      expect(original?.source).toBe('app.ts');
      expect(sourceLines[original!.line - 1]).toContain(`function ${marker}(`);
      checked++;
    });
    expect(checked).toBe(26);
  });

  it('chooses the segment at or before a column, prefixes sourceRoot, and refuses what is not a v3 map', () => {
    // Line 1: segments at columns 0 (source 0, line 1) and 10 (source 1, line 5); "K" is +5, "C" +1, "I" +4.
    const map = parseSourceMap(JSON.stringify({ version: 3, sourceRoot: 'src', sources: ['a.ts', 'b.ts'], mappings: 'AAAA,UCIA;;A' }))!;
    expect(originalPosition(map, 1)).toEqual({ source: 'src/a.ts', line: 1 });
    expect(originalPosition(map, 1, 10)).toEqual({ source: 'src/a.ts', line: 1 });
    expect(originalPosition(map, 1, 11)).toEqual({ source: 'src/b.ts', line: 5 });
    expect(originalPosition(map, 2)).toBeUndefined();
    expect(originalPosition(map, 3)).toBeUndefined();
    expect(originalPosition(map, 9)).toBeUndefined();
    // A long VLQ (continuation bit) and a negative delta: line 0 + 1000, then back by 999.
    const long = parseSourceMap(JSON.stringify({ version: 3, sources: ['a.ts'], mappings: 'AAw+BA;AAv+BA' }))!;
    expect([originalPosition(long, 1)?.line, originalPosition(long, 2)?.line]).toEqual([1001, 2]);
    expect(parseSourceMap(JSON.stringify({ version: 3, sources: ['a.ts'], mappings: 'A!AA' }))!.lines[0]).toEqual([]);
    expect(parseSourceMap(JSON.stringify({ version: 2, sources: [], mappings: '' }))).toBeUndefined();
    expect(parseSourceMap(JSON.stringify({ version: 3, sources: 'a.ts', mappings: '' }))).toBeUndefined();
    expect(parseSourceMap(JSON.stringify({ version: 3, sources: [], mappings: 1 }))).toBeUndefined();
    expect(parseSourceMap('{not json')).toBeUndefined();
    expect(parseSourceMap(JSON.stringify({ version: 3, sources: ['x.ts'], mappings: 'AAAA', sourceRoot: '' }))!.sources).toEqual(['x.ts']);
  });

  it('puts a frame of compiled JavaScript on its TypeScript source, only when that source is a workspace file', () => {
    const files = ['/ws/dist/app.js', '/ws/src/app.ts'];
    const js = compiled.outputText.split('\n');
    const line = js.findIndex((l) => l.includes('function f4(')) + 1;
    const texts: Record<string, string> = { '/ws/dist/app.js.map': compiled.sourceMapText!.replace('"sources":["app.ts"]', '"sources":["../src/app.ts"]') };
    const r = new ClueResolver(new WorkspaceIndex(files), files, (f) => texts[f]);
    expect(r.resolve({ kind: 'file', path: '/app/dist/app.js', line, from: 'code.file.path' })).toEqual({ file: '/ws/src/app.ts', line: 5 });
    // Without a line, or when the map names a source that is not here, the JavaScript itself is the answer.
    expect(r.resolve({ kind: 'file', path: '/app/dist/app.js', from: 'code.file.path' })).toEqual({
      file: '/ws/dist/app.js',
      line: undefined,
      function: undefined,
    });
    texts['/ws/dist/app.js.map'] = compiled.sourceMapText!.replace('"sources":["app.ts"]', '"sources":["../lib/app.ts"]');
    const other = new ClueResolver(new WorkspaceIndex(files), files, (f) => texts[f]);
    expect(other.resolve({ kind: 'file', path: '/app/dist/app.js', line, from: 'code.file.path' })).toEqual({
      file: '/ws/dist/app.js',
      line,
      function: undefined,
    });
  });
});
