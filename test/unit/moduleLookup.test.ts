// Which workspace file an import names: what carries a router or blueprint from one file to the next. A wrong
// answer joins routes to the wrong prefix; no answer leaves them unjoined.
import { describe, expect, it } from 'vitest';
import { moduleLookup } from '../../src/core/code/routes/moduleLookup';

const FILES = [
  '/ws/shop/__init__.py',
  '/ws/shop/auth.py',
  '/ws/shop/api/__init__.py',
  '/ws/shop/api/items.py',
  '/ws/other/api/items.py',
  '/ws/deep/a/b/c/views.py',
  '/ws/web/server.js',
  '/ws/web/routes/index.ts',
  '/ws/web/routes/users.mjs',
  '/ws/web/lib/util.js',
  '/ws/web/lib/compiled.ts',
  '/ws/web/pkg/index.mjs',
  '/ws/README.md',
];
const lookup = moduleLookup(FILES);

describe('Python imports', () => {
  it('resolves relative imports by their dots, to a module or a package', () => {
    expect(lookup.python('/ws/shop/api/items.py', '.')).toBe('/ws/shop/api/__init__.py');
    expect(lookup.python('/ws/shop/api/items.py', '..auth')).toBe('/ws/shop/auth.py');
    expect(lookup.python('/ws/shop/api/items.py', '..')).toBe('/ws/shop/__init__.py');
    expect(lookup.python('/ws/shop/auth.py', '.api.items')).toBe('/ws/shop/api/items.py');
    expect(lookup.python('/ws/shop/auth.py', '.missing')).toBeUndefined();
  });

  it('resolves a dotted import by the longest path suffix naming exactly one file, never by a shorter guess', () => {
    expect(lookup.python('/ws/x.py', 'shop.auth')).toBe('/ws/shop/auth.py');
    expect(lookup.python('/ws/x.py', 'shop.api')).toBe('/ws/shop/api/__init__.py');
    expect(lookup.python('/ws/x.py', 'shop.api.items')).toBe('/ws/shop/api/items.py');
    // api/items is in two packages: only the full name picks one.
    expect(lookup.python('/ws/x.py', 'api.items')).toBeUndefined();
    expect(lookup.python('/ws/x.py', 'items')).toBeUndefined();
    // Longer than three segments: the last three decide.
    expect(lookup.python('/ws/x.py', 'project.deep.a.b.c.views')).toBe('/ws/deep/a/b/c/views.py');
    expect(lookup.python('/ws/x.py', 'b.c.views')).toBe('/ws/deep/a/b/c/views.py');
    expect(lookup.python('/ws/x.py', 'views')).toBe('/ws/deep/a/b/c/views.py');
    expect(lookup.python('/ws/x.py', 'flask')).toBeUndefined();
  });
});

describe('JavaScript imports', () => {
  it('resolves relative specifiers with each extension and index file, and nothing for packages', () => {
    expect(lookup.javascript('/ws/web/server.js', './routes')).toBe('/ws/web/routes/index.ts');
    expect(lookup.javascript('/ws/web/server.js', './routes/users')).toBe('/ws/web/routes/users.mjs');
    expect(lookup.javascript('/ws/web/routes/index.ts', '../lib/util')).toBe('/ws/web/lib/util.js');
    expect(lookup.javascript('/ws/web/routes/index.ts', '../lib/./util.js')).toBe('/ws/web/lib/util.js');
    // TypeScript's ESM style: "./compiled.js" names compiled.ts.
    expect(lookup.javascript('/ws/web/server.js', './lib/compiled.js')).toBe('/ws/web/lib/compiled.ts');
    expect(lookup.javascript('/ws/web/server.js', './pkg')).toBe('/ws/web/pkg/index.mjs');
    expect(lookup.javascript('/ws/web/server.js', 'express')).toBeUndefined();
    expect(lookup.javascript('/ws/web/server.js', './nothing')).toBeUndefined();
  });
});
