// Route declarations in Django: a `urlpatterns` list of `path()` / `re_path()` entries whose view is a function
// (`views.index`), a class view (`views.DetailView.as_view()`), or `include("app.urls")` / `include(module)`
// mounting another urls module under a prefix. Each urls module is one route group; the handler is the view.
import { emptyFileRoutes, HTTP_METHODS, type FileRoutes } from './fileRoutes';
import type { ModuleLookup } from './moduleLookup';
import { callArguments, lineAt, lineStartsOf, positionalArguments, stringValue } from './sourceText';

/** The name every urls module's group has: a module is included whole. */
export const URLCONF_GROUP = 'urlpatterns';

function definition(text: string, name: string): { offset: number; isClass: boolean } | undefined {
  const m = new RegExp(`^[ \\t]*(?:async\\s+)?(def|class)\\s+${name}\\b`, 'm').exec(text);
  return m ? { offset: m.index + m[0].search(/def|class/), isClass: m[1] === 'class' } : undefined;
}

export function djangoRoutes(file: string, text: string, modules: ModuleLookup, textOf: (file: string) => string | undefined): FileRoutes {
  const result = emptyFileRoutes(file);
  if (!/\burlpatterns\b/.test(text)) return result;
  result.groups.push({ name: URLCONF_GROUP, prefix: '' });
  const lines = lineStartsOf(text);
  const imports = new Map<string, { module: string; name: string }>();
  for (const m of text.matchAll(/^\s*from\s+([.\w]+)\s+import\s+\(?([^)\n]+)\)?/gm)) {
    for (const part of m[2].split(',')) {
      const [name, alias] = part.trim().split(/\s+as\s+/);
      if (!/^\w+$/.test(name ?? '')) continue;
      const submodule = modules.python(file, `${m[1]}${m[1].endsWith('.') ? '' : '.'}${name}`);
      const module = modules.python(file, m[1]);
      if (submodule) imports.set(alias?.trim() || name, { module: submodule, name: '*' });
      else if (module) imports.set(alias?.trim() || name, { module, name });
    }
  }
  for (const m of text.matchAll(/\b(path|re_path|url)\s*\(/g)) {
    const call = callArguments(text, m.index! + m[0].length - 1, true);
    if (!call) continue;
    const [route, view] = positionalArguments(call.args);
    const pattern = stringValue(route?.text);
    if (pattern === undefined || !view) continue;
    const included = /^include\s*\(\s*(?:\(\s*)?([^,)]+)/.exec(view.text);
    if (included) {
      const target = stringValue(included[1]) !== undefined ? modules.python(file, stringValue(included[1])!) : imports.get(included[1].trim())?.module;
      if (target) result.mounts.push({ parent: URLCONF_GROUP, child: { module: target, name: URLCONF_GROUP }, prefix: pattern });
      continue;
    }
    // views.index, views.DetailView.as_view(), index (imported by name)
    const ref = /^([A-Za-z_]\w*)(?:\.([A-Za-z_]\w*))?(?:\.as_view\s*\([^]*\))?$/.exec(view.text.trim());
    if (!ref) continue;
    const owner = imports.get(ref[1]);
    const name = ref[2] ?? (owner && owner.name !== '*' ? owner.name : ref[1]);
    const where = owner ? owner.module : file;
    const source = where === file ? text : textOf(where);
    const found = source === undefined ? undefined : definition(source, name);
    if (!found) continue;
    const line = source === text ? lineAt(lines, found.offset) : lineAt(lineStartsOf(source!), found.offset);
    result.routes.push({
      group: URLCONF_GROUP,
      methods: found.isClass ? HTTP_METHODS : ['*'],
      path: pattern,
      line,
      handler: name,
      handlerFile: where === file ? undefined : where,
      framework: 'Django',
    });
  }
  return result;
}
