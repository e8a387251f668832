// Routes the user maps by hand (`traceLens.routeHandlers`), for frameworks Trace Lens does not read or prefixes
// it cannot see statically: "GET /api/books" → "src/books.js#listBooks". A hand mapping wins over what was read.
import { functionStarts } from '../functionOutline';
import type { RouteDeclaration } from './routeIndex';
import { canonicalRoute, routeMethod } from './routeTemplate';

export const USER_FRAMEWORK = 'traceLens.routeHandlers';

export interface UserRoutes {
  declarations: RouteDeclaration[];
  /** One message per entry that could not be used, naming it and why. */
  problems: string[];
}

/** `resolveFile`: a path as written (relative to the workspace folder) to the workspace file, if there is one. */
export function userRoutes(
  entries: Record<string, unknown>,
  resolveFile: (path: string) => string | undefined,
  textOf: (file: string) => string | undefined,
): UserRoutes {
  const declarations: RouteDeclaration[] = [];
  const problems: string[] = [];
  for (const [route, target] of Object.entries(entries)) {
    const m = typeof target === 'string' ? /^(.+?)#([\w$.]+)$/.exec(target.trim()) : null;
    if (!m) {
      problems.push(`traceLens.routeHandlers["${route}"]: expected "path/to/file#functionName", got ${JSON.stringify(target)}`);
      continue;
    }
    const file = resolveFile(m[1]);
    const text = file && textOf(file);
    if (!file || text === undefined) {
      problems.push(`traceLens.routeHandlers["${route}"]: no file ${m[1]} in the workspace`);
      continue;
    }
    const name = m[2].split('.').pop()!;
    const start = functionStarts(text).find((f) => f.name === name);
    if (!start) {
      problems.push(`traceLens.routeHandlers["${route}"]: no function ${name} found in ${m[1]}`);
      continue;
    }
    const method = routeMethod(route);
    declarations.push({
      template: canonicalRoute(route),
      methods: method ? [method] : ['*'],
      file,
      line: start.line + 1,
      handler: m[2],
      framework: USER_FRAMEWORK,
      inline: false,
      secondary: false,
    });
  }
  return { declarations, problems };
}
