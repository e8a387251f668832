// Every route the workspace declares, with its full template (prefixes of every group it is mounted under joined
// in), its methods and its handler; and the answer to "which handler served GET /owners/{ownerId}/pets/new?".
// Declarations only, never mentions of the string (a test calling the route is not where it is served). Test,
// example and vendored code rank last; a tie is not broken by guessing: it stays unresolved and says why.
import { aspNetRoutes } from './aspNetRoutes';
import { djangoRoutes } from './djangoRoutes';
import type { FileRoutes, GroupRef } from './fileRoutes';
import { goRoutes } from './goRoutes';
import { javaRoutes } from './javaRoutes';
import { javascriptRoutes } from './javascriptRoutes';
import { moduleLookup } from './moduleLookup';
import { pythonRoutes } from './pythonRoutes';
import { railsRoutes } from './railsRoutes';
import { canonicalRoute, joinRoute } from './routeTemplate';
import { USER_FRAMEWORK } from './userRoutes';

export interface RouteDeclaration {
  template: string;
  methods: string[];
  file: string;
  line: number;
  handler: string;
  framework: string;
  inline: boolean;
  /** Declared in tests, examples or vendored code. */
  secondary: boolean;
}

export type RouteMatch = { file: string; line: number; function: string; how: string; anchor?: 'line' } | { unresolved: string };

// Singular "example" and "sample" are left out: they are common package names (com/example/demo, …/samples/…).
const SECONDARY =
  /(?:^|\/)(?:tests?|__tests__|spec|specs|e2e|examples|vendor|third_party|node_modules|fixtures)\/|(?:^|\/)src\/test\/|(?:_test|\.test|\.spec|_spec)\.\w+$|(?:^|\/)(?:test_[^/]*|tests)\.py$|(?:Tests?|IT)\.(?:java|kt)$/;

/** Judged on the path inside its workspace folder: a workspace that itself lives under `test/` is not all tests. */
export function isSecondaryCode(file: string, roots: readonly string[] = []): boolean {
  const root = roots.filter((r) => file.startsWith(`${r.replace(/\/$/, '')}/`)).sort((a, b) => b.length - a.length)[0];
  const inside = root ? file.slice(root.replace(/\/$/, '').length) : file;
  // Maven and Gradle say it themselves: src/main is the application, whatever its packages are called.
  return !inside.includes('/src/main/') && SECONDARY.test(inside);
}

export const UNDERSTOOD_FRAMEWORKS = 'Flask, FastAPI, Django, Express, NestJS, Spring, JAX-RS, ASP.NET Core, Rails, Go net/http, gin, echo, chi';

const MAX_PREFIXES = 16;
const MAX_DEPTH = 8;

function language(file: string): 'python' | 'javascript' | 'java' | 'go' | 'csharp' | 'ruby' | undefined {
  if (file.endsWith('.py')) return 'python';
  if (/\.(?:[cm]?js|jsx|ts|tsx)$/.test(file) && !file.endsWith('.d.ts')) return 'javascript';
  if (/\.(?:java|kt)$/.test(file)) return 'java';
  if (file.endsWith('.go')) return 'go';
  if (file.endsWith('.cs')) return 'csharp';
  if (file.endsWith('/config/routes.rb')) return 'ruby';
  return undefined;
}

/** Reads the route declarations of every code file; `textOf` is asked once per file. */
export function readRoutes(files: readonly string[], textOf: (file: string) => string | undefined): FileRoutes[] {
  const modules = moduleLookup(files);
  const fileSet = new Set(files);
  const texts = new Map<string, string | undefined>();
  const text = (file: string) => {
    if (!texts.has(file)) texts.set(file, textOf(file));
    return texts.get(file);
  };
  const out: FileRoutes[] = [];
  for (const file of files) {
    const lang = language(file);
    const source = lang && !file.includes('/node_modules/') ? text(file) : undefined;
    if (source === undefined) continue;
    const routes =
      lang === 'python'
        ? merged(pythonRoutes(file, source, modules), djangoRoutes(file, source, modules, text))
        : lang === 'javascript'
          ? javascriptRoutes(file, source, { modules, textOf: text })
          : lang === 'java'
            ? javaRoutes(file, source)
            : lang === 'csharp'
              ? aspNetRoutes(file, source)
              : lang === 'ruby'
                ? railsRoutes(file, source, fileSet, text)
                : goRoutes(file, source);
    if (routes.routes.length || routes.groups.length || routes.mounts.length || routes.globalPrefix) out.push(routes);
  }
  return out;
}

/** One file read by two readers (Flask or FastAPI code and a Django urlconf can share a file). */
function merged(a: FileRoutes, b: FileRoutes): FileRoutes {
  return { ...a, groups: [...a.groups, ...b.groups], routes: [...a.routes, ...b.routes], mounts: [...a.mounts, ...b.mounts] };
}

/**
 * Every declared route with its full template: each group's prefixes are found by following its mounts up to an
 * app (across files, through imports and exports), once per group. Pure data in and out, so it runs in the worker.
 */
export function declareRoutes(fileRoutes: readonly FileRoutes[], roots: readonly string[] = []): RouteDeclaration[] {
  return new RouteJoiner(fileRoutes).declarations(roots);
}

class RouteJoiner {
  private readonly files = new Map<string, FileRoutes>();
  /** Group key ("file\0name") → where it is mounted. */
  private readonly parents = new Map<string, { parent: string; prefix: string; replaces: boolean }[]>();
  private readonly prefixCache = new Map<string, string[]>();

  constructor(private readonly fileRoutes: readonly FileRoutes[]) {
    for (const f of fileRoutes) this.files.set(f.file, f);
    for (const f of fileRoutes) {
      for (const mount of f.mounts) {
        const parent = this.groupKey(f, { local: mount.parent }, 0);
        const child = this.groupKey(f, mount.child, 0);
        if (!parent || !child) continue;
        const list = this.parents.get(child) ?? [];
        list.push({ parent, prefix: mount.prefix, replaces: !!mount.replacesChildPrefix });
        this.parents.set(child, list);
      }
    }
  }

  declarations(roots: readonly string[]): RouteDeclaration[] {
    const globals = new Map(this.fileRoutes.flatMap((f) => (f.globalPrefix ? [[f.globalPrefix.framework, f.globalPrefix.prefix] as const] : [])));
    const out: RouteDeclaration[] = [];
    for (const f of this.fileRoutes) {
      const fileSecondary = isSecondaryCode(f.file, roots);
      for (const route of f.routes) {
        const key = route.group === undefined ? undefined : this.groupKey(f, { local: route.group }, 0);
        const file = route.handlerFile ?? f.file;
        const secondary = fileSecondary || (file !== f.file && isSecondaryCode(file, roots));
        for (const prefix of key ? this.prefixes(key) : ['']) {
          const template = joinRoute(globals.get(route.framework) ?? '', prefix, route.path);
          out.push({
            template,
            methods: route.methods,
            file,
            line: route.line,
            handler: route.handler,
            framework: route.framework,
            inline: !!route.inline,
            secondary,
          });
        }
      }
    }
    return out;
  }

  /** The key of the group a reference names, following imports and exports across files. */
  private groupKey(from: FileRoutes, ref: GroupRef, depth: number): string | undefined {
    if (depth > MAX_DEPTH) return undefined;
    if ('local' in ref) {
      if (from.groups.some((g) => g.name === ref.local)) return `${from.file}\u0000${ref.local}`;
      const imported = from.imports.get(ref.local);
      return imported ? this.groupKey(from, imported, depth + 1) : undefined;
    }
    const target = this.files.get(ref.module);
    if (!target) return undefined;
    const local = ref.name === 'default' ? target.exports.get('default') : (target.exports.get(ref.name) ?? ref.name);
    return local ? this.groupKey(target, { local }, depth + 1) : undefined;
  }

  private prefixes(key: string): string[] {
    let cached = this.prefixCache.get(key);
    if (!cached) this.prefixCache.set(key, (cached = this.prefixesOf(key, new Set())));
    return cached;
  }

  /** Every full prefix a group is served under: the chain of mounts up to an app, or its own prefix alone. */
  private prefixesOf(key: string, seen: Set<string>): string[] {
    const [file, name] = key.split('\u0000');
    const own = this.files.get(file)?.groups.find((g) => g.name === name)?.prefix ?? '';
    const parents = this.parents.get(key);
    if (!parents || seen.has(key)) return [own];
    seen.add(key);
    const out = parents.flatMap((p) => this.prefixesOf(p.parent, seen).map((above) => `${above}/${p.prefix}/${p.replaces ? '' : own}`));
    seen.delete(key);
    return [...new Set(out)].slice(0, MAX_PREFIXES);
  }
}

export class RouteIndex {
  private readonly byTemplate = new Map<string, RouteDeclaration[]>();
  readonly declarations: RouteDeclaration[] = [];

  constructor(declarations: readonly RouteDeclaration[]) {
    for (const declaration of declarations) this.add(declaration);
  }

  static fromFiles(fileRoutes: readonly FileRoutes[], roots: readonly string[] = []): RouteIndex {
    return new RouteIndex(declareRoutes(fileRoutes, roots));
  }

  private add(declaration: RouteDeclaration): void {
    const list = this.byTemplate.get(declaration.template) ?? [];
    if (list.some((d) => d.file === declaration.file && d.line === declaration.line && d.methods.join() === declaration.methods.join())) return;
    list.push(declaration);
    this.byTemplate.set(declaration.template, list);
    this.declarations.push(declaration);
  }

  /** The handler that serves `route` (as a span's `http.route` says) for `method`, or why none is named. */
  match(route: string, method: string | undefined): RouteMatch {
    const template = canonicalRoute(route);
    const shown = `${method ? `${method} ` : ''}${route}`;
    const all = this.byTemplate.get(template) ?? [];
    const accepts = (d: RouteDeclaration) =>
      !method || d.methods.includes('*') || d.methods.includes(method) || (method === 'HEAD' && d.methods.includes('GET'));
    // A hand mapping (traceLens.routeHandlers) is the user's answer: it wins over what was read.
    const byHand = all.filter((d) => d.framework === USER_FRAMEWORK && accepts(d));
    const primary = byHand.length ? byHand : all.filter((d) => !d.secondary && accepts(d));
    const distinct = [...new Map(primary.map((d) => [`${d.file}:${d.line}`, d])).values()];
    const where = (list: RouteDeclaration[]) =>
      list
        .slice(0, 3)
        .map((d) => `${d.file}:${d.line}`)
        .join(', ');
    if (distinct.length === 1) {
      const d = distinct[0];
      const ignored = all.length - primary.length;
      return {
        file: d.file,
        line: d.line,
        function: d.handler,
        ...(d.inline && { anchor: 'line' as const }),
        how: `route ${shown}: ${d.framework} declaration ${d.methods.join(',')} ${d.template} → ${d.handler}${ignored ? ` (${ignored} other declaration${ignored === 1 ? '' : 's'} of this path ignored: other methods or test code)` : ''}`,
      };
    }
    if (distinct.length > 1) return { unresolved: `route ${shown}: ${distinct.length} declarations tie (${where(distinct)}); not guessing` };
    const secondary = all.filter((d) => d.secondary && accepts(d));
    if (secondary.length) return { unresolved: `route ${shown}: declared only in test, example or vendored code (${where(secondary)})` };
    if (all.length) return { unresolved: `route ${shown}: declared only for ${[...new Set(all.flatMap((d) => d.methods))].join(', ')}` };
    return {
      unresolved: `route ${shown}: no declaration matches among ${this.declarations.length} routes read (frameworks understood: ${UNDERSTOOD_FRAMEWORKS}; map it by hand in traceLens.routeHandlers)`,
    };
  }
}
