// Route declarations in Java and Kotlin: Spring MVC/WebFlux (class-level `@RequestMapping` + `@GetMapping` …,
// `@RequestMapping(value=, method=RequestMethod.POST)`, `path`/`value` arrays) and JAX-RS (`@Path` on class and
// method + `@GET` …). The handler is the annotated method.
import { emptyFileRoutes, HTTP_METHODS, type FileRoutes } from './fileRoutes';
import { callArguments, lineAt, lineStartsOf, namedArgument, stringValue, type Argument } from './sourceText';

const SPRING: Record<string, string[]> = {
  GetMapping: ['GET'],
  PostMapping: ['POST'],
  PutMapping: ['PUT'],
  PatchMapping: ['PATCH'],
  DeleteMapping: ['DELETE'],
  RequestMapping: ['*'],
};
const JAX_RS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

interface Annotation {
  name: string;
  args: Argument[];
}

/** Paths in `"/a"`, `{"/a", "/b"}`, `value = "/a"`, `path = {…}`; [''] when none is given. */
function paths(annotation: Annotation): string[] {
  const arg = namedArgument(annotation.args, 'value') ?? namedArgument(annotation.args, 'path') ?? annotation.args.find((a) => !/^\w+\s*=/.test(a.text))?.text;
  if (!arg) return [''];
  const list = [...arg.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]);
  return list.length ? list : [];
}

function springMethods(annotation: Annotation): string[] {
  if (annotation.name !== 'RequestMapping') return SPRING[annotation.name];
  const method = namedArgument(annotation.args, 'method');
  const listed = method ? [...method.matchAll(/RequestMethod\.(\w+)/g)].map((m) => m[1]).filter((m) => HTTP_METHODS.includes(m)) : [];
  return listed.length ? listed : ['*'];
}

/** The annotations written right before `offset`'s declaration, read backwards over a block of annotations. */
function annotationBlocks(text: string): { annotations: Annotation[]; declaration: string; declarationAt: number }[] {
  const blocks: { annotations: Annotation[]; declaration: string; declarationAt: number }[] = [];
  const re = /@([A-Za-z_][\w.]*)\s*/g;
  let current: Annotation[] = [];
  let at = 0;
  for (;;) {
    re.lastIndex = at;
    const m = re.exec(text);
    if (!m) break;
    const between = text.slice(at, m.index);
    if (current.length && /\S/.test(between)) {
      blocks.push(...declare(text, current, at));
      current = [];
    }
    let end = m.index + m[0].length;
    let args: Argument[] = [];
    if (text[end] === '(') {
      const call = callArguments(text, end);
      if (call) {
        args = call.args;
        end = call.end;
      }
    }
    current.push({ name: m[1].split('.').pop()!, args });
    at = end;
  }
  if (current.length) blocks.push(...declare(text, current, at));
  return blocks;
}

function declare(text: string, annotations: Annotation[], at: number): { annotations: Annotation[]; declaration: string; declarationAt: number }[] {
  const declaration = /^\s*([^;{=@]*)/.exec(text.slice(at))?.[1] ?? '';
  return [{ annotations, declaration, declarationAt: at + (text.slice(at).length - text.slice(at).trimStart().length) }];
}

export function javaRoutes(file: string, text: string): FileRoutes {
  const result = emptyFileRoutes(file);
  if (!/Mapping|@Path|@GET|@POST/.test(text)) return result;
  const lines = lineStartsOf(text);
  // Every class is a group (its own mapping, or none); a method belongs to the last class declared above it.
  const classes = [...text.matchAll(/\b(?:class|interface)\s+(\w+)/g)].map((m) => ({ name: m[1], at: m.index! }));
  for (const cls of classes) result.groups.push({ name: cls.name, prefix: '' });
  for (const block of annotationBlocks(text)) {
    const cls = /\b(?:class|interface)\s+(\w+)/.exec(block.declaration);
    if (cls) {
      const mapping = block.annotations.find((a) => a.name === 'RequestMapping' || a.name === 'Path');
      const group = result.groups.find((g) => g.name === cls[1]);
      if (group && mapping) group.prefix = paths(mapping)[0] ?? '';
      continue;
    }
    const method = /(\w+)\s*\($/.exec(block.declaration.trim()) ?? /(\w+)\s*\(/.exec(block.declaration);
    const currentClass = classes.filter((c) => c.at < block.declarationAt).pop()?.name;
    if (!method || !currentClass) continue;
    const line = lineAt(lines, block.declarationAt + block.declaration.indexOf(`${method[1]}`));
    const handler = `${currentClass}.${method[1]}`;
    for (const annotation of block.annotations.filter((a) => a.name in SPRING)) {
      for (const path of paths(annotation))
        result.routes.push({ group: currentClass, methods: springMethods(annotation), path, line, handler, framework: 'Spring' });
    }
    const verbs = block.annotations.filter((a) => JAX_RS.has(a.name)).map((a) => a.name);
    if (verbs.length) {
      const path = block.annotations.find((a) => a.name === 'Path');
      result.routes.push({
        group: currentClass,
        methods: verbs,
        path: path ? (stringValue(path.args[0]?.text) ?? '') : '',
        line,
        handler,
        framework: 'JAX-RS',
      });
    }
  }
  return result;
}
