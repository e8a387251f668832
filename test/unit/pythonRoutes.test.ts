// Flask and FastAPI route declarations as real apps spell them: blueprints and routers across modules and
// packages, prefixes from constants and mounts, method lists, add_url_rule with views and class-based views.
import { describe, expect, it } from 'vitest';
import { at, lines } from '../support/routeAt';

const NONE = /no declaration matches/;

describe('Flask', () => {
  const app = {
    '/ws/shop/__init__.py': lines(
      'import flask',
      'from flask import Flask',
      'from . import auth',
      'from .orders import bp as orders_bp, helper',
      'import shop.admin as admin_mod',
      "API = '/api'",
      'app = flask.Flask(__name__)',
      "app.register_blueprint(auth.bp, url_prefix='/auth')",
      'app.register_blueprint(orders_bp, url_prefix=API)',
      'app.register_blueprint(admin_mod)',
      "app.add_url_rule('/health', view_func=health)",
      "app.add_url_rule('/items', 'items', ItemView.as_view('items'))",
      "app.add_url_rule('/broken', view_func=lambda: 1)",
      '',
      'def health():',
      '    return "ok"',
      '',
      'class ItemView(MethodView):',
      '    pass',
    ),
    '/ws/shop/auth.py': lines(
      'from flask import Blueprint',
      "bp = Blueprint('auth', __name__, url_prefix='/ignored')",
      '',
      "@bp.route('/login', methods=['GET', \"POST\"])",
      '@login_required',
      'def login():',
      '    pass',
    ),
    '/ws/shop/orders.py': lines(
      'from flask import Blueprint',
      "bp: Blueprint = Blueprint('orders', __name__, url_prefix='/orders')",
      '',
      "@bp.route('/<int:order_id>')",
      'def show(order_id):',
      '    pass',
      '',
      "@bp.delete(rule='/<int:order_id>')",
      'async def cancel(order_id):',
      '    pass',
      '',
      '@bp.route(ORDERS_UNKNOWN)',
      'def unknown():',
      '    pass',
      '',
      'def helper(): pass',
    ),
    '/ws/shop/admin.py': lines(
      'from flask import Blueprint',
      "admin = Blueprint('admin', __name__, url_prefix='/admin')",
      "@admin.get('/stats')",
      'def stats():',
      '    pass',
    ),
  };

  it("joins blueprints mounted across a package, where the mount prefix replaces the blueprint's own", () => {
    expect(at(app, '/auth/login', 'POST')).toBe('/ws/shop/auth.py:6 login');
    expect(at(app, '/auth/login', 'GET')).toBe('/ws/shop/auth.py:6 login');
    expect(at(app, '/ignored/login', 'GET')).toMatch(NONE);
    // The mount's url_prefix (a constant) replaces /orders; without one the blueprint keeps its own.
    expect(at(app, '/api/<int:order_id>', 'GET')).toBe('/ws/shop/orders.py:5 show');
    expect(at(app, '/api/<int:order_id>', 'DELETE')).toBe('/ws/shop/orders.py:9 cancel');
  });

  it('reads add_url_rule with a view function and a class-based view, and skips what it cannot name', () => {
    expect(at(app, '/health', 'GET')).toBe('/ws/shop/__init__.py:15 health');
    expect(at(app, '/health', 'POST')).toMatch(/GET/);
    expect(at(app, '/items', 'PUT')).toBe('/ws/shop/__init__.py:18 ItemView');
    expect(at(app, '/broken', 'GET')).toMatch(NONE);
  });
});

describe('FastAPI', () => {
  it('joins APIRouter prefixes with include_router prefixes, and reads api_route method lists', () => {
    const sources = {
      '/ws/main.py': lines(
        'from fastapi import FastAPI',
        'from routers import items',
        'from routers.users import router as users_router',
        'app = FastAPI()',
        "app.include_router(items.router, prefix='/v1')",
        "app.include_router(users_router, prefix='/v1')",
        '',
        "@app.api_route('/ping', methods=['GET', 'HEAD'])",
        'async def ping():',
        '    pass',
      ),
      '/ws/routers/__init__.py': '',
      '/ws/routers/items.py': lines(
        'from fastapi import APIRouter',
        "router = APIRouter(prefix='/items')",
        '',
        "@router.get('/{item_id}')",
        'async def read_item(item_id: int):',
        '    pass',
      ),
      '/ws/routers/users.py': lines(
        'import fastapi',
        "router = fastapi.APIRouter(prefix='/users', tags=['u'])",
        '',
        "@router.put(path='/{user_id}')",
        'def update_user(user_id: int):',
        '    pass',
      ),
    };
    expect(at(sources, '/v1/items/{item_id}', 'GET')).toBe('/ws/routers/items.py:5 read_item');
    expect(at(sources, '/v1/users/{user_id}', 'PUT')).toBe('/ws/routers/users.py:5 update_user');
    expect(at(sources, '/ping', 'HEAD')).toBe('/ws/main.py:9 ping');
    expect(at(sources, '/ping', 'POST')).toMatch(/GET/);
  });

  it('reads a prefix constant and a module import that carry a trailing comment', () => {
    const sources = {
      '/ws/main.py': lines(
        'from fastapi import FastAPI',
        'import routers.orders as orders  # noqa: F401',
        "PREFIX = '/api'  # every route is under it",
        'app = FastAPI()',
        'app.include_router(orders.router, prefix=PREFIX)',
      ),
      '/ws/routers/__init__.py': '',
      '/ws/routers/orders.py': lines('from fastapi import APIRouter', 'router = APIRouter()', "@router.get('/orders')", 'def list_orders():', '    pass'),
    };
    expect(at(sources, '/api/orders', 'GET')).toBe('/ws/routers/orders.py:4 list_orders');
  });

  it('reads nothing from a file that never mentions a framework', () => {
    expect(at({ '/ws/x.py': "@cache.get('/a')\ndef a():\n    pass" }, '/a', 'GET')).toMatch(NONE);
  });
});
