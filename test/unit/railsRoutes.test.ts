// Rails' config/routes.rb read without Ruby: every action `resources` and `resource` make, `only:`/`except:`,
// nesting, namespaces and scopes, plain verbs inside a resource block, comments, and controllers that lack an action.
import { describe, expect, it } from 'vitest';
import { lines } from '../support/routeAt';
import { readRoutes, RouteIndex } from '../../src/core/code/routes/routeIndex';

const controller = (...actions: string[]) => lines('class X < ApplicationController', ...actions.map((a) => `  def ${a}\n  end`), 'end');

const SOURCES: Record<string, string> = {
  '/ws/shop/config/routes.rb': lines(
    'Rails.application.routes.draw do',
    '  # resources :ignored',
    '  root to: "home#index"',
    '  resources :categories, only: :index',
    '  resources :products, except: [:destroy, :edit] do',
    '    resources :reviews, only: [:create]',
    '    get "specs"',
    '  end',
    '  resource :profile',
    '  namespace :admin do',
    '    resources :users, only: %i[show]',
    '    get "stats", to: "dashboard#stats" # comment',
    '  end',
    '  resources :photos # , only: [:index] until the gallery ships',
    '  namespace :admin do',
    '    get "to-do", to: "tasks#index"',
    '  end',
    '  get "after", to: "pages#after"',
    '  scope "/v2" do',
    '    get "feed", to: "feeds#show"',
    '  end',
    '  scope path: "/legacy" do',
    "    match 'feed', to: 'feeds#show', via: :get",
    "    get 'faq', to: 'pages#faq' # see \"pages#old\" and 'x#y'",
    '    post "ping", to: "missing#ping"',
    '  end',
    'end',
  ),
  '/ws/shop/app/controllers/home_controller.rb': controller('index'),
  '/ws/shop/app/controllers/categories_controller.rb': controller('index', 'show'),
  '/ws/shop/app/controllers/products_controller.rb': controller('index', 'create', 'new', 'show', 'update', 'specs'),
  '/ws/shop/app/controllers/reviews_controller.rb': controller('create'),
  '/ws/shop/app/controllers/profiles_controller.rb': controller('index', 'show', 'edit', 'update', 'destroy'),
  '/ws/shop/app/controllers/admin/users_controller.rb': controller('show'),
  '/ws/shop/app/controllers/admin/dashboard_controller.rb': controller('stats'),
  '/ws/shop/app/controllers/feeds_controller.rb': controller('show'),
  '/ws/shop/app/controllers/pages_controller.rb': controller('faq', 'old', 'after'),
  '/ws/shop/app/controllers/photos_controller.rb': controller('index', 'show'),
  '/ws/shop/app/controllers/admin/tasks_controller.rb': controller('index'),
};

function at(route: string, method: string): string {
  const i = RouteIndex.fromFiles(
    readRoutes(Object.keys(SOURCES), (f) => SOURCES[f]),
    ['/ws'],
  );
  const m = i.match(route, method);
  return 'file' in m ? `${m.file.replace('/ws/shop/app/controllers/', '')}:${m.line} ${m.function}` : m.unresolved;
}

describe('Rails routes', () => {
  it('maps the root and each conventional action of resources, honouring only and except', () => {
    expect(at('/', 'GET')).toBe('home_controller.rb:2 HomeController#index');
    expect(at('/categories', 'GET')).toBe('categories_controller.rb:2 CategoriesController#index');
    expect(at('/categories/:id', 'GET')).toMatch(/no declaration matches/);
    expect(at('/products', 'POST')).toBe('products_controller.rb:4 ProductsController#create');
    expect(at('/products/new', 'GET')).toBe('products_controller.rb:6 ProductsController#new');
    expect(at('/products/:id', 'GET')).toBe('products_controller.rb:8 ProductsController#show');
    expect(at('/products/:id', 'PUT')).toBe('products_controller.rb:10 ProductsController#update');
    expect(at('/products/:id', 'PATCH')).toBe('products_controller.rb:10 ProductsController#update');
    // except: destroy and edit; and an action the controller does not define is no route.
    expect(at('/products/:id', 'DELETE')).toMatch(/declared only for/);
    expect(at('/products/:id/edit', 'GET')).toMatch(/no declaration matches/);
  });

  it("nests resources under the parent id, and a plain verb inside a block goes to the block's controller", () => {
    expect(at('/products/:product_id/reviews', 'POST')).toBe('reviews_controller.rb:2 ReviewsController#create');
    expect(at('/products/:product_id/specs', 'GET')).toBe('products_controller.rb:12 ProductsController#specs');
  });

  it('a singular resource has no index and no id, and its controller is plural', () => {
    expect(at('/profile', 'GET')).toBe('profiles_controller.rb:4 ProfilesController#show');
    expect(at('/profile/edit', 'GET')).toBe('profiles_controller.rb:6 ProfilesController#edit');
    expect(at('/profile', 'DELETE')).toBe('profiles_controller.rb:10 ProfilesController#destroy');
    expect(at('/profile/:id', 'GET')).toMatch(/no declaration matches/);
  });

  it('namespaces prefix the path and the controller module; scopes only the path; comments are no routes', () => {
    expect(at('/admin/users/:id', 'GET')).toBe('admin/users_controller.rb:2 Admin::UsersController#show');
    expect(at('/admin/stats', 'GET')).toBe('admin/dashboard_controller.rb:2 Admin::DashboardController#stats');
    expect(at('/legacy/feed', 'GET')).toBe('feeds_controller.rb:2 FeedsController#show');
    expect(at('/legacy/ping', 'POST')).toMatch(/no declaration matches/);
    expect(at('/ignored', 'GET')).toMatch(/no declaration matches/);
    // "#" inside quotes is no comment; after them it is, whatever quotes the comment holds.
    expect(at('/legacy/faq', 'GET')).toBe('pages_controller.rb:2 PagesController#faq');
    // A comment holding what would be an option does not apply it.
    expect(at('/photos/:id', 'GET')).toBe('photos_controller.rb:4 PhotosController#show');
    // "do" inside a path opens no block: the namespace ends where its own "end" is.
    expect(at('/admin/to-do', 'GET')).toBe('admin/tasks_controller.rb:2 Admin::TasksController#index');
    expect(at('/after', 'GET')).toBe('pages_controller.rb:6 PagesController#after');
    expect(at('/v2/feed', 'GET')).toBe('feeds_controller.rb:2 FeedsController#show');
  });
});
