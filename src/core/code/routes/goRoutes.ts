// Route declarations in Go: net/http 1.22 patterns (`mux.HandleFunc("GET /items/{id}", h)`), gin and echo
// (`r.GET("/p", h)`, `v1 := r.Group("/v1")`, groups of groups) and chi (`r.Get("/p", h)`). The handler is the
// named function (found in the file) or the inline `func(…)` literal.
import { emptyFileRoutes, type FileRoutes } from './fileRoutes';
import { routeMethod } from './routeTemplate';
import { callArguments, lineAt, lineStartsOf, stringValue } from './sourceText';

const VERBS: Record<string, string> = {
  GET: 'GET',
  POST: 'POST',
  PUT: 'PUT',
  PATCH: 'PATCH',
  DELETE: 'DELETE',
  HEAD: 'HEAD',
  OPTIONS: 'OPTIONS',
  Any: '*',
  Get: 'GET',
  Post: 'POST',
  Put: 'PUT',
  Patch: 'PATCH',
  Delete: 'DELETE',
  Head: 'HEAD',
  Options: 'OPTIONS',
};

export function goRoutes(file: string, text: string): FileRoutes {
  const result = emptyFileRoutes(file);
  if (!/HandleFunc|Handle\(|\.GET\(|\.Get\(|\.POST\(|\.Group\(/.test(text)) return result;
  const lines = lineStartsOf(text);
  const handlerLine = (expression: string, at: number): { line: number; handler: string; inline?: boolean } | undefined => {
    if (expression.startsWith('func')) return { line: lineAt(lines, at), handler: 'inline handler', inline: true };
    const name = /(?:^|\.)(\w+)$/.exec(expression.replace(/^http\.HandlerFunc\((.*)\)$/, '$1'))?.[1];
    const def = name && new RegExp(`^func\\s+(?:\\([^)]*\\)\\s*)?${name}\\s*\\(`, 'm').exec(text);
    return def ? { line: lineAt(lines, def.index), handler: name } : undefined;
  };
  for (const m of text.matchAll(/\b(\w+)\s*:?=\s*(\w+)\.Group\(\s*("[^"]*")/g)) {
    result.groups.push({ name: m[1], prefix: stringValue(m[3]) ?? '' });
    result.mounts.push({ parent: m[2], child: { local: m[1] }, prefix: '' });
  }
  for (const m of text.matchAll(/\b(\w+)\.(HandleFunc|Handle|GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|Any|Get|Post|Put|Patch|Delete|Head|Options)\s*\(/g)) {
    const call = callArguments(text, m.index! + m[0].length - 1);
    const pattern = call && stringValue(call.args[0]?.text);
    const last = call?.args[call.args.length - 1];
    if (!call || pattern === undefined || !last || call.args.length < 2) continue;
    const handler = handlerLine(last.text, last.start);
    if (!handler) continue;
    const method = m[2].startsWith('Handle') ? (routeMethod(pattern) ?? '*') : VERBS[m[2]];
    const path = pattern.replace(/^[A-Z]+\s+/, '').replace(/^[^/]+(?=\/)/, '');
    result.routes.push({
      group: m[1],
      methods: [method],
      path,
      ...handler,
      framework: m[2].startsWith('Handle') ? 'net/http' : /^[A-Z]+$/.test(m[2]) ? 'gin/echo' : 'chi',
    });
  }
  return result;
}
