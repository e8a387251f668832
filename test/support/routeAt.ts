// Route tests' shorthand: where a route (and method) lands among some source files, as "file:line function", or
// why it does not.
import { readRoutes, RouteIndex } from '../../src/core/code/routes/routeIndex';

export function at(sources: Record<string, string>, route: string, method?: string): string {
  const i = RouteIndex.fromFiles(
    readRoutes(Object.keys(sources), (f) => sources[f]),
    ['/ws'],
  );
  const m = i.match(route, method);
  return 'file' in m ? `${m.file}:${m.line}${m.function ? ` ${m.function}` : ''}` : m.unresolved;
}

/** A source file's text, a line per argument. */
export const lines = (...l: string[]) => l.join('\n');
