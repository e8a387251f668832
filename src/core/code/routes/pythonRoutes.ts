// Route declarations in Python: Flask (`@app.route`, `@bp.get`, `Blueprint(url_prefix=)`,
// `register_blueprint(bp, url_prefix=)`, `add_url_rule(view_func=)`) and FastAPI (`@app.get`,
// `APIRouter(prefix=)`, `include_router(router, prefix=)`). The handler is the decorated function.
import { emptyFileRoutes, HTTP_METHODS, type FileRoutes, type GroupRef } from './fileRoutes';
import type { ModuleLookup } from './moduleLookup';
import { callArguments, lineAt, lineStartsOf, namedArgument, positionalArguments, stringValue, type Argument } from './sourceText';

const CONSTRUCTORS: Record<string, { framework: string; prefixArg?: string }> = {
  Flask: { framework: 'Flask' },
  FastAPI: { framework: 'FastAPI' },
  Blueprint: { framework: 'Flask', prefixArg: 'url_prefix' },
  APIRouter: { framework: 'FastAPI', prefixArg: 'prefix' },
};

function methodList(arg: string | undefined): string[] | undefined {
  if (!arg) return undefined;
  const methods = [...arg.matchAll(/["'](\w+)["']/g)].map((m) => m[1].toUpperCase());
  return methods.length ? methods : undefined;
}

export function pythonRoutes(file: string, text: string, modules: ModuleLookup): FileRoutes {
  const result = emptyFileRoutes(file);
  if (!/Flask|FastAPI|Blueprint|APIRouter|route|include_router/.test(text)) return result;
  const lines = lineStartsOf(text);
  const constants = new Map<string, string>();
  for (const m of text.matchAll(/^([A-Z_][A-Z0-9_]*)\s*=\s*(["'][^"'\n]*["'])\s*(?:#.*)?$/gm)) constants.set(m[1], stringValue(m[2])!);
  const value = (arg: string | undefined) => (arg === undefined ? undefined : (stringValue(arg) ?? constants.get(arg.trim())));
  const frameworks = new Map<string, string>();

  readImports(text, file, modules, result);

  for (const m of text.matchAll(/^\s*([A-Za-z_]\w*)\s*(?::\s*\w+\s*)?=\s*(?:flask\.|fastapi\.)?(Flask|FastAPI|Blueprint|APIRouter)\s*\(/gm)) {
    const spec = CONSTRUCTORS[m[2]];
    const call = callArguments(text, m.index! + m[0].length - 1, true);
    const prefix = spec.prefixArg && call ? (value(namedArgument(call.args, spec.prefixArg)) ?? '') : '';
    result.groups.push({ name: m[1], prefix });
    frameworks.set(m[1], spec.framework);
  }

  // Decorators: @x.route("/p", methods=[…]), @x.get("/p"), @x.api_route("/p", methods=[…]).
  for (const m of text.matchAll(/^[ \t]*@([A-Za-z_]\w*)\.(route|api_route|get|post|put|patch|delete|head|options)\s*\(/gm)) {
    const call = callArguments(text, m.index! + m[0].length - 1, true);
    if (!call) continue;
    const path = value(positionalArguments(call.args)[0]?.text ?? namedArgument(call.args, 'path') ?? namedArgument(call.args, 'rule'));
    if (path === undefined) continue;
    const handler = /^\s*(?:@[^\n]*\n\s*)*(?:async\s+)?def\s+(\w+)/.exec(text.slice(call.end));
    if (!handler) continue;
    const kind = m[2];
    const methods = kind === 'route' || kind === 'api_route' ? (methodList(namedArgument(call.args, 'methods')) ?? ['GET']) : [kind.toUpperCase()];
    const defOffset = call.end + handler.index + handler[0].lastIndexOf('def');
    result.routes.push({
      group: m[1],
      methods,
      path,
      line: lineAt(lines, defOffset),
      handler: handler[1],
      framework: frameworks.get(m[1]) ?? (kind === 'route' ? 'Flask' : 'FastAPI'),
    });
  }

  // x.add_url_rule("/p", view_func=f, methods=[…]) and the mounts.
  for (const m of text.matchAll(/\b([A-Za-z_]\w*)\.(add_url_rule|register_blueprint|include_router)\s*\(/g)) {
    const call = callArguments(text, m.index! + m[0].length - 1, true);
    if (!call) continue;
    const positional = positionalArguments(call.args);
    if (m[2] === 'add_url_rule') addUrlRule(text, lines, result, m[1], call.args, positional, value);
    else {
      const child = groupRef(positional[0]?.text, result);
      if (!child) continue;
      const prefixArg = namedArgument(call.args, m[2] === 'register_blueprint' ? 'url_prefix' : 'prefix');
      const prefix = value(prefixArg) ?? '';
      result.mounts.push({ parent: m[1], child, prefix, replacesChildPrefix: m[2] === 'register_blueprint' && prefixArg !== undefined });
    }
  }
  return result;
}

function addUrlRule(
  text: string,
  lines: number[],
  result: FileRoutes,
  group: string,
  args: Argument[],
  positional: Argument[],
  value: (arg: string | undefined) => string | undefined,
): void {
  const path = value(positional[0]?.text);
  const view = namedArgument(args, 'view_func') ?? positional[2]?.text;
  const name = view && /^([A-Za-z_]\w*)(?:\.as_view\(|$)/.exec(view)?.[1];
  if (path === undefined || !name) return;
  const def = new RegExp(`^\\s*(?:async\\s+)?(?:def|class)\\s+${name}\\b`, 'm').exec(text);
  if (!def) return;
  const methods = methodList(namedArgument(args, 'methods')) ?? (view.includes('as_view') ? HTTP_METHODS : ['GET']);
  result.routes.push({ group, methods, path, line: lineAt(lines, def.index + def[0].search(/def|class/)), handler: name, framework: 'Flask' });
}

/** `bp`, `auth.bp` (auth imported as a module), `auth_bp` (imported by name). */
function groupRef(text: string | undefined, result: FileRoutes): GroupRef | undefined {
  const m = text && /^([A-Za-z_]\w*)(?:\.([A-Za-z_]\w*))?$/.exec(text.trim());
  if (!m) return undefined;
  const imported = result.imports.get(m[1]);
  if (m[2]) return imported?.name === '*' ? { module: imported.module, name: m[2] } : undefined;
  return imported ? { module: imported.module, name: imported.name } : { local: m[1] };
}

function readImports(text: string, file: string, modules: ModuleLookup, result: FileRoutes): void {
  for (const m of text.matchAll(/^\s*from\s+([.\w]+)\s+import\s+\(?([^)\n]+)\)?/gm)) {
    for (const part of m[2].split(',')) {
      const [name, alias] = part.trim().split(/\s+as\s+/);
      if (!/^\w+$/.test(name ?? '')) continue;
      const local = alias?.trim() || name;
      // `from . import auth` / `from app.routes import items`: a submodule, or a name defined in the package.
      const submodule = modules.python(file, `${m[1]}${m[1].endsWith('.') ? '' : '.'}${name}`);
      const module = modules.python(file, m[1]);
      if (submodule) result.imports.set(local, { module: submodule, name: '*' });
      else if (module) result.imports.set(local, { module, name });
    }
  }
  for (const m of text.matchAll(/^\s*import\s+([\w.]+)(?:\s+as\s+(\w+))?\s*(?:#.*)?$/gm)) {
    const module = modules.python(file, m[1]);
    if (module && m[2]) result.imports.set(m[2], { module, name: '*' });
  }
}
