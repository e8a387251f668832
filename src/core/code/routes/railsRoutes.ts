// Routes in Rails' config/routes.rb: `resources :articles` (the seven conventional actions, `only:`/`except:`,
// nested resources), `resource :profile`, `get "about", to: "pages#about"`, `root "articles#index"`, inside
// `namespace :api do … end` and `scope "/admin" do … end` blocks. The handler is the action's `def` in
// app/controllers/<namespace>/<name>_controller.rb.
import { emptyFileRoutes, type FileRoutes } from './fileRoutes';

interface Frame {
  path: string;
  module: string;
  /** For `resources … do`: routes inside default to this controller. */
  controller?: string;
}

const ACTIONS: { action: string; method: string; suffix: string; member: boolean }[] = [
  { action: 'index', method: 'GET', suffix: '', member: false },
  { action: 'create', method: 'POST', suffix: '', member: false },
  { action: 'new', method: 'GET', suffix: '/new', member: false },
  { action: 'show', method: 'GET', suffix: '', member: true },
  { action: 'edit', method: 'GET', suffix: '/edit', member: true },
  { action: 'update', method: 'PATCH', suffix: '', member: true },
  { action: 'update', method: 'PUT', suffix: '', member: true },
  { action: 'destroy', method: 'DELETE', suffix: '', member: true },
];

function symbols(text: string | undefined): string[] | undefined {
  return text === undefined ? undefined : [...text.matchAll(/:(\w+)|["'](\w+)["']/g)].map((m) => m[1] ?? m[2]);
}

/** A Ruby line without its comment: `#` outside quotes ("articles#index" is no comment). */
function withoutComment(line: string): string {
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#') return line.slice(0, i);
  }
  return line;
}

function singular(name: string): string {
  return name.endsWith('ies') ? `${name.slice(0, -3)}y` : name.endsWith('s') ? name.slice(0, -1) : name;
}

export function railsRoutes(file: string, text: string, files: ReadonlySet<string>, textOf: (file: string) => string | undefined): FileRoutes {
  const result = emptyFileRoutes(file);
  if (!file.endsWith('/config/routes.rb')) return result;
  const appRoot = file.slice(0, -'/config/routes.rb'.length);
  const stack: Frame[] = [{ path: '', module: '' }];
  const add = (method: string, path: string, controller: string, action: string) => {
    const controllerFile = `${appRoot}/app/controllers/${controller}_controller.rb`;
    if (!files.has(controllerFile)) return;
    const source = textOf(controllerFile);
    const def = source && new RegExp(`^[ \\t]*def\\s+${action}\\b`, 'm').exec(source);
    if (!def) return;
    const line = source.slice(0, def.index).split('\n').length;
    result.routes.push({
      methods: [method],
      path,
      line,
      handler: `${controller.replace(/(^|_|\/)(\w)/g, (_, sep, c) => `${sep === '/' ? '::' : ''}${c.toUpperCase()}`)}Controller#${action}`,
      handlerFile: controllerFile,
      framework: 'Rails',
    });
  };
  for (const raw of text.split('\n')) {
    const line = withoutComment(raw).trim();
    const top = stack[stack.length - 1];
    const opensBlock = /\bdo(\s*\|[^|]*\|)?$/.test(line);
    let frame: Frame | undefined;
    let m: RegExpExecArray | null;
    if ((m = /^namespace\s+:(\w+)/.exec(line))) frame = { path: `${top.path}/${m[1]}`, module: `${top.module}${m[1]}/` };
    else if ((m = /^scope\s+(?:path:\s*)?["']([^"']+)["']/.exec(line))) frame = { path: `${top.path}/${m[1]}`, module: top.module };
    else if ((m = /^(resources|resource)\s+:(\w+)(.*)$/.exec(line))) {
      const plural = m[1] === 'resources';
      const name = m[2];
      const only = symbols(/only:\s*(\[[^\]]*\]|:\w+)/.exec(m[3])?.[1]);
      const except = symbols(/except:\s*(\[[^\]]*\]|:\w+)/.exec(m[3])?.[1]) ?? [];
      const controller = `${top.module}${plural ? name : `${name}s`}`;
      const base = `${top.path}/${name}`;
      for (const a of ACTIONS) {
        if ((only && !only.includes(a.action)) || except.includes(a.action) || (!plural && a.action === 'index')) continue;
        add(a.method, `${base}${a.member && plural ? '/:id' : ''}${a.suffix}`, controller, a.action);
      }
      frame = { path: plural ? `${base}/:${singular(name)}_id` : base, module: top.module, controller };
    } else if ((m = /^root\s+(?:to:\s*)?["'](\w+)#(\w+)["']/.exec(line))) add('GET', top.path || '/', `${top.module}${m[1]}`, m[2]);
    else if ((m = /^(get|post|put|patch|delete|match)\s+["']([^"']+)["'](?:.*?to:\s*["'](\w+)#(\w+)["'])?/.exec(line))) {
      const [verb, path, controller, action] = [m[1], m[2], m[3] ?? top.controller, m[4] ?? m[2].split('/').pop()!];
      if (controller) add(verb === 'match' ? 'GET' : verb.toUpperCase(), `${top.path}/${path}`, m[3] ? `${top.module}${controller}` : controller, action);
    }
    if (opensBlock) stack.push(frame ?? { ...top });
    else if (line === 'end' && stack.length > 1) stack.pop();
  }
  return result;
}
