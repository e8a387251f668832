// Resolves code clues to workspace locations without a language server (the CLI, and VS Code's fallback
// when no symbol provider answers): files through the WorkspaceIndex, stack frames to the first one whose file
// is in the workspace, qualified function names through the package path and a definition search, HTTP routes
// through the route declarations the workspace's frameworks make (routes/routeIndex).
import type { ClueResolution } from './codeLocation';
import type { CodeClue } from './codeClues';
import { normalisePath, type WorkspaceIndex } from './pathMapping';
import { readRoutes, RouteIndex } from './routes/routeIndex';
import { originalPosition, parseSourceMap, type SourceMap } from './sourceMap';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** 1-based line of the first match of `pattern` in `text`. */
function lineOf(text: string, pattern: RegExp): number | undefined {
  const m = pattern.exec(text);
  return m ? text.slice(0, m.index).split('\n').length : undefined;
}

/**
 * Where a function named `fn` is defined: `def`/`func`/`function`/`fun` declarations, a method's signature
 * followed by its body (`name(…) {`, `throws`, a return type, `=>`), and a const bound to a function or arrow.
 * Names may start with `$`, which `\b` does not see as a word.
 */
function definition(fn: string): RegExp {
  const name = `(?<![\\w$])${escapeRegExp(fn)}(?![\\w$])`;
  return new RegExp(
    `(?:def|func|function|fun)\\s+${name}|${name}\\s*\\([^)]*\\)\\s*(?:\\{|throws|:|=>)|(?:const|let|var)\\s+${name}\\s*=\\s*(?:async\\s*)?(?:function\\b|\\([^)]*\\)\\s*(?::[^=]*)?=>|[\\w$]+\\s*=>)`,
  );
}

export class ClueResolver {
  /** Symbols and routes are searched once each; file paths once per path (lines vary, paths repeat). */
  private readonly cache = new Map<string, ClueResolution>();
  private readonly paths = new Map<string, ReturnType<WorkspaceIndex['resolve']>>();
  private readonly maps = new Map<string, SourceMap | undefined>();

  /** `roots`: the workspace folders, so "test code" is judged by the path inside the workspace, not above it. */
  /**
   * `roots`: the workspace folders, so "test code" is judged by the path inside the workspace, not above it.
   * `routes`: the route declarations when read elsewhere (a worker thread); otherwise read here on first need.
   */
  constructor(
    private readonly index: WorkspaceIndex,
    private readonly files: readonly string[],
    private readonly readText: (file: string) => string | undefined,
    private readonly roots: readonly string[] = [],
    private routes?: RouteIndex,
  ) {}

  resolve(clue: CodeClue): ClueResolution {
    if (clue.kind === 'file') return this.file(clue.path, clue.line, clue.function, clue.column);
    if (clue.kind === 'stack') return this.stack(clue.frames);
    const k = clue.kind === 'symbol' ? `s\u0000${clue.name}` : `r\u0000${clue.method ?? ''}\u0000${clue.route}`;
    let result = this.cache.get(k);
    if (!result) this.cache.set(k, (result = clue.kind === 'symbol' ? this.symbol(clue.name) : this.routeIndex().match(clue.route, clue.method)));
    return result;
  }

  /** The routes the workspace declares, read on the first route clue (most spans never need them). */
  routeIndex(): RouteIndex {
    this.routes ??= RouteIndex.fromFiles(readRoutes(this.files, this.readText), this.roots);
    return this.routes;
  }

  /** A frame counts as application code only when its file is in the workspace: library frames named like app code do not. */
  private stack(frames: Extract<CodeClue, { kind: 'stack' }>['frames']): ClueResolution {
    let first: ClueResolution | undefined;
    for (const frame of frames) {
      const resolved = this.file(frame.file, frame.line, frame.function, frame.column);
      if ('file' in resolved) return resolved;
      first ??= resolved;
    }
    return {
      unresolved: `none of the ${frames.length} non-library frames is a workspace file (first: ${frames[0]?.file}: ${first && 'unresolved' in first ? first.unresolved : ''})`,
    };
  }

  private file(path: string, line: number | undefined, fn: string | undefined, column?: number): ClueResolution {
    let r = this.paths.get(path);
    if (!r) this.paths.set(path, (r = this.index.resolve(path)));
    if ('file' in r) return this.throughSourceMap(r.file, line, column) ?? { file: r.file, line, function: fn };
    return {
      unresolved:
        'ambiguous' in r
          ? `ambiguous: ${r.ambiguous.length} workspace files match (${r.ambiguous.slice(0, 3).join(', ')}); add a traceLens.pathMappings entry`
          : r.unresolved,
    };
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
      const line = text && lineOf(text, definition(fn));
      if (line) return { file: r.file, line, function: name };
    }
    return { unresolved: `function ${name}: no definition found in the workspace` };
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
