// Code is not always written the way a formatter would: the route readers must find the same routes with
// spaces inside brackets and around operators, arguments across lines, and long names.
import { describe, expect, it } from 'vitest';
import { lines } from '../support/routeAt';
import { readRoutes, RouteIndex } from '../../src/core/code/routes/routeIndex';

function at(sources: Record<string, string>, route: string, method: string): string {
  const i = RouteIndex.fromFiles(
    readRoutes(Object.keys(sources), (f) => sources[f]),
    ['/ws'],
  );
  const m = i.match(route, method);
  return 'file' in m ? `${m.file}:${m.line} ${m.function}` : m.unresolved;
}

describe('declarations spaced as some code styles space them', () => {
  it('Express: requires, imports, exports, mounts and chained routes with spaces and line breaks', () => {
    const sources = {
      '/ws/server.js': lines(
        "const express = require( 'express' ) ;",
        "const { booksRouter : shelf , audioRouter } = require( './books' ) ;",
        "const reviewRoutes = require( './reviews' ).router ;",
        "import defaultThing , { named as renamed } from './things' ;",
        "const PREFIX = '/api' ;",
        'const application = express( ) ;',
        'application.use( PREFIX , shelf , audioRouter ) ;',
        "application.use( '/reviews' , reviewRoutes ) ;",
        "application.use( '/things' , defaultThing , renamed ) ;",
      ),
      '/ws/books.js': lines(
        "const express = require( 'express' ) ;",
        'const booksRouter = express.Router( ) ;',
        'const audioRouter = new express.Router( ) ;',
        "booksRouter.route( '/books' )",
        '  .get( listBooks )',
        '  .post( createBook ) ;',
        "audioRouter.get( '/audio' , async ( request , response ) => { } ) ;",
        'async function listBooks( request , response ) { }',
        'function createBook( request , response ) { }',
        'module.exports.booksRouter = booksRouter ;',
        'exports.audioRouter = audioRouter ;',
      ),
      '/ws/reviews.js': lines(
        "const router = require( 'express' ).Router( ) ;",
        "router.delete( '/:reviewId' , ( q , w ) => { } ) ;",
        'exports.router = router;',
      ),
      '/ws/things.js': lines(
        "import { Router } from 'express' ;",
        'const thingsRouter = Router( ) ;',
        'export const named = Router( ) ;',
        "thingsRouter.patch( '/one' , ( q , w ) => { } ) ;",
        "named.put( '/two' , ( q , w ) => { } ) ;",
        'export default thingsRouter ;',
      ),
    };
    expect(at(sources, '/api/books', 'GET')).toBe('/ws/books.js:8 listBooks');
    expect(at(sources, '/api/books', 'POST')).toBe('/ws/books.js:9 createBook');
    expect(at(sources, '/api/audio', 'GET')).toBe('/ws/books.js:7 GET /audio handler');
    expect(at(sources, '/reviews/:reviewId', 'DELETE')).toBe('/ws/reviews.js:2 DELETE /:reviewId handler');
    expect(at(sources, '/things/one', 'PATCH')).toBe('/ws/things.js:4 PATCH /one handler');
    expect(at(sources, '/things/two', 'PUT')).toBe('/ws/things.js:5 PUT /two handler');
  });

  it('Flask and FastAPI: constructors, decorators and mounts with spaces and line breaks', () => {
    const sources = {
      '/ws/app.py': lines(
        'from flask import Flask',
        'from views import ( accounts_blueprint as accounts , other )',
        'import api_routes as api',
        'application = Flask( __name__ )',
        'application.register_blueprint(',
        '    accounts ,',
        "    url_prefix = '/accounts' ,",
        ')',
        "application.register_blueprint( api.router_blueprint , url_prefix = '/api' )",
        "application.add_url_rule( '/status' , view_func = status_view , methods = [ 'GET' , 'POST' ] )",
        'def status_view( ) :',
        '    pass',
      ),
      '/ws/views.py': lines(
        'from flask import Blueprint',
        "accounts_blueprint = Blueprint( 'accounts' , __name__ )",
        "@accounts_blueprint.route( '/sign-in' , methods = [ 'POST' ] )",
        'async def sign_in( ) :',
        '    pass',
      ),
      '/ws/api_routes.py': lines(
        'from flask import Blueprint',
        "router_blueprint = Blueprint( 'api' , __name__ , url_prefix = '/ignored' )",
        "@router_blueprint.put( '/items/<int:item_id>' )",
        'def update_item( item_id ) :',
        '    pass',
      ),
    };
    expect(at(sources, '/accounts/sign-in', 'POST')).toBe('/ws/views.py:4 sign_in');
    expect(at(sources, '/api/items/{id}', 'PUT')).toBe('/ws/api_routes.py:4 update_item');
    expect(at(sources, '/status', 'POST')).toBe('/ws/app.py:11 status_view');
  });

  it('Go, ASP.NET Core and Django with spaces and line breaks', () => {
    const sources = {
      '/ws/main.go': lines(
        'func main( ) {',
        '\tengine := gin.Default( )',
        '\tversionOne := engine.Group( "/v1" )',
        '\tversionOne.POST( "/orders" , createOrder )',
        '}',
        'func createOrder( c * gin.Context ) { }',
      ),
      '/ws/Program.cs': lines(
        'var application = builder.Build( ) ;',
        'var ordersGroup = application.MapGroup( "/orders" ) ;',
        'ordersGroup.MapPost( "/{id}/cancel" , CancelOrder ) ;',
        'static async Task < IResult > CancelOrder( int id ) => Results.Ok( ) ;',
      ),
      '/ws/polls/urls.py': lines(
        'from django.urls import path',
        'from . import views',
        'urlpatterns = [',
        "    path( 'polls/<int:poll_id>/' , views.vote_view ) ,",
        ']',
      ),
      '/ws/polls/__init__.py': '',
      '/ws/polls/views.py': lines('def vote_view( request , poll_id ) :', '    pass'),
    };
    expect(at(sources, '/v1/orders', 'POST')).toBe('/ws/main.go:6 createOrder');
    expect(at(sources, '/orders/{id}/cancel', 'POST')).toBe('/ws/Program.cs:4 CancelOrder');
    expect(at(sources, '/polls/{id}/', 'GET')).toBe('/ws/polls/views.py:1 vote_view');
  });
});
