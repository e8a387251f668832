// How a span's route and method pick one declaration, and what the answer explains: the "how" a hover shows,
// HEAD served by GET, inline handlers anchored to their line, which files count as test code, which files are
// read at all, and mounts that loop.
import { describe, expect, it } from 'vitest';
import { declareRoutes, isSecondaryCode, readRoutes, RouteIndex } from '../../src/core/code/routes/routeIndex';

function index(sources: Record<string, string>): RouteIndex {
  return RouteIndex.fromFiles(
    readRoutes(Object.keys(sources), (f) => sources[f]),
    ['/ws'],
  );
}

const express = (route: string, handler = '(req, res) => {}') =>
  `const app = require('express')();\napp.get('${route}', ${handler});\nfunction named(req, res) {}\n`;

describe('RouteIndex.match', () => {
  it('explains the declaration it chose, counting what it ignored, and anchors an inline handler to its line', () => {
    const i = index({ '/ws/app.js': express('/a'), '/ws/test/app.test.js': express('/a'), '/ws/named.js': express('/n', 'named') });
    expect(i.match('/a', 'GET')).toEqual({
      file: '/ws/app.js',
      line: 2,
      function: 'GET /a handler',
      anchor: 'line',
      how: 'route GET /a: Express declaration GET /a → GET /a handler (1 other declaration of this path ignored: other methods or test code)',
    });
    expect(i.match('/n', 'GET')).toEqual({ file: '/ws/named.js', line: 3, function: 'named', how: 'route GET /n: Express declaration GET /n → named' });
  });

  it('serves HEAD with a GET handler, and a span without a method with the only handler', () => {
    const i = index({ '/ws/app.js': express('/a') });
    expect(i.match('/a', 'HEAD')).toMatchObject({ file: '/ws/app.js' });
    expect(i.match('/a', undefined)).toMatchObject({ file: '/ws/app.js', how: expect.stringMatching(/^route \/a: /) });
    expect(i.match('/a', 'POST')).toEqual({ unresolved: 'route POST /a: declared only for GET' });
  });

  it('names at most three places of a tie, and counts one declaration read twice once', () => {
    const four = Object.fromEntries([1, 2, 3, 4].map((n) => [`/ws/s${n}/app.js`, express('/t')]));
    expect(index(four).match('/t', 'GET')).toEqual({
      unresolved: 'route GET /t: 4 declarations tie (/ws/s1/app.js:2, /ws/s2/app.js:2, /ws/s3/app.js:2); not guessing',
    });
    const same = { file: '/ws/a.js', line: 2, handler: 'h', framework: 'Express', inline: false, secondary: false, methods: ['GET'], template: '/x' };
    const twice = new RouteIndex([same, { ...same }, { ...same, methods: ['POST'] }]);
    expect(twice.declarations).toHaveLength(2);
  });

  it('reads no code under node_modules, no type declarations, and no file of a language it does not read', () => {
    const i = index({
      '/ws/node_modules/x/app.js': express('/nm'),
      '/ws/types/app.d.ts': express('/dts'),
      '/ws/app.rb': "get '/rb'",
      '/ws/server.mjs': express('/mjs'),
      '/ws/server.tsx': express('/tsx'),
    });
    expect(i.declarations.map((d) => d.template).sort()).toEqual(['/mjs', '/tsx']);
  });

  it('survives routers mounted on each other in a loop', () => {
    const loop = {
      '/ws/a.js': "const r = require('express').Router();\nconst s = require('./b');\nr.use('/a', s);\nr.get('/x', (q, w) => {});\nmodule.exports = r;\n",
      '/ws/b.js': "const s = require('express').Router();\nconst r = require('./a');\ns.use('/b', r);\nmodule.exports = s;\n",
    };
    const templates = declareRoutes(readRoutes(Object.keys(loop), (f) => loop[f as keyof typeof loop])).map((d) => d.template);
    // r is under s at /a, s under r at /b: the chain is followed once round, not forever.
    expect(templates).toEqual(['/a/b/x']);
  });
});

describe('isSecondaryCode', () => {
  it('knows test, example and vendored code in every stack, and the Maven main tree as application code', () => {
    const secondary = [
      '/ws/tests/x.py',
      '/ws/src/__tests__/a.ts',
      '/ws/spec/a_spec.rb',
      '/ws/e2e/a.ts',
      '/ws/examples/app.js',
      '/ws/vendor/lib.go',
      '/ws/third_party/x.go',
      '/ws/fixtures/a.js',
      '/ws/src/test/java/A.java',
      '/ws/pkg/a_test.go',
      '/ws/src/a.test.ts',
      '/ws/src/a.spec.js',
      '/ws/app/test_views.py',
      '/ws/app/tests.py',
      '/ws/x/OwnerControllerTests.java',
      '/ws/x/OwnerIT.kt',
    ];
    expect(secondary.filter((f) => !isSecondaryCode(f, ['/ws']))).toEqual([]);
    const primary = [
      '/ws/app/views.py',
      '/ws/src/main/java/com/example/tests/Ctl.java',
      '/ws/com/example/demo/A.java',
      '/ws/src/contest.ts',
      '/ws/app/testing.py',
    ];
    expect(primary.filter((f) => isSecondaryCode(f, ['/ws']))).toEqual([]);
    // Judged inside the most specific root; with no root, the whole path.
    expect(isSecondaryCode('/ws/test/shop/app.py', ['/ws', '/ws/test/shop/'])).toBe(false);
    expect(isSecondaryCode('/ws/test/shop/app.py')).toBe(true);
  });
});
