// Stack frames from exception and code stack traces of Java, Python, Node/V8, Go, .NET, Ruby and PHP
// (regexes from notes/code-and-ids.md §4.1), newest frame first whatever the language's own order.

export interface StackFrame {
  file: string;
  line?: number;
  column?: number;
  function?: string;
  /** A frame in a dependency or the runtime: skipped when a frame of the application exists. */
  library: boolean;
}

const JAVA = /^\s*at\s+(?<prefix>(?:[^\s/()]*\/){0,2})(?<fn>[^\s()/]+)\((?<file>[^():]+?)(?::(?<line>\d+))?\)\s*$/;
const PYTHON = /^\s*File "(?<file>[^"]+)", line (?<line>\d+)(?:, in (?<fn>.+))?$/;
const NODE =
  /^\s*at\s+(?:async\s+)?(?:(?<fn>.+?)\s+\()?(?<file>(?:file:\/\/|node:|webpack:|[A-Za-z]:[\\/]|\/|\.{1,2}[\\/])[^()]*?|<anonymous>|native):(?<line>\d+)(?::(?<col>\d+))?\)?$/;
const GO_FUNC = /^(?<fn>\S.*?)\((?<args>[^()]*)\)$/;
const GO_LOC = /^\t(?<file>.+?):(?<line>\d+)(?: \+0x[0-9a-f]+)?$/;
const DOTNET = /^\s*at\s+(?<fn>.+?)\s+in\s+(?<file>.+?):line\s+(?<line>\d+)\s*$/;
const RUBY = /^\s*(?:from\s+)?(?<file>[^:\s][^:]*?):(?<line>\d+):in\s+[`'](?<fn>[^'`]+)'/;
const PHP = /^#\d+\s+(?<file>.+?)\((?<line>\d+)\):\s+(?<fn>.+)$/;

const LIBRARY =
  /node_modules|node:internal|^node:|site-packages|dist-packages|[\\/]\.venv[\\/]|[\\/]go[\\/]pkg[\\/]mod[\\/]|@v\d|[\\/]vendor[\\/]|[\\/]usr[\\/]lib[\\/]jvm|^java\.|^javax\.|^jdk\.|^sun\.|^kotlin\.|[\\/]gems[\\/]|<frozen |^<|\[internal function\]|[\\/]lib[\\/]python\d/;

function isLibrary(file: string, fn: string | undefined, javaPrefix?: string): boolean {
  if (javaPrefix && /^(java|jdk)\./.test(javaPrefix)) return true;
  if (fn && /^(java|javax|jdk|sun|kotlin|org\.junit|System|Microsoft)\./.test(fn)) return true;
  return LIBRARY.test(file);
}

function frame(file: string, line: string | undefined, fn: string | undefined, column?: string, javaPrefix?: string): StackFrame {
  const clean = file.startsWith('file://') ? decodeURIComponent(file.slice(7)) : file;
  return {
    file: clean,
    line: line ? Number(line) : undefined,
    column: column ? Number(column) : undefined,
    function: fn?.trim(),
    library: isLibrary(clean, fn, javaPrefix),
  };
}

/** Java frames name only the file: the package in the class name gives its directory. */
function javaFile(fn: string, file: string): string {
  const parts = fn.split('.');
  // drop the method and the class (with $inner): what remains is the package
  const pkg = parts.slice(0, -2).filter((p) => /^[a-z_][\w]*$/.test(p));
  return pkg.length ? `${pkg.join('/')}/${file}` : file;
}

export function parseStackTrace(text: string): StackFrame[] {
  const lines = text.split(/\r?\n/);
  const frames: StackFrame[] = [];
  let pythonOrder = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    let m: RegExpExecArray | null;
    if ((m = PYTHON.exec(line))) {
      pythonOrder = true;
      frames.push(frame(m.groups!.file, m.groups!.line, m.groups!.fn));
    } else if ((m = DOTNET.exec(line))) {
      frames.push(frame(m.groups!.file, m.groups!.line, m.groups!.fn.replace(/\(.*\)$/, '')));
    } else if ((m = JAVA.exec(line)) && /\.(java|kt|groovy|scala)$|^(Native Method|Unknown Source)$/.test(m.groups!.file)) {
      const { fn, file, prefix } = m.groups!;
      if (file === 'Native Method' || file === 'Unknown Source') continue;
      frames.push(frame(javaFile(fn, file), m.groups!.line, fn, undefined, prefix || fn));
    } else if ((m = NODE.exec(line))) {
      if (m.groups!.file === '<anonymous>' || m.groups!.file === 'native') continue;
      frames.push(frame(m.groups!.file, m.groups!.line, m.groups!.fn, m.groups!.col));
    } else if ((m = GO_FUNC.exec(line)) && i + 1 < lines.length && GO_LOC.test(lines[i + 1])) {
      const loc = GO_LOC.exec(lines[++i])!;
      frames.push(frame(loc.groups!.file, loc.groups!.line, m.groups!.fn));
    } else if ((m = RUBY.exec(line))) {
      frames.push(frame(m.groups!.file, m.groups!.line, m.groups!.fn.replace(/^(block|rescue) in /, '')));
    } else if ((m = PHP.exec(line))) {
      frames.push(frame(m.groups!.file, m.groups!.line, m.groups!.fn));
    }
  }
  // Python prints the oldest frame first; everything else the newest.
  return pythonOrder ? frames.reverse() : frames;
}

/** The newest frame of the application itself; undefined when every frame belongs to a library or the runtime. */
export function firstAppFrame(frames: readonly StackFrame[]): StackFrame | undefined {
  return frames.find((f) => !f.library);
}
