// Django urlpatterns and the route template spelling every framework is matched in: includes by dotted path
// and by module, function and class views, regex routes, and the parameter and wildcard forms frameworks write.
import { describe, expect, it } from 'vitest';
import { at, lines } from '../support/routeAt';
import { canonicalRoute, joinRoute, routeMethod } from '../../src/core/code/routes/routeTemplate';

describe('Django', () => {
  const site = {
    '/ws/site/urls.py': lines(
      'from django.urls import include, path, re_path',
      'from shop import urls as shop_urls',
      'from . import views',
      'urlpatterns = [',
      "    path('', views.home),",
      "    path('api/', include('polls.urls')),",
      "    path('shop/', include((shop_urls, 'shop'))),",
      "    path('missing/', include('nowhere.urls')),",
      "    path('ghost/', views.ghost),",
      '    path(route, views.other),',
      "    path('async/', views.later),",
      ']',
    ),
    '/ws/site/__init__.py': '',
    '/ws/site/views.py': lines(
      'from django.http import HttpResponse',
      '',
      'def home(request):',
      '    return HttpResponse()',
      '',
      'def other(request):',
      '    pass',
      '',
      'async def later(request):',
      '    pass',
    ),
    '/ws/polls/__init__.py': '',
    '/ws/polls/urls.py': lines(
      'from django.urls import path, re_path',
      'from .views import index as polls_index, DetailView',
      'urlpatterns = [',
      "    path('polls/', polls_index, name='index'),",
      "    re_path(r'^polls/(?P<pk>[0-9]+)/$', DetailView.as_view(template_name='polls/detail.html'), name='detail'),",
      ']',
    ),
    '/ws/polls/views.py': lines('def index(request):', '    pass', '', '', 'class DetailView(generic.DetailView):', '    model = Question'),
    '/ws/shop/__init__.py': '',
    '/ws/shop/urls.py': lines('from django.urls import path', 'def cart(request):', '    pass', 'urlpatterns = [path("cart/<int:id>/", cart)]'),
  };

  it('mounts included urls modules under their prefix, by dotted path and by imported module', () => {
    // A route held in a variable is not read: it never becomes "/" beside the real one.
    expect(at(site, '/', 'GET')).toBe('/ws/site/views.py:3 home');
    expect(at(site, '/async/', 'GET')).toBe('/ws/site/views.py:9 later');
    expect(at(site, '/api/polls/', 'POST')).toBe('/ws/polls/views.py:1 index');
    expect(at(site, '/shop/cart/{id}', 'GET')).toBe('/ws/shop/urls.py:2 cart');
  });

  it('places a class view at its class, for every method, and reads a regex route', () => {
    expect(at(site, '/api/polls/{pk}/', 'DELETE')).toBe('/ws/polls/views.py:5 DetailView');
  });

  it('declares nothing for a view with no definition or an include that resolves nowhere', () => {
    expect(at(site, '/ghost/', 'GET')).toMatch(/no declaration matches/);
    expect(at({ '/ws/x.py': "routes = [path('a/', view)]" }, '/a/', 'GET')).toMatch(/no declaration matches/);
  });
});

describe('route templates', () => {
  it('spell parameters, optional parameters, catch-alls and Next.js segments one way', () => {
    expect(canonicalRoute('/users/:id?/posts')).toBe('/users/{}/posts');
    expect(canonicalRoute('/files/*path')).toBe('/files/{*}');
    expect(canonicalRoute('/files/{*rest}')).toBe('/files/{*}');
    expect(canonicalRoute('/static/<path:filename>')).toBe('/static/{*}');
    expect(canonicalRoute('/blog/[...slug]')).toBe('/blog/{}');
    expect(canonicalRoute('/blog/[[...slug]]')).toBe('/blog/{}');
    expect(canonicalRoute('items//{id}/')).toBe('/items/{}');
    expect(canonicalRoute('delete /items/{id}')).toBe('/items/{}');
    expect(canonicalRoute('ANY /items')).toBe('/items');
    expect(canonicalRoute('/v1.0/items.json')).toBe('/v1.0/items.json');
    // A catch-all is a whole segment; inside a longer segment it is a parameter, or text.
    expect(canonicalRoute('/f/<path:p>.json')).toBe('/f/{}.json');
    expect(canonicalRoute('/f/{*p}.json')).toBe('/f/{}.json');
    expect(canonicalRoute('/f/*p.json')).toBe('/f/*p.json');
    expect(canonicalRoute('/a^b$/c')).toBe('/a^b/c');
    expect(canonicalRoute('GET  /spaced')).toBe('/spaced');
  });

  it('joins prefixes as frameworks do, and reads the method of "GET /x"', () => {
    expect(joinRoute('/api/', '', '/articles', ':id')).toBe('/api/articles/{}');
    expect(joinRoute('', '/')).toBe('/');
    expect(routeMethod('post /x')).toBe('POST');
    expect(routeMethod('GET/x')).toBeUndefined();
    expect(routeMethod('/x')).toBeUndefined();
  });
});
