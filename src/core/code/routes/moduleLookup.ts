// Which workspace file an import names: Python modules (relative `.auth`, `..models`, or dotted `app.routes.items`
// found by path suffix) and JavaScript/TypeScript relative specifiers (`./articles` → articles.js, .ts, index.js).
// Packages from outside the workspace resolve to nothing, which is what they are to route mapping.

export interface ModuleLookup {
  python(fromFile: string, spec: string): string | undefined;
  javascript(fromFile: string, spec: string): string | undefined;
}

const JS_EXTENSIONS = ['', '.js', '.ts', '.mjs', '.cjs', '.jsx', '.tsx', '/index.js', '/index.ts', '/index.mjs'];

function dirOf(file: string): string {
  return file.slice(0, file.lastIndexOf('/'));
}

function normalise(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '..') out.pop();
    else if (part !== '.' && part !== '') out.push(part);
  }
  return `/${out.join('/')}`;
}

export function moduleLookup(files: Iterable<string>): ModuleLookup {
  const set = new Set(files);
  const pythonBySuffix = new Map<string, string[]>();
  for (const file of set) {
    if (!file.endsWith('.py')) continue;
    const module = file.replace(/\/__init__\.py$/, '').replace(/\.py$/, '');
    const parts = module.split('/');
    // Index the last three segments' suffixes: `items`, `routes/items`, `app/routes/items`.
    for (let n = 1; n <= Math.min(3, parts.length); n++) {
      const key = parts.slice(-n).join('/');
      const list = pythonBySuffix.get(key) ?? [];
      list.push(file);
      pythonBySuffix.set(key, list);
    }
  }
  const pythonFile = (base: string) => [`${base}.py`, `${base}/__init__.py`].find((f) => set.has(f));
  return {
    python(fromFile, spec) {
      const dots = /^\.*/.exec(spec)![0].length;
      const rest = spec.slice(dots).replace(/\./g, '/');
      if (dots > 0) {
        let dir = dirOf(fromFile);
        for (let i = 1; i < dots; i++) dir = dirOf(dir);
        return pythonFile(rest ? `${dir}/${rest}` : dir);
      }
      // Absolute: the longest suffix that names exactly one file.
      const parts = rest.split('/');
      for (let n = Math.min(3, parts.length); n >= 1; n--) {
        const found = pythonBySuffix.get(parts.slice(-n).join('/'));
        if (found?.length === 1 && (n === parts.length || n === 3)) return found[0];
      }
      return undefined;
    },
    javascript(fromFile, spec) {
      if (!spec.startsWith('.')) return undefined;
      const base = normalise(`${dirOf(fromFile)}/${spec}`);
      return (
        JS_EXTENSIONS.map((ext) => base.replace(/\.js$/, ext ? '' : '.js') + ext).find((f) => set.has(f)) ??
        JS_EXTENSIONS.map((ext) => base + ext).find((f) => set.has(f))
      );
    },
  };
}
