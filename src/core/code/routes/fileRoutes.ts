// What one source file declares about HTTP routes, in terms every framework reader shares: route groups (an
// app, a Flask blueprint, an Express router, a Spring controller, a gin group) with their own prefixes, routes
// declared on a group, groups mounted on other groups under a prefix, and what the file imports and exports so
// mounts can cross files. The route index joins the files.

/** A group named in a file: a variable in this file, or something another module exports. */
export type GroupRef = { local: string } | { module: string; name: string };

export interface RouteGroup {
  /** The variable (or class) that holds it in this file. */
  name: string;
  /** Its own prefix ('' for none): Blueprint(url_prefix=), APIRouter(prefix=), @RequestMapping on a class. */
  prefix: string;
}

export interface DeclaredRoute {
  /** The group it is declared on; undefined for a route that is complete in itself (Spring, NestJS, Go mux). */
  group?: string;
  /** Upper-case HTTP methods, or ['*'] for any. */
  methods: string[];
  /** The path as written (relative to the group's prefix). */
  path: string;
  /** 1-based line of the handler's definition (where the CodeLens goes). */
  line: number;
  /** The handler's name, or a description ("anonymous handler"). */
  handler: string;
  /** Where the handler is defined, when not in this file. */
  handlerFile?: string;
  /** An inline function: the lens goes on this line, not on whatever named function encloses it. */
  inline?: boolean;
  framework: string;
}

export interface Mount {
  parent: string;
  child: GroupRef;
  prefix: string;
  /** Flask's register_blueprint(url_prefix=) replaces the blueprint's own prefix; elsewhere prefixes stack. */
  replacesChildPrefix?: boolean;
}

export interface FileRoutes {
  file: string;
  groups: RouteGroup[];
  routes: DeclaredRoute[];
  mounts: Mount[];
  /** Exported name ('default' for module.exports / export default) → local name. */
  exports: Map<string, string>;
  /** Local name → the module file it comes from and the name it has there ('*' for the module itself). */
  imports: Map<string, { module: string; name: string }>;
  /** A prefix every group of a framework gets (NestJS setGlobalPrefix). */
  globalPrefix?: { framework: string; prefix: string };
}

export function emptyFileRoutes(file: string): FileRoutes {
  return { file, groups: [], routes: [], mounts: [], exports: new Map(), imports: new Map() };
}

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
