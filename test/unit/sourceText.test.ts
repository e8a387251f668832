// The little source reading the route readers rely on: a call's arguments past strings, comments and brackets,
// string literal values, keyword arguments, and offsets to lines. A wrong split here moves or loses a route.
import { describe, expect, it } from 'vitest';
import { callArguments, lineAt, lineStartsOf, namedArgument, positionalArguments, stringValue } from '../../src/core/code/routes/sourceText';

const args = (text: string, hash = false) => callArguments(text, text.indexOf('('), hash)?.args.map((a) => a.text);

describe('callArguments', () => {
  it('splits on top-level commas only, past strings of every quote, nested brackets and comments', () => {
    expect(args("get('/a,b', (req) => f(x, y), [1, 2], {a: 1, b: 2})")).toEqual(["'/a,b'", '(req) => f(x, y)', '[1, 2]', '{a: 1, b: 2}']);
    expect(args('get("a\\",b", `c,${d}`, x)')).toEqual(['"a\\",b"', '`c,${d}`', 'x']);
    expect(args('get(a /* x, y) */, b // c, d)\n, e)')).toEqual(['a /* x, y) */', 'b // c, d)', 'e']);
    expect(args("route('''a,\n)b''', c)")).toEqual(["'''a,\n)b'''", 'c']);
    // '#' starts a comment only in Python and Ruby.
    expect(args('route(a, # x, y)\n b)', true)).toEqual(['a', '# x, y)\n b']);
    expect(args('f(a#b, c)')).toEqual(['a#b', 'c']);
    expect(args('f()')).toEqual([]);
    expect(args('f( , a)')).toEqual(['a']);
  });

  it('gives each argument its offset and the call its end, and undefined for a call that never closes', () => {
    const text = 'x = get( "/p" ,\n  handler ) + 1';
    const call = callArguments(text, text.indexOf('('))!;
    expect(call.args.map((a) => [a.text, text.slice(a.start, a.start + a.text.length)])).toEqual([
      ['"/p"', '"/p"'],
      ['handler', 'handler'],
    ]);
    expect(text.slice(call.end)).toBe(' + 1');
    expect(callArguments('get("/p", h', 3)).toBeUndefined();
    expect(callArguments('get("/p, h)', 3)).toBeUndefined();
    expect(callArguments('get(/* never closed', 3)).toBeUndefined();
    expect(callArguments("get('''never closed", 3)).toBeUndefined();
  });

  it('ends a one-line string at the line end, but a template literal spans lines', () => {
    expect(args("get('/a\n, b)")).toEqual(["'/a", 'b']);
    expect(args('get(`/a\n, b`)')).toEqual(['`/a\n, b`']);
  });
});

describe('stringValue, namedArgument and positionalArguments', () => {
  it('reads literals in every quote and prefix, unescaped, and refuses expressions and interpolation', () => {
    expect(['"/a"', "'/a'", '`/a`', "r'^a$'", 'b"x"', 'u"x"', "  '/a'  ", "'it\\'s'"].map(stringValue)).toEqual([
      '/a',
      '/a',
      '/a',
      '^a$',
      'x',
      'x',
      '/a',
      "it's",
    ]);
    expect(['`/a/${id}`', "'/a' + b", 'API', '\'a"', '', undefined, 'f"x"'].map(stringValue)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('finds keyword arguments by = or :, and keeps comparisons and arrows positional', () => {
    const list = callArguments("f('/p', url_prefix = '/x', prefix: '/y', a == b, c => d)", 1)!.args;
    expect(namedArgument(list, 'url_prefix')).toBe("'/x'");
    expect(namedArgument(list, 'prefix')).toBe("'/y'");
    expect(namedArgument(list, 'missing')).toBeUndefined();
    expect(positionalArguments(list).map((a) => a.text)).toEqual(["'/p'", "prefix: '/y'", 'a == b', 'c => d']);
  });
});

describe('lineAt', () => {
  it('maps offsets to 1-based lines, the newline itself on its own line', () => {
    const text = 'a\nbb\n\nccc';
    const starts = lineStartsOf(text);
    expect(starts).toEqual([0, 2, 5, 6]);
    expect([0, 1, 2, 4, 5, 6, 8].map((o) => lineAt(starts, o))).toEqual([1, 1, 2, 2, 3, 4, 4]);
    expect(lineAt(lineStartsOf('one line'), 3)).toBe(1);
  });
});
