// What a route hover says about the declaration it chose: the framework and methods read from the code, for
// each reader, and the path pieces that differ by framework (Go hosts and methods, Rails' nested ids).
import { describe, expect, it } from 'vitest';
import { lines } from '../support/routeAt';
import { readRoutes, RouteIndex } from '../../src/core/code/routes/routeIndex';

function how(sources: Record<string, string>, route: string, method: string): string {
  const i = RouteIndex.fromFiles(
    readRoutes(Object.keys(sources), (f) => sources[f]),
    ['/ws'],
  );
  const m = i.match(route, method);
  return 'how' in m ? m.how.replace(/^route \S+ \S+: /, '') : m.unresolved;
}

describe('the declaration a match names', () => {
  it('Python: the framework of the group, or of the decorator when the group is made elsewhere', () => {
    const sources = {
      '/ws/app.py': lines(
        'from flask import Flask',
        'from routes import api',
        'import routes.more as more',
        'app = Flask(__name__)',
        "app.register_blueprint(more.extra, url_prefix='/more')",
        "@api.route('/flask-style')",
        'def flask_style():',
        '    pass',
        "@api.post('/fastapi-style')",
        'def fastapi_style():',
        '    pass',
        "@app.get('/own')",
        'def own():',
        '    pass',
      ),
      '/ws/routes/__init__.py': 'api = make_router()\n',
      '/ws/routes/more.py': lines(
        'from flask import Blueprint',
        "extra = Blueprint('extra', __name__)",
        "@extra.route('/x', methods=('GET', 'PUT'))",
        'def x():',
        '    pass',
      ),
    };
    expect(how(sources, '/flask-style', 'GET')).toBe('Flask declaration GET /flask-style → flask_style');
    expect(how(sources, '/fastapi-style', 'POST')).toBe('FastAPI declaration POST /fastapi-style → fastapi_style');
    expect(how(sources, '/own', 'GET')).toBe('Flask declaration GET /own → own');
    expect(how(sources, '/more/x', 'PUT')).toBe('Flask declaration GET,PUT /more/x → x');
  });

  it('Django: a function view answers any method, a class view the HTTP methods', () => {
    const sources = {
      '/ws/urls.py': lines('from views import index, Detail', 'urlpatterns = [', "    path('', index),", "    path('d/', Detail.as_view()),", ']'),
      '/ws/views.py': lines('def index(request):', '    pass', 'class Detail(View):', '    pass'),
    };
    expect(how(sources, '/', 'PATCH')).toBe('Django declaration * / → index');
    expect(how(sources, '/d/', 'PATCH')).toMatch(/^Django declaration GET,POST,PUT,PATCH,DELETE\S* \/d → Detail$/);
  });

  it('Go: the router family, and a method and host in a net/http pattern', () => {
    const sources = {
      '/ws/main.go': lines(
        'func main() {',
        '\tmux.HandleFunc("DELETE api.example.com/items/{id}", del)',
        '\tr.GET("/gin", g)',
        '\tc.Get("/chi", g)',
        '\tmux.HandleFunc(pattern, g)',
        '}',
        'func del(w http.ResponseWriter, r *http.Request) {}',
        'func g(w http.ResponseWriter, r *http.Request) {}',
      ),
    };
    expect(how(sources, '/items/{id}', 'DELETE')).toBe('net/http declaration DELETE /items/{} → del');
    expect(how(sources, '/gin', 'GET')).toBe('gin/echo declaration GET /gin → g');
    expect(how(sources, '/chi', 'GET')).toBe('chi declaration GET /chi → g');
  });

  it('Rails: nested resources take the singular of their parent for its id', () => {
    const sources = {
      '/ws/config/routes.rb': lines(
        'Rails.application.routes.draw do',
        '  resources :categories do',
        '    resources :items, only: [:index]',
        '  end',
        '  resources :boxes, except: :show',
        '  root "boxes#index"',
        'end',
      ),
      '/ws/app/controllers/items_controller.rb': 'class ItemsController\n  def index\n  end\nend\n',
      '/ws/app/controllers/boxes_controller.rb': 'class BoxesController\n  def index\n  end\n  def show\n  end\nend\n',
    };
    expect(how(sources, '/categories/:category_id/items', 'GET')).toBe('Rails declaration GET /categories/{}/items → ItemsController#index');
    expect(how(sources, '/boxes/:id', 'GET')).toMatch(/no declaration matches/);
    expect(how(sources, '/', 'GET')).toBe('Rails declaration GET / → BoxesController#index');
  });
});
