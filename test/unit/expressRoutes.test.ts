// Express and NestJS route declarations as real apps spell them: every import and export form that carries a
// router or a handler across files, prefixes from constants and config modules, and where each lens goes.
import { describe, expect, it } from 'vitest';
import { at, lines } from '../support/routeAt';

describe('Express', () => {
  const app = {
    '/ws/app.js': lines(
      "const express = require('express');",
      "const { apiPath: API, other } = require('./config');",
      "const config = require('./config');",
      "import users, { router as orders } from './orders';",
      "import * as admin from './admin';",
      'const app = express();',
      "app.get('env');",
      'app.use(config.apiPath, users);',
      "app.use('/orders', orders);",
      "app.use('/admin', admin.panel);",
      "app.use(require('./health'));",
      "app.all('/ping', function (req, res) { res.end(); });",
    ),
    '/ws/config.js': "module.exports = {\n  apiPath: '/api/v2',\n  other: 1,\n};\n",
    '/ws/orders.js': lines(
      "const { Router } = require('express');",
      "const { list: listAll, show } = require('./handlers');",
      'const router = Router();',
      'const users = new Router();',
      "router.get('/', listAll);",
      "router.post('/:id', wrap(show));",
      "users.put('/users/:id', async (req, res) => {",
      '  res.end();',
      '});',
      "users.delete('/users/:id', req => req);",
      'module.exports = users;',
      'exports.router = router;',
    ),
    '/ws/handlers.js': lines(
      '// handlers',
      'exports.list = async function (req, res) {};',
      '',
      'function* gen() {}',
      'async function show(req, res) {}',
      'exports.show = show;',
    ),
    '/ws/admin.js': lines("const express = require('express');", 'export const panel = express.Router();', "panel.patch('/settings', (req, res) => {});"),
    '/ws/health.js': lines(
      "const router = require('express').Router();",
      "router.head('/health', check);",
      'module.exports = router;',
      'const check = (req, res) => res.end();',
    ),
  };

  it('follows routers mounted under a config prefix, across default and named imports and requires', () => {
    expect(at(app, '/api/v2/users/:id', 'PUT')).toBe('/ws/orders.js:7 PUT /users/:id handler');
    expect(at(app, '/api/v2/users/:id', 'DELETE')).toBe('/ws/orders.js:10 DELETE /users/:id handler');
    expect(at(app, '/orders/', 'GET')).toBe('/ws/handlers.js:2 list');
    expect(at(app, '/orders/:id', 'POST')).toBe('/ws/handlers.js:5 show');
    expect(at(app, '/admin/settings', 'PATCH')).toBe('/ws/admin.js:3 PATCH /settings handler');
    expect(at(app, '/health', 'HEAD')).toBe('/ws/health.js:4 check');
    // app.all answers every method; app.get('env') reads a setting and declares nothing.
    expect(at(app, '/ping', 'OPTIONS')).toBe('/ws/app.js:12 * /ping handler');
    expect(at(app, '/env', 'GET')).toMatch(/no declaration matches/);
  });

  it('puts a named handler where it is defined, by each way of defining one, and drops a handler it cannot find', () => {
    const sources = {
      '/ws/server.ts': lines(
        "import express from 'express';",
        "import * as ctl from './controller';",
        'const app = express();',
        "app.get('/a', ctl.alpha);",
        "app.get('/b', beta);",
        "app.get('/c', gamma);",
        "app.get('/d', missing);",
        "app.get('/e', helpers.epsilon);",
        'const beta = (req: Request, res: Response) => {};',
        'let gamma = function (req, res) {};',
      ),
      '/ws/controller.ts': lines('export class C {}', '', 'export async function alpha(req, res) {}'),
    };
    expect(at(sources, '/a', 'GET')).toBe('/ws/controller.ts:3 ctl.alpha');
    expect(at(sources, '/b', 'GET')).toBe('/ws/server.ts:9 beta');
    expect(at(sources, '/c', 'GET')).toBe('/ws/server.ts:10 gamma');
    expect(at(sources, '/d', 'GET')).toMatch(/no declaration matches/);
    expect(at(sources, '/e', 'GET')).toMatch(/no declaration matches/);
  });
});

describe('Express exports and mounts', () => {
  it('follows an export under another name, typed routers, and mounts after middleware, but not after an unknown prefix', () => {
    const sources = {
      '/ws/app.ts': lines(
        "import express from 'express';",
        "const { api } = require('./api');",
        "const v2 = require('./v2').version2;",
        'const app = express();',
        "app.use('/api', api);",
        "app.use('/v2', v2);",
      ),
      '/ws/api.ts': lines(
        "import express, { Router } from 'express';",
        'const apiRouter: Router = Router();',
        'const users: express.Router = express.Router();',
        'const computed = Router();',
        "users.get('/users', (req, res) => {});",
        "computed.get('/computed', (req, res) => {});",
        'apiRouter.use(authenticate, users);',
        "apiRouter.use(prefixFor('x'), computed);",
        'module.exports.api = apiRouter;',
      ),
      '/ws/v2.js': lines("const routerV2 = require('express').Router();", "routerV2.get('/status', (req, res) => {});", 'exports.version2 = routerV2;'),
    };
    expect(at(sources, '/api/users', 'GET')).toBe('/ws/api.ts:5 GET /users handler');
    expect(at(sources, '/v2/status', 'GET')).toBe('/ws/v2.js:2 GET /status handler');
    // A prefix that cannot be read is not taken for "no prefix": the router stays unjoined.
    expect(at(sources, '/api/computed', 'GET')).toMatch(/no declaration matches/);
    expect(at(sources, '/computed', 'GET')).toBe('/ws/api.ts:6 GET /computed handler');
  });
});

describe('NestJS', () => {
  it('joins the global prefix, a controller path given as an object, and methods with or without a path', () => {
    const sources = {
      '/ws/src/main.ts': lines('async function bootstrap() {', '  const app = await NestFactory.create(AppModule);', "  app.setGlobalPrefix('v1');", '}'),
      '/ws/src/cats.controller.ts': lines(
        "@Controller({ path: 'cats', version: '1' })",
        'export class CatsController {',
        '  @Get()',
        '  findAll() {}',
        '',
        "  @Post(':id/toys')",
        '  @HttpCode(204)',
        '  public async addToy() {}',
        '',
        "  @All('any')",
        '  private anything() {}',
        '',
        "  @Get(':id')",
        '  @UseGuards(AuthGuard)',
        "  @Header('Cache-Control', 'none')",
        "  public async findOne(@Param('id') id: string) {}",
        '}',
      ),
    };
    expect(at(sources, '/v1/cats', 'GET')).toBe('/ws/src/cats.controller.ts:4 CatsController.findAll');
    expect(at(sources, '/v1/cats/:id/toys', 'POST')).toBe('/ws/src/cats.controller.ts:8 CatsController.addToy');
    expect(at(sources, '/v1/cats/any', 'DELETE')).toBe('/ws/src/cats.controller.ts:11 CatsController.anything');
    expect(at(sources, '/cats', 'GET')).toMatch(/no declaration matches/);
    expect(at(sources, '/v1/cats/:id', 'GET')).toBe('/ws/src/cats.controller.ts:16 CatsController.findOne');
  });
});
