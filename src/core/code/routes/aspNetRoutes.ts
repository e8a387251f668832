// Route declarations in ASP.NET Core: attribute routing (`[Route("api/[controller]")]` on the controller,
// `[HttpGet("{id}")]`, `[Route]` on actions, `[controller]`/`[action]` tokens) and minimal APIs
// (`app.MapGet("/p", handler)`, `var g = app.MapGroup("/x"); g.MapPost("/", …)`).
import { emptyFileRoutes, type FileRoutes } from './fileRoutes';
import { callArguments, lineAt, lineStartsOf, stringValue } from './sourceText';

const VERBS: Record<string, string> = {
  HttpGet: 'GET',
  HttpPost: 'POST',
  HttpPut: 'PUT',
  HttpPatch: 'PATCH',
  HttpDelete: 'DELETE',
  HttpHead: 'HEAD',
  HttpOptions: 'OPTIONS',
};
const MAP_VERBS: Record<string, string> = { MapGet: 'GET', MapPost: 'POST', MapPut: 'PUT', MapPatch: 'PATCH', MapDelete: 'DELETE', Map: '*' };

export function aspNetRoutes(file: string, text: string): FileRoutes {
  const result = emptyFileRoutes(file);
  if (!/\[Http|\[Route|\.Map(Get|Post|Put|Patch|Delete|Group)?\s*\(/.test(text)) return result;
  const lines = lineStartsOf(text);
  readControllers(text, lines, result);
  readMinimalApis(text, lines, result);
  return result;
}

function readControllers(text: string, lines: number[], result: FileRoutes): void {
  const classes = [...text.matchAll(/\bclass\s+(\w+)/g)].map((m) => ({ name: m[1], at: m.index! }));
  // A controller route naming [action] differs per action: it is joined onto each action's own path here.
  const perAction = new Map<string, string>();
  // Attribute lists right before a declaration ([Route("api/[controller]")] holds brackets in its string), then
  // the declaration up to its first bracket: `… class X` or a method `… Name(`.
  for (const m of text.matchAll(/((?:\[(?:[^\]"\n]|"[^"\n]*")*\]\s*)+)([^;{}()[\]=]*)([({])/g)) {
    const attributes = [...m[1].matchAll(/\[\s*(\w+)(?:\s*\(\s*("[^"\n]*")?(?:[^\]"\n]|"[^"\n]*")*\))?\s*\]/g)].map((a) => ({
      name: a[1],
      path: stringValue(a[2]),
    }));
    const cls = /\bclass\s+(\w+)/.exec(m[2]);
    const route = attributes.find((a) => a.name === 'Route')?.path;
    if (cls) {
      const name = cls[1];
      const prefix = (route ?? '').replace(/\[controller\]/gi, name.replace(/Controller$/, ''));
      if (/\[action\]/i.test(prefix)) perAction.set(name, prefix);
      result.groups.push({ name, prefix: perAction.has(name) ? '' : prefix });
      continue;
    }
    const owner = classes.filter((c) => c.at < m.index!).pop();
    const verbs = attributes.filter((a) => a.name in VERBS);
    const action = m[3] === '(' ? /(\w+)\s*$/.exec(m[2])?.[1] : undefined;
    if (!owner || !action || (!verbs.length && route === undefined)) continue;
    const line = lineAt(lines, m.index! + m[1].length + m[2].lastIndexOf(action));
    const entries = verbs.length ? verbs.map((v) => ({ method: VERBS[v.name], path: v.path ?? route ?? '' })) : [{ method: '*', path: route! }];
    for (const entry of entries) {
      // A template starting with "/" or "~/" is absolute: the controller's route does not apply.
      const absolute = /^~?\//.test(entry.path);
      result.routes.push({
        group: absolute ? undefined : owner.name,
        methods: [entry.method],
        path: (absolute ? entry.path.replace(/^~/, '') : `${perAction.get(owner.name) ?? ''}/${entry.path}`).replace(/\[action\]/gi, action),
        line,
        handler: `${owner.name}.${action}`,
        framework: 'ASP.NET Core',
      });
    }
  }
}

function readMinimalApis(text: string, lines: number[], result: FileRoutes): void {
  for (const m of text.matchAll(/\b(?:var|const)?\s*(\w+)\s*=\s*(\w+)\.MapGroup\(\s*("[^"]*")/g)) {
    result.groups.push({ name: m[1], prefix: stringValue(m[3]) ?? '' });
    result.mounts.push({ parent: m[2], child: { local: m[1] }, prefix: '' });
  }
  for (const m of text.matchAll(/\b(\w+)\.(MapGet|MapPost|MapPut|MapPatch|MapDelete)\s*\(/g)) {
    const call = callArguments(text, m.index! + m[0].length - 1);
    const path = stringValue(call?.args[0]?.text);
    const handler = call?.args[call.args.length - 1];
    if (!call || path === undefined || !handler || call.args.length < 2) continue;
    const named = /^(?:\w+\.)*(\w+)$/.exec(handler.text.trim())?.[1];
    const def = named && new RegExp(`\\b(?:static\\s+)?(?:async\\s+)?[\\w<>,\\s]+\\s${named}\\s*\\(`).exec(text);
    const line = def ? lineAt(lines, def.index + def[0].lastIndexOf(named)) : lineAt(lines, handler.start);
    result.routes.push({
      group: m[1],
      methods: [MAP_VERBS[m[2]]],
      path,
      line,
      handler: named ?? `${MAP_VERBS[m[2]]} ${path} handler`,
      inline: !def,
      framework: 'ASP.NET Core',
    });
  }
}
