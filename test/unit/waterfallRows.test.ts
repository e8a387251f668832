// The host side of the waterfall: rows in tree order with their subtree extents, parents and events; search over
// names, attribute keys and values; and what "Open Trace…" makes of ids, headers, URLs and paths.
import { describe, expect, it } from 'vitest';
import { parseTraceReference } from '../../src/core/ids/traceReference';
import { prepareTrace } from '../../src/core/waterfall/prepareTrace';
import { searchRows, searchSlices } from '../../src/core/waterfall/searchRows';
import { ROW_FLAGS } from '../../src/core/waterfall/rows';
import { RowTree } from '../../src/webview/rowTree';
import { similarRuns } from '../../src/core/waterfall/similarRuns';
import { previewModel } from '../../src/core/waterfall/previewModel';
import { ColumnAssembly, columnParts, type ColumnPart } from '../../src/core/waterfall/columnParts';
import { serviceColor, serviceHue, serviceRgb } from '../../src/webview/serviceColors';
import { rasterizeOverview, type OverviewRows } from '../../src/webview/overviewRaster';
import { byDepthThenStart } from '../../src/webview/flameOrder';
import { decodeOk } from '../support/decodeOk';
import { fixture } from '../support/fixtures';
import { buildTrace } from '../support/traceBuilder';
import { randomTrace } from '../support/randomTrace';
import { syntheticTrace } from '../support/syntheticTrace';

const ID = '4bf92f3577b34da6a3ce929d0e0e4736';

describe('waterfall rows', () => {
  // a ─┬─ b ── c
  //    └─ d
  // e (a second root)
  const trace = buildTrace([
    ['a', undefined, 0, 100],
    ['b', 'a', 10, 50],
    ['c', 'b', 20, 10],
    ['d', 'a', 70, 20],
    ['e', undefined, 5, 10],
  ]);
  trace.spans[2].attributes = { 'db.statement': 'SELECT * FROM orders', 'http.response.status_code': 500 };
  trace.spans[2].status = { code: 'error', message: 'boom' };
  trace.spans[3].events = [{ name: 'cache.miss', offsetNs: 5, attributes: {} }];
  const prepared = prepareTrace(trace);
  const { rows, strings } = prepared.model;
  const names = Array.from(rows.name, (n) => strings[n]);

  it('lists spans depth-first with parents, depths and contiguous subtrees', () => {
    expect(names).toEqual(['op-a', 'op-b', 'op-c', 'op-d', 'op-e']);
    expect(Array.from(rows.parent)).toEqual([-1, 0, 1, 0, -1]);
    expect(Array.from(rows.depth)).toEqual([0, 1, 2, 1, 0]);
    expect(Array.from(rows.subtreeEnd)).toEqual([4, 3, 3, 4, 5]);
    expect(rows.flags[2] & ROW_FLAGS.error).toBe(ROW_FLAGS.error);
    expect(Array.from(rows.eventStart)).toEqual([0, 0, 0, 0, 1, 1]);
    expect(Array.from(rows.eventNs)).toEqual([75]);
  });

  it('searches names, attribute keys, values and key=value pairs, case-insensitively', () => {
    expect(Array.from(searchRows(prepared, 'OP-D'))).toEqual([3]);
    expect(Array.from(searchRows(prepared, 'db.statement'))).toEqual([2]);
    expect(Array.from(searchRows(prepared, 'from orders'))).toEqual([2]);
    expect(Array.from(searchRows(prepared, 'status_code=500'))).toEqual([2]);
    expect(Array.from(searchRows(prepared, 'cache.miss'))).toEqual([3]);
    expect(Array.from(searchRows(prepared, '(unbalanced['))).toEqual([]);
    expect(Array.from(searchRows(prepared, '   '))).toEqual([]);
  });

  it('searches a slice of rows at a time, in row order, the first matches first', () => {
    const slices = [...searchSlices(prepared, 'op-', 2)].map((s) => Array.from(s));
    expect(slices).toEqual([[0, 1], [2, 3], [4]]);
    const sparse = [...searchSlices(prepared, 'cache.miss', 2)].map((s) => Array.from(s));
    // Empty slices are yielded too: a caller can stop between any two.
    expect(sparse).toEqual([[], [3], []]);
    expect([...searchSlices(prepared, ' ')]).toEqual([]);
  });

  it('collapses subtrees, by depth, and reveals hidden rows', () => {
    const tree = new RowTree(rows);
    const visible = () => Array.from(tree.visible.subarray(0, tree.visibleCount));
    tree.setCollapsed(0, true);
    expect(visible()).toEqual([0, 4]);
    expect(tree.hiddenBelow(0)).toBe(3);
    tree.reveal(2);
    expect(visible()).toEqual([0, 1, 2, 3, 4]);
    tree.collapseToDepth(2);
    expect(visible()).toEqual([0, 1, 3, 4]);
    tree.collapseToDepth(Infinity);
    expect(visible()).toEqual([0, 1, 2, 3, 4]);
    expect(tree.setCollapsed(2, true)).toBe(false); // a leaf has nothing to collapse
  });

  it('folds repeats into their first row with their subtrees, and unfolds a group to reveal one of its rows', () => {
    const tree = new RowTree(rows);
    const visible = () => Array.from(tree.visible.subarray(0, tree.visibleCount));
    tree.setFolded([1, 3], true);
    expect(visible()).toEqual([0, 1, 2, 4]);
    expect(tree.groupSize(1)).toBe(2);
    tree.reveal(3);
    expect(visible()).toEqual([0, 1, 2, 3, 4]);
    expect(tree.groupSize(1)).toBe(0);
  });

  it('gives services distinct hues that are never red (errors) or orange (the critical path)', () => {
    const hues = Array.from({ length: 64 }, (_, i) => serviceHue(i));
    for (const hue of hues) expect(hue >= 50 && hue <= 325).toBe(true);
    // Neighbours (the first services of a trace) stay far apart.
    for (let i = 1; i < 8; i++) expect(Math.abs(hues[i] - hues[i - 1])).toBeGreaterThan(20);
  });

  it('steps to the next and previous match, wrapping around', () => {
    const matches = Int32Array.from([2, 5, 9]);
    expect(RowTree.nextIn(matches, -1, true)).toBe(2);
    expect(RowTree.nextIn(matches, 2, true)).toBe(5);
    expect(RowTree.nextIn(matches, 9, true)).toBe(2);
    expect(RowTree.nextIn(matches, 5, false)).toBe(2);
    expect(RowTree.nextIn(matches, 2, false)).toBe(9);
    expect(RowTree.nextIn(matches, 7, false)).toBe(5);
    expect(RowTree.nextIn(new Int32Array(0), 0, true)).toBeUndefined();
  });

  it('keeps every span of a real 1,041-span trace, each subtree inside its parent', () => {
    const real = prepareTrace(decodeOk(fixture('zipkin/smartthings-mobile-web-install.json')).traces[0]);
    const r = real.model.rows;
    expect(new Set(r.span).size).toBe(1041);
    for (let i = 0; i < 1041; i++) {
      if (r.parent[i] >= 0) {
        expect(r.parent[i]).toBeLessThan(i);
        expect(r.subtreeEnd[i]).toBeLessThanOrEqual(r.subtreeEnd[r.parent[i]]);
      }
      expect(real.rowOfSpan[r.span[i]]).toBe(i);
      // Made from the depths: the row of the span's parent in the tree.
      const parentSpan = real.tree.parent[r.span[i]];
      expect(r.parent[i]).toBe(parentSpan < 0 ? -1 : real.rowOfSpan[parentSpan]);
    }
  });

  it("previews a large trace by its first rows: the same rows, subtrees cut at the preview's end, only the names they use", () => {
    const { model } = prepareTrace(decodeOk(fixture('zipkin/smartthings-mobile-web-install.json')).traces[0]);
    const preview = previewModel(model, 100);
    expect(preview.totalRows).toBe(1041);
    expect(model.totalRows).toBeUndefined();
    const p = preview.rows;
    expect(p.span).toEqual(model.rows.span.subarray(0, 100));
    for (let i = 0; i < 100; i++) {
      expect(preview.strings[p.name[i]]).toBe(model.strings[model.rows.name[i]]);
      expect(p.subtreeEnd[i]).toBe(Math.min(model.rows.subtreeEnd[i], 100));
      expect([p.parent[i], p.depth[i], p.startNs[i], p.flags[i]]).toEqual([
        model.rows.parent[i],
        model.rows.depth[i],
        model.rows.startNs[i],
        model.rows.flags[i],
      ]);
      expect(Array.from(p.eventNs.subarray(p.eventStart[i], p.eventStart[i + 1]))).toEqual(
        Array.from(model.rows.eventNs.subarray(model.rows.eventStart[i], model.rows.eventStart[i + 1])),
      );
    }
    expect(preview.strings.length).toBeLessThan(model.strings.length);
    // The whole tree fits: nothing is cut.
    expect(previewModel(model, 5_000).rows.subtreeEnd).toEqual(model.rows.subtreeEnd);
    // A failure that began past the preview is not pointed at inside it.
    expect(previewModel({ ...model, failureOriginRow: 500 }, 100).failureOriginRow).toBe(-1);
  });
});

describe('Open Trace… input', () => {
  const id = (text: string) => {
    const r = parseTraceReference(text);
    return r.kind === 'id' ? r.traceId : r.kind;
  };

  it('takes ids in the common forms', () => {
    expect(id(ID)).toBe(ID);
    expect(id(` ${ID.toUpperCase()} `)).toBe(ID);
    expect(id('"a3ce929d0e0e4736"')).toBe('0000000000000000a3ce929d0e0e4736');
    expect(id('4bf92f35-77b3-4da6-a3ce-929d0e0e4736')).toBe(ID);
    expect(id('S/kvNXezTaajzpKdDg5HNg==')).toBe(ID);
    // Datadog's decimal 64-bit ids.
    expect(id('11803532876627986230')).toBe('0000000000000000a3ce929d0e0e4736');
  });

  it('finds the id in headers and log lines', () => {
    expect(id(`traceparent: 00-${ID}-00f067aa0ba902b7-01`)).toBe(ID);
    expect(id(`{"level":"error","trace_id":"${ID}","msg":"payment failed"}`)).toBe(ID);
    expect(id('X-Amzn-Trace-Id: Root=1-5759e988-bd862e3fe1be46a994272793')).toBe('5759e988bd862e3fe1be46a994272793');
  });

  it('reads trace page URLs of Jaeger, Zipkin, Tempo and Grafana', () => {
    expect(parseTraceReference(`http://jaeger:16686/trace/${ID}?uiFind=00f067aa0ba902b7`)).toEqual({ kind: 'id', traceId: ID, spanId: '00f067aa0ba902b7' });
    expect(id(`http://zipkin:9411/zipkin/traces/a3ce929d0e0e4736`)).toBe('0000000000000000a3ce929d0e0e4736');
    expect(id(`http://tempo:3200/api/traces/${ID}`)).toBe(ID);
    const explore = `https://grafana.example.com/explore?schemaVersion=1&panes=${encodeURIComponent(JSON.stringify({ abc: { datasource: 'tempo', queries: [{ refId: 'A', queryType: 'traceql', query: ID }] } }))}&orgId=1`;
    expect(id(explore)).toBe(ID);
    expect(id(`https://grafana.example.com/d/abc/traces?orgId=1&var-traceId=${ID}`)).toBe(ID);
  });

  it('takes file paths, and says what is wrong with anything else', () => {
    expect(parseTraceReference('/tmp/traces/4bf92f3577b34da6a3ce929d0e0e4736.json')).toEqual({
      kind: 'file',
      path: '/tmp/traces/4bf92f3577b34da6a3ce929d0e0e4736.json',
    });
    expect(parseTraceReference('fixtures/yelp.json')).toEqual({ kind: 'file', path: 'fixtures/yelp.json' });
    expect(parseTraceReference('./trace.pb')).toEqual({ kind: 'file', path: './trace.pb' });
    const bad = parseTraceReference('hello world');
    expect(bad.kind).toBe('invalid');
    expect(bad.kind === 'invalid' && bad.message).toMatch(/no trace id in "hello world"/);
    const page = parseTraceReference('https://example.com/about');
    expect(page.kind === 'invalid' && page.message).toMatch(/no trace id in https:\/\/example.com\/about/);
    expect(parseTraceReference('').kind).toBe('invalid');
  });
});

describe('runs of alike siblings', () => {
  // root ─ 6 × query (the 4th with a child), then 1 × other, then 4 × query; a second root with 5 × query
  const entries: [string, string | undefined, number, number][] = [['root', undefined, 0, 1000]];
  for (let i = 0; i < 6; i++) entries.push([`q${i}`, 'root', 10 + i * 10, 5]);
  entries.push(['q3-child', 'q3', 41, 1], ['other', 'root', 80, 5]);
  for (let i = 0; i < 4; i++) entries.push([`r${i}`, 'root', 100 + i * 10, 5]);
  entries.push(['root2', undefined, 2000, 100]);
  for (let i = 0; i < 5; i++) entries.push([`s${i}`, 'root2', 2010 + i * 10, 5]);
  const trace = buildTrace(entries);
  for (const span of trace.spans) if (/^op-[qrs]\d$/.test(span.name)) span.name = 'SELECT price';
  const { rows, strings } = prepareTrace(trace).model;
  const name = (r: number) => strings[rows.name[r]];

  it('finds five or more alike siblings one after another under one parent, their subtrees kept with them', () => {
    const runs = similarRuns(rows).map((run) => Array.from(run, name));
    expect(runs).toEqual([Array(6).fill('SELECT price'), Array(5).fill('SELECT price')]);
    // The run under root stops at "other": the four after it are too few.
    const [first] = similarRuns(rows);
    expect(name(first[3] + 1)).toBe('op-q3-child');
  });

  it('folds them into their first row and back', () => {
    const tree = new RowTree(rows);
    const [first] = similarRuns(rows);
    tree.setFolded(first, true);
    expect(tree.groupSize(first[0])).toBe(6);
    // The five folded rows and the child of one of them are hidden.
    expect(tree.visibleCount).toBe(rows.span.length - 6);
    tree.unfold(first[0]);
    expect(tree.visibleCount).toBe(rows.span.length);
  });

  it('needs as many as asked', () => {
    expect(similarRuns(rows, 7)).toEqual([]);
    expect(similarRuns(rows, 4)).toHaveLength(3);
  });
});

describe('a large trace’s columns in parts', () => {
  it('crosses in parts of their own buffers, and is put back together whole', () => {
    const { rows } = prepareTrace(decodeOk(fixture('zipkin/smartthings-mobile-web-install.json')).traces[0]).model;
    const parts = [...columnParts(rows, 100)];
    // Each part owns its buffer: VS Code sends a view's whole buffer.
    for (const part of parts) expect(part.values.buffer.byteLength).toBe(part.values.byteLength);
    expect(Math.max(...parts.map((p) => p.values.length))).toBe(100);
    expect(parts.filter((p) => p.name === 'span')).toHaveLength(Math.ceil(rows.span.length / 100));
    const assembly = new ColumnAssembly();
    for (const part of parts) assembly.add(part);
    expect(assembly.take()).toEqual(rows);
    // The next trace starts from nothing; an empty column still comes.
    const empty = { ...rows, eventNs: new Float64Array(0) };
    for (const part of columnParts(empty, 100)) assembly.add(part);
    expect(assembly.take()).toEqual(empty);
  });

  it('sends a column that is one part and owns its buffer as it is, and a view into a larger buffer as a copy', () => {
    const { rows } = prepareTrace(decodeOk(fixture('zipkin/smartthings-mobile-web-install.json')).traces[0]).model;
    const shared = new Float64Array(rows.startNs.length + 10).subarray(0, rows.startNs.length);
    shared.set(rows.startNs);
    const parts = [...columnParts({ ...rows, startNs: shared }, rows.span.length)];
    expect(parts.find((p) => p.name === 'durationNs')!.values).toBe(rows.durationNs);
    const start = parts.find((p) => p.name === 'startNs')!.values;
    expect(start).not.toBe(shared);
    expect(start.buffer.byteLength).toBe(start.byteLength);
    expect(Array.from(start)).toEqual(Array.from(rows.startNs));
  });

  it('leaves out what the page makes, and sends whole numbers in the fewest bytes that hold them', () => {
    // 70,000 spans: rows and span indexes past 65,535, depths, names and services well within 16 bits, times in
    // nanoseconds under 2^32.
    const { rows } = prepareTrace(syntheticTrace(70_000, ID)).model;
    const parts = [...columnParts(rows, 30_000)];
    expect(parts.some((p) => p.name === 'subtreeEnd' || p.name === 'parent')).toBe(false);
    const kinds = (name: string) => parts.filter((p) => p.name === name).map((p) => p.values.constructor.name);
    expect(kinds('depth')).toEqual(['Uint16Array', 'Uint16Array', 'Uint16Array']);
    expect(kinds('name')).toEqual(['Uint16Array', 'Uint16Array', 'Uint16Array']);
    expect(kinds('startNs')).toEqual(['Uint32Array', 'Uint32Array', 'Uint32Array']);
    // The root's 5 s is past 2^32 ns: its part keeps eight bytes.
    expect(kinds('durationNs')).toEqual(['Float64Array', 'Uint32Array', 'Uint32Array']);
    // Span indexes past 65,535 cross in four bytes, in the parts that hold them.
    expect(kinds('span')).toContain('Int32Array');
    const sent = (list: ColumnPart[]) => list.reduce((bytes, p) => bytes + p.values.byteLength, 0);
    const whole = Object.values(rows).reduce((bytes, column) => bytes + column.byteLength, 0);
    expect(sent(parts)).toBeLessThan(whole * 0.5);
    const assembly = new ColumnAssembly();
    for (const part of parts) assembly.add(part);
    const assembled = assembly.take();
    expect(assembled).toEqual(rows);
    expect(assembled.name).toBeInstanceOf(Int32Array);
  });

  it('keeps eight bytes for a part with a fraction, a negative or a time past 2^32 ns, and puts each back exactly', () => {
    const { rows } = prepareTrace(syntheticTrace(300, ID)).model;
    const odd = { ...rows, startNs: rows.startNs.slice(), durationNs: rows.durationNs.slice() };
    odd.startNs[150] += 0.5;
    odd.durationNs[10] = 2 ** 32;
    odd.durationNs[250] = -1;
    const parts = [...columnParts(odd, 100)];
    const kinds = (name: string) => parts.filter((p) => p.name === name).map((p) => p.values.constructor.name);
    expect(kinds('startNs')).toEqual(['Uint32Array', 'Float64Array', 'Uint32Array']);
    expect(kinds('durationNs')).toEqual(['Float64Array', 'Uint32Array', 'Float64Array']);
    const assembly = new ColumnAssembly();
    for (const part of parts) assembly.add(part);
    expect(assembly.take()).toEqual(odd);
  });

  it('puts back the rows of traces of every shape exactly (orphans, several roots, skew)', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const { rows } = prepareTrace(randomTrace(seed, 40 + seed * 11)).model;
      const assembly = new ColumnAssembly();
      for (const part of columnParts(rows, 1 + (seed % 7) * 13)) assembly.add(part);
      expect(assembly.take()).toEqual(rows);
    }
  });
});

describe('the flame graph’s order', () => {
  it('orders rows by depth, then start, then row, as one sort of them all would', () => {
    let seed = 11;
    const random = (n: number) => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
    for (let t = 0; t < 300; t++) {
      const n = 1 + random(80);
      // Depths of a pre-order walk; starts that tie, run backwards, or (in every other trace) always climb.
      const depth = new Int32Array(n);
      const startNs = new Float64Array(n);
      for (let r = 1; r < n; r++) depth[r] = random(depth[r - 1] + 2);
      for (let r = 0; r < n; r++) startNs[r] = t % 2 ? r * 10 : random(6) * 1000;
      const all = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => depth[a] - depth[b] || startNs[a] - startNs[b] || a - b);
      expect(Array.from(byDepthThenStart(depth, startNs))).toEqual(Array.from(all));
    }
  });
});

describe('the overview’s pixels', () => {
  /** The canvas's way: every visible row's bar painted in order, a later one over an earlier. */
  function painted(rows: OverviewRows, visible: Int32Array, count: number, total: number, width: number, height: number): Int16Array {
    const pixels = new Int16Array(width * height);
    for (let p = 0; p < count; p++) {
      const r = visible[p];
      const top = Math.min(height - 1, Math.floor((p / count) * height));
      const bottom = Math.max(top + 1, Math.min(height, Math.floor(((p + 1) / count) * height)));
      const x0 = Math.min(width - 1, Math.max(0, Math.floor((rows.startNs[r] / total) * width)));
      const x1 = Math.min(width, Math.max(x0 + 1, Math.ceil(((rows.startNs[r] + rows.durationNs[r]) / total) * width)));
      for (let y = top; y < bottom; y++) for (let x = x0; x < x1; x++) pixels[y * width + x] = rows.service[r] + 1;
    }
    return pixels;
  }

  function randomRows(n: number, seed: number): OverviewRows {
    let s = seed;
    const random = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const rows = { startNs: new Float64Array(n), durationNs: new Float64Array(n), service: new Int32Array(n) };
    for (let r = 0; r < n; r++) {
      rows.startNs[r] = random() * 900;
      rows.durationNs[r] = random() < 0.1 ? random() * 1000 : random() * 20;
      rows.service[r] = Math.floor(random() * 7);
    }
    return rows;
  }

  it('are what painting every bar in order gives, with far more rows than pixel lines and far fewer', () => {
    for (const [n, width, height] of [
      [5_000, 300, 48],
      [7, 120, 48],
      [48, 64, 48],
      [1, 10, 4],
    ]) {
      const rows = randomRows(n, n);
      // Some rows hidden (a collapsed subtree), the rest in order.
      const visible = Int32Array.from({ length: n }, (_, r) => r).filter((r) => r % 11 !== 3);
      const count = visible.length;
      expect(rasterizeOverview(rows, visible, count, 1000, width, height)).toEqual(painted(rows, visible, count, 1000, width, height));
    }
    expect(rasterizeOverview(randomRows(3, 1), new Int32Array(0), 0, 1000, 10, 4).every((p) => p === 0)).toBe(true);
  });

  it('colours a service as its rows are coloured elsewhere', () => {
    expect(serviceColor(0)).toBe('hsl(210, 55%, 55%)');
    expect(serviceRgb(0)).toEqual([77, 140, 203]);
    expect(serviceColor(1)).toBe('hsl(120, 55%, 55%)');
    expect(serviceRgb(1)).toEqual([77, 203, 77]);
  });
});
