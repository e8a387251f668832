// What a span says about the code that ran it, most trusted clue first (notes/code-and-ids.md §1-§4):
// code.* file and line (stable and older names), Datadog code origin, exception and code stack frames,
// a fully qualified function name, and the HTTP route. Most spans carry none of the first few.
import { textAttribute as text, intAttribute as int } from '../model/attributeRead';
import { isError, type Attributes, type Span } from '../model/trace';
import { routeMethod } from './routes/routeTemplate';
import { parseStackTrace, type StackFrame } from './stackTrace';

export type CodeClue =
  | { kind: 'file'; path: string; line?: number; column?: number; function?: string; from: 'code.file.path' | 'datadog' }
  /** A stack's frames not known to be library code, innermost first: the first whose file is in the workspace counts. */
  | { kind: 'stack'; frames: StackFrame[]; from: 'exception.stacktrace' | 'code.stacktrace' }
  | { kind: 'symbol'; name: string }
  | { kind: 'route'; route: string; method?: string };

const MAX_STACK_FRAMES = 12;

/**
 * Every attribute of a span that `codeClues` and `thrownClue` read (a test holds them to it): spans alike in these,
 * and in their name, kind and whether they have a parent, have the same clues (ClueMemo).
 */
export const CLUE_ATTRIBUTES: readonly string[] = [
  'code.file.path',
  'code.filepath',
  'code.function.name',
  'code.function',
  'code.namespace',
  'code.line.number',
  'code.lineno',
  'code.column.number',
  'code.column',
  '_dd.code_origin.frames.0.file',
  '_dd.code_origin.frames.0.method',
  '_dd.code_origin.frames.0.type',
  '_dd.code_origin.frames.0.line',
  'code.stacktrace',
  'exception.stacktrace',
  'http.route',
  'http.request.method',
  'http.method',
];

function functionName(attributes: Attributes): string | undefined {
  const name = text(attributes, 'code.function.name', 'code.function');
  const namespace = text(attributes, 'code.namespace');
  if (!name) return undefined;
  return namespace && !name.startsWith(`${namespace}.`) ? `${namespace}.${name}` : name;
}

function stackClue(stack: string | undefined, from: 'exception.stacktrace' | 'code.stacktrace'): CodeClue | undefined {
  if (!stack) return undefined;
  const frames = parseStackTrace(stack)
    .filter((f) => !f.library)
    .slice(0, MAX_STACK_FRAMES);
  return frames.length ? { kind: 'stack', frames, from } : undefined;
}

/**
 * `http.route` names the handler of the request a span SERVED: server spans, and spans without a kind that
 * start a trace here. Express puts it on its INTERNAL middleware spans too; those are not calls of the route.
 */
function servesRoute(span: Span): boolean {
  return span.kind === 'server' || (span.kind === 'unspecified' && !span.parentSpanId);
}

/**
 * A server span named "{method} {route}" as the HTTP semantic conventions name it, when `http.route` is missing:
 * Go's otelhttp wrapped around a ServeMux learns the pattern only after the span started, and names the span
 * with it without setting the attribute.
 */
function routeFromName(span: Span): string | undefined {
  return /^(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) (\/\S*)$/.exec(span.name)?.[1];
}

function requestMethod(span: Span): string | undefined {
  const method = text(span.attributes, 'http.request.method', 'http.method')?.toUpperCase();
  return method && method !== '_OTHER' ? method : routeMethod(span.name);
}

/** The stack of the exception a span recorded (its event's, else its own attribute): what `thrownClue` reads. */
export function exceptionStack(span: Span): string | undefined {
  for (const event of span.events) {
    const stack = event.name === 'exception' ? text(event.attributes, 'exception.stacktrace') : undefined;
    if (stack) return stack;
  }
  return text(span.attributes, 'exception.stacktrace');
}

/** Where the span's own code is, most trusted first. */
export function codeClues(span: Span): CodeClue[] {
  const a = span.attributes;
  const clues: CodeClue[] = [];
  const path = text(a, 'code.file.path', 'code.filepath');
  const fn = functionName(a);
  if (path)
    clues.push({
      kind: 'file',
      path,
      line: int(a, 'code.line.number', 'code.lineno'),
      column: int(a, 'code.column.number', 'code.column'),
      function: fn,
      from: 'code.file.path',
    });
  const ddFile = text(a, '_dd.code_origin.frames.0.file');
  if (ddFile) {
    const method = text(a, '_dd.code_origin.frames.0.method');
    const type = text(a, '_dd.code_origin.frames.0.type');
    clues.push({
      kind: 'file',
      path: ddFile,
      line: int(a, '_dd.code_origin.frames.0.line'),
      function: type && method ? `${type}.${method}` : method,
      from: 'datadog',
    });
  }
  const codeStack = stackClue(text(a, 'code.stacktrace'), 'code.stacktrace');
  if (codeStack) clues.push(codeStack);
  if (fn) clues.push({ kind: 'symbol', name: fn });
  const route = servesRoute(span) ? (text(a, 'http.route') ?? routeFromName(span)) : undefined;
  if (route) clues.push({ kind: 'route', route, method: requestMethod(span) });
  return clues;
}

/** The application frames of the exception a span recorded, if any. */
export function thrownClue(span: Span): CodeClue | undefined {
  return thrownClueOf(exceptionStack(span));
}

/** `thrownClue` of a span whose exception's stack is `stack`. */
export function thrownClueOf(stack: string | undefined): CodeClue | undefined {
  return stackClue(stack, 'exception.stacktrace');
}

/** Where a failing span failed: the exception's first application frame, else the span's own code. */
export function errorClues(span: Span): CodeClue[] {
  if (!isError(span)) return [];
  const thrown = thrownClue(span);
  return thrown ? [thrown, ...codeClues(span)] : codeClues(span);
}
