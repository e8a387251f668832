// Just enough reading of source text to take a call's arguments apart: strings, comments and brackets are
// skipped over, so `app.get('/a,b', (req) => f(x, y))` splits into two arguments. Not a parser: route
// declarations are calls and annotations whose shape is this regular in every framework we read.

export interface Argument {
  text: string;
  /** Offset of the argument's first non-space character in the file. */
  start: number;
}

export interface Call {
  args: Argument[];
  /** Offset just past the closing bracket. */
  end: number;
}

const OPEN = new Set(['(', '[', '{']);
const CLOSE = new Set([')', ']', '}']);

/** Offset past the string literal starting at `i` (a quote character), or past its end. */
function skipString(text: string, i: number): number {
  const quote = text[i];
  const triple = (quote === '"' || quote === "'") && text.startsWith(quote.repeat(3), i);
  if (triple) {
    const end = text.indexOf(quote.repeat(3), i + 3);
    return end < 0 ? text.length : end + 3;
  }
  for (let j = i + 1; j < text.length; j++) {
    if (text[j] === '\\') j++;
    else if (text[j] === quote) return j + 1;
    else if (text[j] === '\n' && quote !== '`') return j;
  }
  return text.length;
}

/** Offset past a comment starting at `i`, or `i` when none starts there. */
function skipComment(text: string, i: number, hashComments: boolean): number {
  if (text.startsWith('//', i) || (hashComments && text[i] === '#')) {
    const end = text.indexOf('\n', i);
    return end < 0 ? text.length : end;
  }
  if (text.startsWith('/*', i)) {
    const end = text.indexOf('*/', i + 2);
    return end < 0 ? text.length : end + 2;
  }
  return i;
}

/** The arguments of the call whose opening bracket is at `open`; undefined when it never closes. */
export function callArguments(text: string, open: number, hashComments = false): Call | undefined {
  const args: Argument[] = [];
  let depth = 0;
  let argStart = open + 1;
  const push = (end: number) => {
    const raw = text.slice(argStart, end);
    const trimmed = raw.trim();
    if (trimmed) args.push({ text: trimmed, start: argStart + raw.indexOf(trimmed) });
  };
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'" || c === '`') {
      i = skipString(text, i) - 1;
      continue;
    }
    const past = skipComment(text, i, hashComments);
    if (past !== i) {
      i = past - 1;
      continue;
    }
    if (OPEN.has(c)) depth++;
    else if (CLOSE.has(c)) {
      depth--;
      if (depth === 0) {
        push(i);
        return { args, end: i + 1 };
      }
    } else if (c === ',' && depth === 1) {
      push(i);
      argStart = i + 1;
    }
  }
  return undefined;
}

/** The value of a string literal argument ('x', "x", `x` without interpolation, Python r"x"), else undefined. */
export function stringValue(arg: string | undefined): string | undefined {
  if (!arg) return undefined;
  const m = /^[rRbBuU]?(["'`])([^]*)\1$/.exec(arg.trim());
  if (!m || (m[1] === '`' && m[2].includes('${'))) return undefined;
  return m[2].replace(/\\(.)/g, '$1');
}

/** A keyword argument's value (`url_prefix="/x"`, `value = "/x"`, `prefix: '/x'`). */
export function namedArgument(args: readonly Argument[], name: string): string | undefined {
  for (const arg of args) {
    const m = new RegExp(`^${name}\\s*[=:]\\s*([^]*)$`).exec(arg.text);
    if (m) return m[1].trim();
  }
  return undefined;
}

export function positionalArguments(args: readonly Argument[]): Argument[] {
  return args.filter((a) => !/^[A-Za-z_]\w*\s*=[^=>]/.test(a.text));
}

/** 1-based line of an offset. */
export function lineAt(lineStarts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

export function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}
