// Resolves code clues to workspace locations without a language server (the CLI, and VS Code's fallback
// when no symbol provider answers): files through the WorkspaceIndex, qualified function names through the
// package path and a definition search, HTTP routes through a search for the route's declaration.
import type { ClueResolution } from '../stats/codeStats';
import type { CodeClue } from './codeClues';
import { normalisePath, type WorkspaceIndex } from './pathMapping';
import { originalPosition, parseSourceMap, type SourceMap } from './sourceMap';

const CODE_FILE = /\.(ts|tsx|js|jsx|mjs|cjs|py|java|kt|go|rb|php|cs|scala|rs)$/;
/** Route declarations are searched in this many code files at most: the search reads files synchronously. */
const MAX_ROUTE_SCAN = 5000;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** 1-based line of the first match of `pattern` in `text`. */
function lineOf(text: string, pattern: RegExp): number | undefined {
  const m = pattern.exec(text);
  return m ? text.slice(0, m.index).split('\n').length : undefined;
}

/** The route as frameworks declare it: `/orders/{id}`, `/orders/:id`, `/orders/<id>`. */
function routeVariants(route: string): string[] {
  const bare = route.replace(/^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+/i, '');
  const names = [...bare.matchAll(/[{:<]([\w.]+)[}>]?/g)].map((m) => m[1]);
  let colon = bare;
  let braces = bare;
  let angle = bare;
  for (const name of names) {
    const any = new RegExp(`\\{${escapeRegExp(name)}\\}|:${escapeRegExp(name)}|<${escapeRegExp(name)}>`);
    colon = colon.replace(any, `:${name}`);
    braces = braces.replace(any, `{${name}}`);
    angle = angle.replace(any, `<${name}>`);
  }
  return [...new Set([bare, colon, braces, angle])];
}

export class ClueResolver {
  /** Symbols and routes are searched once each; file paths once per path (lines vary, paths repeat). */
  private readonly cache = new Map<string, ClueResolution>();
  private readonly paths = new Map<string, ReturnType<WorkspaceIndex['resolve']>>();
  private readonly maps = new Map<string, SourceMap | undefined>();

  constructor(private readonly index: WorkspaceIndex, private readonly files: readonly string[], private readonly readText: (file: string) => string | undefined) {}

  resolve(clue: CodeClue): ClueResolution {
    if (clue.kind === 'file') return this.file(clue.path, clue.line, clue.function, clue.column);
    const k = clue.kind === 'symbol' ? `s\u0000${clue.name}` : `r\u0000${clue.route}`;
    let result = this.cache.get(k);
    if (!result) this.cache.set(k, (result = clue.kind === 'symbol' ? this.symbol(clue.name) : this.route(clue.route)));
    return result;
  }

  private file(path: string, line: number | undefined, fn: string | undefined, column?: number): ClueResolution {
    let r = this.paths.get(path);
    if (!r) this.paths.set(path, (r = this.index.resolve(path)));
    if ('file' in r) return this.throughSourceMap(r.file, line, column) ?? { file: r.file, line, function: fn };
    return { unresolved: 'ambiguous' in r ? `ambiguous: ${r.ambiguous.length} workspace files match (${r.ambiguous.slice(0, 3).join(', ')}); add a traceLens.pathMappings entry` : r.unresolved };
  }

  /** Compiled JavaScript with a map next to it (`x.js.map`) points at its source, when that source is here. */
  private throughSourceMap(file: string, line: number | undefined, column: number | undefined): ClueResolution | undefined {
    if (!line || !/\.(js|mjs|cjs)$/.test(file)) return undefined;
    let map = this.maps.get(file);
    if (!this.maps.has(file)) {
      const text = this.readText(`${file}.map`);
      this.maps.set(file, (map = text === undefined ? undefined : parseSourceMap(text)));
    }
    const original = map && originalPosition(map, line, column);
    if (!original) return undefined;
    const dir = file.slice(0, file.lastIndexOf('/') + 1);
    const resolved = this.index.resolve(normalisePath(resolvePath(dir, original.source)));
    return 'file' in resolved && resolved.via === 'exact' ? { file: resolved.file, line: original.line } : undefined;
  }

  /** `com.acme.orders.OrderService.place` → com/acme/orders/OrderService.{java,kt}; `orders.service.place` → orders/service.py. */
  private symbol(name: string): ClueResolution {
    const parts = name.split(/[.:#]+/).filter(Boolean);
    const fn = parts[parts.length - 1];
    if (parts.length < 2 || !/^[A-Za-z_$][\w$]*$/.test(fn)) return { unresolved: `function ${name} needs a language server to find (VS Code's symbol search)` };
    const owner = parts.slice(0, -1);
    const candidates = /^[A-Z]/.test(owner[owner.length - 1])
      ? ['java', 'kt', 'scala', 'ts', 'cs'].map((ext) => `${owner.join('/')}.${ext}`)
      : ['py', 'rb', 'go', 'ts', 'js'].map((ext) => `${owner.join('/')}.${ext}`);
    for (const candidate of candidates) {
      const r = this.index.resolve(candidate);
      if (!('file' in r)) continue;
      const text = this.readText(r.file);
      const line = text && lineOf(text, new RegExp(`(?:def|func|function|fun)\\s+${escapeRegExp(fn)}\\b|\\b${escapeRegExp(fn)}\\s*\\([^)]*\\)\\s*(?:\\{|throws|:|=>)`));
      if (line) return { file: r.file, line, function: name };
    }
    return { unresolved: `function ${name}: no definition found in the workspace` };
  }

  private route(route: string): ClueResolution {
    const variants = routeVariants(route);
    const pattern = new RegExp(`["'\`](?:${variants.map(escapeRegExp).join('|')})["'\`]`);
    let scanned = 0;
    for (const file of this.files) {
      if (!CODE_FILE.test(file) || /node_modules|vendor|site-packages/.test(file)) continue;
      if (++scanned > MAX_ROUTE_SCAN) return { unresolved: `route ${route}: not found in the first ${MAX_ROUTE_SCAN} code files searched` };
      const text = this.readText(file);
      const line = text && lineOf(text, pattern);
      if (line) return { file, line, function: `route ${route}` };
    }
    return { unresolved: `route ${route}: no declaration found in the workspace` };
  }
}

/** `dir` + a relative path with `..` segments, as URLs resolve (no node:path: core stays platform-free). */
function resolvePath(dir: string, relative: string): string {
  if (relative.startsWith('/')) return relative;
  const parts = dir.split('/');
  parts.pop();
  for (const segment of relative.replace(/^webpack:\/\/[^/]*\//, '').split('/')) {
    if (segment === '..') parts.pop();
    else if (segment !== '.' && segment !== '') parts.push(segment);
  }
  return parts.join('/');
}
