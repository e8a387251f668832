// Route declarations read per framework from source text, joined into full templates, and matched to a span's
// route and method: what the corpus apps do not cover (NestJS, JAX-RS, Go, ties, methods, test code).
import { describe, expect, it } from 'vitest';
import { readRoutes, RouteIndex } from '../../src/core/code/routes/routeIndex';
import { canonicalRoute } from '../../src/core/code/routes/routeTemplate';
import { userRoutes } from '../../src/core/code/routes/userRoutes';

function index(sources: Record<string, string>, roots = ['/ws']): RouteIndex {
  const files = Object.keys(sources);
  return RouteIndex.fromFiles(
    readRoutes(files, (f) => sources[f]),
    roots,
  );
}

function at(i: RouteIndex, route: string, method?: string): string {
  const m = i.match(route, method);
  return 'file' in m ? `${m.file}:${m.line}` : m.unresolved;
}

describe('route templates', () => {
  it("spell every framework's parameters one way", () => {
    const same = [
      '/owners/{ownerId}/pets',
      '/owners/:ownerId/pets',
      '/owners/<int:owner_id>/pets',
      '/owners/{id:int}/pets/',
      'owners/(?P<pk>[0-9]+)/pets',
      '/owners/[id]/pets',
      'GET /owners/{id}/pets',
    ];
    expect(new Set(same.map(canonicalRoute))).toEqual(new Set(['/owners/{}/pets']));
    expect(canonicalRoute('/articles/:slug(.:format)')).toBe('/articles/{}');
    expect(canonicalRoute('api/v1/^questions/(?P<pk>[0-9]+)/$')).toBe('/api/v1/questions/{}');
    expect(canonicalRoute('/files/*')).toBe('/files/{*}');
    expect(canonicalRoute('/')).toBe('/');
  });
});

describe('route declarations', () => {
  it('NestJS: controller prefix, method decorators and the global prefix', () => {
    const i = index({
      '/ws/src/main.ts': "const app = await NestFactory.create(AppModule);\napp.setGlobalPrefix('api');\n",
      '/ws/src/cats/cats.controller.ts': [
        "@Controller('cats')",
        'export class CatsController {',
        '  @Get()',
        '  findAll() { return []; }',
        '',
        "  @Get(':id')",
        "  findOne(@Param('id') id: string) { return id; }",
        '',
        '  @Post()',
        '  async create(@Body() dto: CreateCatDto) {}',
        '}',
      ].join('\n'),
    });
    expect(at(i, '/api/cats', 'GET')).toBe('/ws/src/cats/cats.controller.ts:4');
    expect(at(i, '/api/cats/:id', 'GET')).toBe('/ws/src/cats/cats.controller.ts:7');
    expect(at(i, '/api/cats', 'POST')).toBe('/ws/src/cats/cats.controller.ts:10');
  });

  it('JAX-RS: @Path on class and method with the verb annotations', () => {
    const i = index({
      '/ws/src/main/java/shop/OrderResource.java': [
        'package shop;',
        '@Path("/orders")',
        '@Produces(MediaType.APPLICATION_JSON)',
        'public class OrderResource {',
        '    @GET',
        '    @Path("/{id}")',
        '    public Order get(@PathParam("id") long id) { return null; }',
        '',
        '    @POST',
        '    public Response create(Order order) { return null; }',
        '}',
      ].join('\n'),
    });
    expect(at(i, '/orders/{id}', 'GET')).toBe('/ws/src/main/java/shop/OrderResource.java:7');
    expect(at(i, '/orders', 'POST')).toBe('/ws/src/main/java/shop/OrderResource.java:10');
  });

  it('Go: net/http 1.22 patterns with methods, gin groups of groups, and chi', () => {
    const i = index({
      '/ws/cmd/api/main.go': [
        'package main',
        'func main() {',
        '  mux := http.NewServeMux()',
        '  mux.HandleFunc("GET /items/{id}", getItem)',
        '  mux.HandleFunc("POST /items", createItem)',
        '  r := gin.Default()',
        '  v1 := r.Group("/v1")',
        '  users := v1.Group("/users")',
        '  users.GET("/:id", showUser)',
        '  users.POST("", func(c *gin.Context) {',
        '  })',
        '}',
        'func getItem(w http.ResponseWriter, r *http.Request) {}',
        'func createItem(w http.ResponseWriter, r *http.Request) {}',
        'func showUser(c *gin.Context) {}',
      ].join('\n'),
    });
    expect(at(i, '/items/{id}', 'GET')).toBe('/ws/cmd/api/main.go:13');
    expect(at(i, '/items', 'POST')).toBe('/ws/cmd/api/main.go:14');
    expect(at(i, '/v1/users/:id', 'GET')).toBe('/ws/cmd/api/main.go:15');
    expect(at(i, '/v1/users', 'POST')).toBe('/ws/cmd/api/main.go:10');
  });

  it('Express: app.route chains, a handler wrapped by a helper, and a prefix constant', () => {
    const i = index({
      '/ws/server.js': [
        "const express = require('express');",
        "const API = '/api';",
        'const app = express();',
        "app.route(API + '/books')",
        '  .get(listBooks)',
        '  .post(asyncHandler(addBook));',
        "app.use(API, require('./reviews'));",
        'function listBooks(req, res) {}',
        'async function addBook(req, res) {}',
      ].join('\n'),
      '/ws/reviews.js': "const router = require('express').Router();\nrouter.get('/reviews/:id', (req, res) => res.end());\nmodule.exports = router;\n",
    });
    expect(at(i, '/api/reviews/:id', 'GET')).toBe('/ws/reviews.js:2');
    // `API + '/books'` is not a value read statically: unresolved, never a guess.
    expect(at(i, '/api/books', 'GET')).toMatch(/^route GET \/api\/books: no declaration matches/);
  });
});

describe('route declarations without a runtime here (no Ruby, no .NET on this machine)', () => {
  it('Rails: resources with only/except, nesting, namespaces and plain routes to controller actions', () => {
    const controller = (name: string, actions: string[]) => `class ${name} < ApplicationController\n${actions.map((a) => `  def ${a}\n  end\n`).join('')}end\n`;
    const i = index({
      '/ws/config/routes.rb': [
        'Rails.application.routes.draw do',
        '  root "articles#index"',
        '  get "about", to: "pages#about"',
        '  resources :articles, only: [:index, :show, :create] do',
        '    resources :comments, except: :destroy',
        '  end',
        '  namespace :api do',
        '    resources :orders, only: [:show]',
        '  end',
        'end',
      ].join('\n'),
      '/ws/app/controllers/articles_controller.rb': controller('ArticlesController', ['index', 'show', 'create']),
      '/ws/app/controllers/comments_controller.rb': controller('CommentsController', ['index', 'create', 'new', 'show', 'edit', 'update']),
      '/ws/app/controllers/pages_controller.rb': controller('PagesController', ['about']),
      '/ws/app/controllers/api/orders_controller.rb': controller('Api::OrdersController', ['show']),
    });
    expect(at(i, '/', 'GET')).toBe('/ws/app/controllers/articles_controller.rb:2');
    expect(at(i, '/about', 'GET')).toBe('/ws/app/controllers/pages_controller.rb:2');
    expect(at(i, '/articles/:id(.:format)', 'GET')).toBe('/ws/app/controllers/articles_controller.rb:4');
    expect(at(i, '/articles(.:format)', 'POST')).toBe('/ws/app/controllers/articles_controller.rb:6');
    expect(at(i, '/articles/:article_id/comments/:id(.:format)', 'PATCH')).toBe('/ws/app/controllers/comments_controller.rb:12');
    expect(at(i, '/articles/:id(.:format)', 'DELETE')).toBe('route DELETE /articles/:id(.:format): declared only for GET');
    expect(at(i, '/api/orders/:id(.:format)', 'GET')).toBe('/ws/app/controllers/api/orders_controller.rb:2');
  });

  it('ASP.NET Core: [Route] with [controller] on the class, [HttpGet("{id}")] on actions, and minimal API groups', () => {
    const i = index({
      '/ws/Controllers/TodoItemsController.cs': [
        '[Route("api/[controller]")]',
        '[ApiController]',
        'public class TodoItemsController : ControllerBase',
        '{',
        '    [HttpGet]',
        '    public async Task<ActionResult<IEnumerable<TodoItem>>> GetTodoItems() => await _context.TodoItems.ToListAsync();',
        '',
        '    [HttpGet("{id}")]',
        '    public async Task<ActionResult<TodoItem>> GetTodoItem(long id)',
        '    {',
        '        return await _context.TodoItems.FindAsync(id);',
        '    }',
        '}',
      ].join('\n'),
      '/ws/Program.cs': [
        'var app = builder.Build();',
        'var todos = app.MapGroup("/todos");',
        'todos.MapGet("/{id}", GetTodo);',
        'app.MapPost("/echo", async (HttpContext ctx) => Results.Ok());',
        'static async Task<IResult> GetTodo(int id, TodoDb db) => TypedResults.Ok(await db.Todos.FindAsync(id));',
      ].join('\n'),
    });
    expect(at(i, 'api/TodoItems', 'GET')).toBe('/ws/Controllers/TodoItemsController.cs:6');
    expect(at(i, 'api/TodoItems/{id}', 'GET')).toBe('/ws/Controllers/TodoItemsController.cs:9');
    expect(at(i, '/todos/{id}', 'GET')).toBe('/ws/Program.cs:5');
    expect(at(i, '/echo', 'POST')).toBe('/ws/Program.cs:4');
  });
});

describe('ranking', () => {
  const flask = (route: string, fn: string) => `from flask import Blueprint\nbp = Blueprint("x", __name__)\n\n@bp.route("${route}")\ndef ${fn}():\n    pass\n`;

  it('ranks declarations in tests last, and says when only tests declare a route', () => {
    const i = index({
      '/ws/app/views.py': flask('/hello', 'hello'),
      '/ws/tests/test_views.py': flask('/hello', 'stub'),
      '/ws/tests/conftest.py': flask('/only-in-tests', 'stub'),
    });
    expect(at(i, '/hello', 'GET')).toBe('/ws/app/views.py:5');
    expect(at(i, '/only-in-tests', 'GET')).toBe('route GET /only-in-tests: declared only in test, example or vendored code (/ws/tests/conftest.py:5)');
  });

  it('judges test code inside the workspace folder, not by folders above it', () => {
    const i = index({ '/home/me/test/shop/app/views.py': flask('/hello', 'hello') }, ['/home/me/test/shop']);
    expect(at(i, '/hello', 'GET')).toBe('/home/me/test/shop/app/views.py:5');
  });

  it('leaves a tie unresolved and names both places', () => {
    const i = index({ '/ws/a/views.py': flask('/hello', 'hello'), '/ws/b/views.py': flask('/hello', 'hello') });
    expect(at(i, '/hello', 'GET')).toBe('route GET /hello: 2 declarations tie (/ws/a/views.py:5, /ws/b/views.py:5); not guessing');
  });

  it('lets the HTTP method pick between handlers of one path, and names the methods a path has', () => {
    const i = index({
      '/ws/src/main/java/x/OwnerController.java':
        'class OwnerController {\n  @GetMapping("/owners/new")\n  public String initForm() { return ""; }\n  @PostMapping("/owners/new")\n  public String process() { return ""; }\n}\n',
    });
    expect(at(i, '/owners/new', 'GET')).toBe('/ws/src/main/java/x/OwnerController.java:3');
    expect(at(i, '/owners/new', 'POST')).toBe('/ws/src/main/java/x/OwnerController.java:5');
    expect(at(i, '/owners/new', 'DELETE')).toBe('route DELETE /owners/new: declared only for GET, POST');
    // Without a method on the span both handlers fit: a tie, not a guess.
    expect(at(i, '/owners/new')).toMatch(/2 declarations tie/);
  });
});

describe('hand mappings (traceLens.routeHandlers)', () => {
  const sources: Record<string, string> = {
    '/ws/server.js': "const app = require('express')();\napp.get(prefix() + '/books', listBooks);\nfunction listBooks(req, res) {}\n",
    '/ws/legacy/views.py': 'from flask import Flask\napp = Flask(__name__)\n\n@app.route("/books")\ndef old_books():\n    pass\n',
  };
  const resolveFile = (path: string) => (`/ws/${path}` in sources ? `/ws/${path}` : undefined);

  it('maps a route the readers cannot see to the named function, ahead of what they read', () => {
    const byHand = userRoutes(
      { 'GET /books': 'server.js#listBooks', '/nowhere': 'missing.js#x', '/bad': 42, '/nofn': 'server.js#absent' },
      resolveFile,
      (f) => sources[f],
    );
    expect(byHand.problems).toEqual([
      'traceLens.routeHandlers["/nowhere"]: no file missing.js in the workspace',
      'traceLens.routeHandlers["/bad"]: expected "path/to/file#functionName", got 42',
      'traceLens.routeHandlers["/nofn"]: no function absent found in server.js',
    ]);
    const read = RouteIndex.fromFiles(
      readRoutes(Object.keys(sources), (f) => sources[f]),
      ['/ws'],
    );
    expect(at(read, '/books', 'GET')).toBe('/ws/legacy/views.py:5');
    const withHand = new RouteIndex([...read.declarations, ...byHand.declarations]);
    expect(at(withHand, '/books', 'GET')).toBe('/ws/server.js:3');
    expect(at(withHand, '/books', 'POST')).toBe('route POST /books: declared only for GET');
  });
});
