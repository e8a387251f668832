// Route declarations in JavaScript and TypeScript: Express (`app.get`, `router.post`, `app.route('/p').get(h)`,
// `express.Router()`, `app.use(prefix, router)` across files through require/import, prefixes held in constants
// or config objects) and NestJS (`@Controller(prefix)` + `@Get(path)`, `app.setGlobalPrefix`). The handler is the
// last function argument: an inline function (the lens goes on its line) or a named one, found where it is defined.
import { emptyFileRoutes, type DeclaredRoute, type FileRoutes, type GroupRef } from './fileRoutes';
import type { ModuleLookup } from './moduleLookup';
import { callArguments, lineAt, lineStartsOf, namedArgument, stringValue, type Argument } from './sourceText';

const VERBS = ['get', 'post', 'put', 'patch', 'delete', 'all', 'options', 'head'];
const NEST_VERBS = ['Get', 'Post', 'Put', 'Patch', 'Delete', 'All', 'Options', 'Head'];
const INLINE_FUNCTION = /^(?:async\s+)?(?:function\b|\([^)]*\)\s*(?::[^=]+)?=>|[A-Za-z_$][\w$]*\s*=>)/;

export interface JsContext {
  modules: ModuleLookup;
  textOf(file: string): string | undefined;
}

function definitionLine(text: string, name: string): number | undefined {
  const n = name.replace(/\$/g, '\\$');
  const pattern = new RegExp(
    `(?:^|\\n)[ \\t]*(?:export\\s+)?(?:async\\s+)?function\\s*\\*?\\s*${n}\\s*\\(|(?:^|\\n)[ \\t]*(?:export\\s+)?(?:const|let|var)\\s+${n}\\s*=|(?:^|\\n)[ \\t]*(?:module\\.)?exports\\.${n}\\s*=|(?:^|\\n)[ \\t]*(?:async\\s+)?${n}\\s*(?::\\s*(?:async\\s+)?function)?\\s*\\(`,
  );
  const m = pattern.exec(text);
  if (!m) return undefined;
  const offset = m.index + (m[0].startsWith('\n') ? 1 : 0);
  return text.slice(0, offset).split('\n').length;
}

class JsReader {
  readonly result: FileRoutes;
  private readonly lines: number[];
  private readonly constants = new Map<string, string>();

  constructor(
    private readonly file: string,
    private readonly text: string,
    private readonly context: JsContext,
  ) {
    this.result = emptyFileRoutes(file);
    this.lines = lineStartsOf(text);
    for (const m of text.matchAll(/\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*(['"`][^'"`\n]*['"`])\s*;?/g)) {
      const value = stringValue(m[2]);
      if (value !== undefined) this.constants.set(m[1], value);
    }
  }

  /** A prefix argument: a string, a constant, or `config.key` read from the imported config module's text. */
  value(arg: string | undefined): string | undefined {
    if (arg === undefined) return undefined;
    const literal = stringValue(arg) ?? this.constants.get(arg.trim());
    if (literal !== undefined) return literal;
    const member = /^([A-Za-z_$][\w$]*)\.([A-Za-z_$][\w$]*)$/.exec(arg.trim());
    if (!member) return undefined;
    const imported = this.result.imports.get(member[1]);
    const source = imported ? this.context.textOf(imported.module) : this.text;
    const found = source && new RegExp(`\\b${member[2]}\\s*:\\s*(['"\`][^'"\`\\n]*['"\`])`).exec(source);
    return found ? stringValue(found[1]) : undefined;
  }

  readImports(): void {
    const add = (local: string, spec: string, name: string) => {
      const module = this.context.modules.javascript(this.file, spec);
      if (module) this.result.imports.set(local, { module, name });
    };
    for (const m of this.text.matchAll(/\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*require\(\s*['"]([^'"]+)['"]\s*\)(?:\.([A-Za-z_$][\w$]*))?/g))
      add(m[1], m[2], m[3] ?? 'default');
    for (const m of this.text.matchAll(/\b(?:const|let|var)\s*\{([^}]*)\}\s*=\s*require\(\s*['"]([^'"]+)['"]\s*\)/g)) {
      for (const part of m[1].split(',')) {
        const [name, alias] = part.split(':').map((s) => s.trim());
        if (name) add(alias || name, m[2], name);
      }
    }
    for (const m of this.text.matchAll(/\bimport\s+([A-Za-z_$][\w$]*)?\s*,?\s*(?:\{([^}]*)\}|\*\s+as\s+([A-Za-z_$][\w$]*))?\s*from\s*['"]([^'"]+)['"]/g)) {
      if (m[1]) add(m[1], m[4], 'default');
      if (m[3]) add(m[3], m[4], '*');
      for (const part of (m[2] ?? '').split(',')) {
        const [name, alias] = part.split(/\s+as\s+/).map((s) => s.trim());
        if (name) add(alias || name, m[4], name);
      }
    }
  }

  readExports(): void {
    const defaultExport = /\b(?:module\.exports|export\s+default)\s*=?\s*([A-Za-z_$][\w$]*)\s*;?\s*$/m.exec(this.text);
    if (defaultExport) this.result.exports.set('default', defaultExport[1]);
    for (const m of this.text.matchAll(/\b(?:module\.)?exports\.([A-Za-z_$][\w$]*)\s*=\s*([A-Za-z_$][\w$]*)\s*;?\s*$/gm)) this.result.exports.set(m[1], m[2]);
    for (const m of this.text.matchAll(/\bexport\s+(?:const|let|var)\s+([A-Za-z_$][\w$]*)/g)) this.result.exports.set(m[1], m[1]);
  }

  readGroups(): void {
    for (const m of this.text.matchAll(
      /\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::\s*[\w.]+\s*)?=\s*(?:express\s*\(\s*\)|(?:new\s+)?(?:express\.|require\(\s*['"]express['"]\s*\)\.)?Router\s*\()/g,
    )) {
      this.result.groups.push({ name: m[1], prefix: '' });
    }
  }

  /** `x.verb('/p', …handlers)` and `x.route('/p').get(h).post(h2)`. */
  readRoutes(): void {
    const verbs = VERBS.join('|');
    for (const m of this.text.matchAll(new RegExp(`\\b([A-Za-z_$][\\w$]*)\\s*\\.\\s*(${verbs})\\s*\\(`, 'g'))) {
      const call = callArguments(this.text, m.index! + m[0].length - 1);
      // app.get('env') reads a setting: a route has a path and at least one handler.
      if (!call || call.args.length < 2) continue;
      const path = this.value(call.args[0].text);
      if (path === undefined) continue;
      this.addRoute(m[1], m[2], path, call.args.slice(1));
    }
    for (const m of this.text.matchAll(/\b([A-Za-z_$][\w$]*)\s*\.\s*route\s*\(/g)) {
      const call = callArguments(this.text, m.index! + m[0].length - 1);
      const path = call && this.value(call.args[0]?.text);
      if (!call || path === undefined) continue;
      let at = call.end;
      for (;;) {
        const next = new RegExp(`^\\s*\\.\\s*(${verbs})\\s*\\(`).exec(this.text.slice(at));
        if (!next) break;
        const chained = callArguments(this.text, at + next[0].length - 1);
        if (!chained) break;
        this.addRoute(m[1], next[1], path, chained.args);
        at = chained.end;
      }
    }
  }

  private addRoute(group: string, verb: string, path: string, handlers: Argument[]): void {
    const last = handlers[handlers.length - 1];
    if (!last) return;
    const method = verb === 'all' ? '*' : verb.toUpperCase();
    const inline = INLINE_FUNCTION.test(last.text);
    const where = inline ? { line: lineAt(this.lines, last.start), handler: `${method} ${path} handler`, inline } : this.namedHandler(last.text);
    if (where) this.result.routes.push({ group, methods: [method], path, framework: 'Express', ...where });
  }

  /** `getArticle`, `controller.getArticle`, `wrap(getArticle)`: where the function is defined. */
  private namedHandler(expression: string): Pick<DeclaredRoute, 'line' | 'handler' | 'handlerFile'> | undefined {
    const m = /^(?:[A-Za-z_$][\w$]*\()?([A-Za-z_$][\w$]*)(?:\.([A-Za-z_$][\w$]*))?\)?$/.exec(expression.trim());
    if (!m) return undefined;
    const [owner, member] = [m[1], m[2]];
    const imported = this.result.imports.get(owner);
    const name = member ?? (imported && imported.name !== 'default' && imported.name !== '*' ? imported.name : owner);
    const file = imported?.module ?? this.file;
    const text = file === this.file ? this.text : this.context.textOf(file);
    const line = text === undefined ? undefined : definitionLine(text, name);
    return line ? { line, handler: member ? `${owner}.${member}` : name, handlerFile: file === this.file ? undefined : file } : undefined;
  }

  /** `app.use('/api', router)`, `router.use('/articles', require('./articles'))`, `app.use(routes)`. */
  readMounts(): void {
    for (const m of this.text.matchAll(/\b([A-Za-z_$][\w$]*)\s*\.\s*use\s*\(/g)) {
      const call = callArguments(this.text, m.index! + m[0].length - 1);
      if (!call || call.args.length === 0) continue;
      const prefix = call.args.length > 1 ? this.value(call.args[0].text) : undefined;
      const refs = prefix === undefined && call.args.length > 1 && !this.ref(call.args[0].text) ? [] : call.args.slice(prefix === undefined ? 0 : 1);
      for (const arg of refs) {
        const child = this.ref(arg.text);
        if (child) this.result.mounts.push({ parent: m[1], child, prefix: prefix ?? '' });
      }
    }
  }

  private ref(expression: string): GroupRef | undefined {
    const required = /^require\(\s*['"]([^'"]+)['"]\s*\)(?:\.([A-Za-z_$][\w$]*))?$/.exec(expression.trim());
    if (required) {
      const module = this.context.modules.javascript(this.file, required[1]);
      return module ? { module, name: required[2] ?? 'default' } : undefined;
    }
    const m = /^([A-Za-z_$][\w$]*)(?:\.([A-Za-z_$][\w$]*))?$/.exec(expression.trim());
    if (!m) return undefined;
    const imported = this.result.imports.get(m[1]);
    if (imported) return m[2] ? { module: imported.module, name: m[2] } : { module: imported.module, name: imported.name };
    return m[2] ? undefined : { local: m[1] };
  }

  /** NestJS: `@Controller('cats')` on a class, `@Get(':id')` on its methods. */
  readNest(): void {
    const global = /\.setGlobalPrefix\(\s*(['"`][^'"`]*['"`])/.exec(this.text);
    if (global) this.result.globalPrefix = { framework: 'NestJS', prefix: stringValue(global[1]) ?? '' };
    if (!this.text.includes('@Controller')) return;
    for (const m of this.text.matchAll(/@Controller\s*\(/g)) {
      const call = callArguments(this.text, m.index! + m[0].length - 1);
      if (!call) continue;
      const first = call.args[0]?.text;
      const prefix = (first?.startsWith('{') ? this.value(namedArgument(objectEntries(first), 'path')) : this.value(first)) ?? '';
      const cls = /^[\s\S]*?\bclass\s+([A-Za-z_$][\w$]*)/.exec(this.text.slice(call.end));
      if (cls) this.result.groups.push({ name: cls[1], prefix });
    }
    this.readNestMethods();
  }

  private readNestMethods(): void {
    const classes = [...this.text.matchAll(/\bclass\s+([A-Za-z_$][\w$]*)/g)].map((m) => ({ name: m[1], at: m.index! }));
    for (const m of this.text.matchAll(new RegExp(`@(${NEST_VERBS.join('|')})\\s*\\(`, 'g'))) {
      const call = callArguments(this.text, m.index! + m[0].length - 1);
      if (!call) continue;
      const path = call.args.length ? this.value(call.args[0].text) : '';
      const method = /^(?:\s*@[\s\S]*?\)\s*)*\s*(?:public\s+|private\s+|async\s+)*([A-Za-z_$][\w$]*)\s*\(/.exec(this.text.slice(call.end));
      const owner = classes.filter((c) => c.at < m.index!).pop();
      if (path === undefined || !method || !owner) continue;
      const offset = call.end + method.index + method[0].lastIndexOf(method[1]);
      this.result.routes.push({
        group: owner.name,
        methods: [m[1] === 'All' ? '*' : m[1].toUpperCase()],
        path,
        line: lineAt(this.lines, offset),
        handler: `${owner.name}.${method[1]}`,
        framework: 'NestJS',
      });
    }
  }
}

function objectEntries(objectText: string): Argument[] {
  const call = callArguments(objectText, 0);
  return call?.args ?? [];
}

export function javascriptRoutes(file: string, text: string, context: JsContext): FileRoutes {
  const reader = new JsReader(file, text, context);
  if (!/express|Router|@Controller|setGlobalPrefix|\.use\s*\(|\.(get|post|put|delete|patch)\s*\(/.test(text)) return reader.result;
  reader.readImports();
  reader.readExports();
  reader.readGroups();
  reader.readRoutes();
  reader.readMounts();
  reader.readNest();
  return reader.result;
}
