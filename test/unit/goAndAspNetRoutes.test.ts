// Go (net/http patterns, gin/echo groups, chi) and ASP.NET Core (attribute routing with tokens, minimal APIs)
// route declarations: each form a real service uses, the line the lens goes on, and what is not a route.
import { describe, expect, it } from 'vitest';
import { at, lines } from '../support/routeAt';

const NONE = /no declaration matches/;

describe('Go', () => {
  const server = {
    '/ws/cmd/main.go': lines(
      'package main',
      '',
      'func main() {',
      '\tmux := http.NewServeMux()',
      '\tmux.HandleFunc("POST /items", createItem)',
      '\tmux.Handle("/healthz", http.HandlerFunc(health))',
      '\tmux.HandleFunc("example.com/hosted", hosted)',
      '\tr := gin.Default()',
      '\tv1 := r.Group("/v1")',
      '\tadmin := v1.Group("/admin")',
      '\tadmin.DELETE("/users/:id", h.DeleteUser)',
      '\tv1.Any("/echo", func(c *gin.Context) {})',
      '\tc := chi.NewRouter()',
      '\tc.Patch("/orders/{id}", patchOrder)',
      '\tc.Get("/missing", nowhere)',
      '\tc.Get("/one")',
      '}',
      '',
      'func createItem(w http.ResponseWriter, r *http.Request) {}',
      'func health(w http.ResponseWriter, r *http.Request) {}',
      'func (h *Handlers) DeleteUser(c *gin.Context) {}',
      'func patchOrder(w http.ResponseWriter, r *http.Request) {}',
      'func hosted(w http.ResponseWriter, r *http.Request) {}',
    ),
  };

  it('reads net/http patterns with and without a method or host, and the handler wrapped in HandlerFunc', () => {
    expect(at(server, '/items', 'POST')).toBe('/ws/cmd/main.go:19 createItem');
    expect(at(server, '/items', 'GET')).toMatch(/declared only for POST/);
    expect(at(server, '/healthz', 'GET')).toBe('/ws/cmd/main.go:20 health');
    expect(at(server, '/hosted', 'GET')).toBe('/ws/cmd/main.go:23 hosted');
  });

  it('joins gin groups of groups, takes methods from gin and chi names, and puts an inline func on its line', () => {
    expect(at(server, '/v1/admin/users/:id', 'DELETE')).toBe('/ws/cmd/main.go:21 DeleteUser');
    expect(at(server, '/v1/echo', 'PUT')).toBe('/ws/cmd/main.go:12 inline handler');
    expect(at(server, '/orders/{id}', 'PATCH')).toBe('/ws/cmd/main.go:22 patchOrder');
    expect(at(server, '/missing', 'GET')).toMatch(NONE);
    expect(at(server, '/one', 'GET')).toMatch(NONE);
  });
});

describe('ASP.NET Core', () => {
  const sources = {
    '/ws/Controllers/OrdersController.cs': lines(
      '[ApiController]',
      '[Route("api/[controller]/[action]")]',
      'public class OrdersController : ControllerBase',
      '{',
      '    [HttpPost]',
      '    [HttpPut("{id}")]',
      '    public IActionResult Save(int id) { return Ok(); }',
      '',
      '    [Route("legacy/{id}")]',
      '    public IActionResult Legacy(int id) { return Ok(); }',
      '',
      '    [Authorize]',
      '    public IActionResult NotRouted() { return Ok(); }',
      '',
      '    [HttpDelete("/absolute/{id}")]',
      '    public IActionResult Remove(int id) { return Ok(); }',
      '',
      '    [HttpGet("~/home")]',
      '    public IActionResult Home() { return Ok(); }',
      '}',
    ),
    '/ws/Controllers/Catalog.cs': lines(
      '[Route("api/items")]',
      'public class ItemsController : ControllerBase',
      '{',
      '    [HttpGet("{id}", Name = "GetItem")]',
      '    public IActionResult Get(int id) => Ok();',
      '}',
      '',
      '[Route("api/tags")]',
      'public class TagsController : ControllerBase',
      '{',
      '    [HttpGet("{id}")]',
      '    public IActionResult Get(int id) => Ok();',
      '}',
    ),
    '/ws/Program.cs': lines(
      'var app = builder.Build();',
      'app.MapPut("/things/{id}", Handlers.UpdateThing);',
      'app.MapDelete("/things/{id}", (int id) => Results.NoContent());',
      'app.MapGet("/only-a-path");',
      'public static class Handlers',
      '{',
      '    public static async Task<IResult> UpdateThing(int id) => Results.Ok();',
      '}',
    ),
  };

  it('replaces [controller] and [action], reads several verbs on one action and a verb-less [Route]', () => {
    expect(at(sources, 'api/Orders/Save', 'POST')).toBe('/ws/Controllers/OrdersController.cs:7 OrdersController.Save');
    expect(at(sources, 'api/Orders/Save/{id}', 'PUT')).toBe('/ws/Controllers/OrdersController.cs:7 OrdersController.Save');
    expect(at(sources, 'api/Orders/Legacy/legacy/{id}', 'GET')).toBe('/ws/Controllers/OrdersController.cs:10 OrdersController.Legacy');
    expect(at(sources, 'api/Orders/NotRouted', 'GET')).toMatch(NONE);
    // An absolute template ("/…" or "~/…") leaves the controller's route out.
    expect(at(sources, '/absolute/{id}', 'DELETE')).toBe('/ws/Controllers/OrdersController.cs:16 OrdersController.Remove');
    expect(at(sources, '/home', 'GET')).toBe('/ws/Controllers/OrdersController.cs:19 OrdersController.Home');
  });

  it('gives each action to the controller declared above it when a file holds two, past extra attribute arguments', () => {
    expect(at(sources, 'api/items/{id}', 'GET')).toBe('/ws/Controllers/Catalog.cs:5 ItemsController.Get');
    expect(at(sources, 'api/tags/{id}', 'GET')).toBe('/ws/Controllers/Catalog.cs:12 TagsController.Get');
  });

  it('places a minimal API handler at its method, an inline lambda on its own line, and skips a call without a handler', () => {
    expect(at(sources, '/things/{id}', 'PUT')).toBe('/ws/Program.cs:7 UpdateThing');
    expect(at(sources, '/things/{id}', 'DELETE')).toBe('/ws/Program.cs:3 DELETE /things/{id} handler');
    expect(at(sources, '/only-a-path', 'GET')).toMatch(NONE);
  });
});
