// Where functions start in a source file, by text, for languages no symbol provider covers in this editor.
// Good enough to put a CodeLens on the enclosing function; VS Code's document symbols are preferred.

export interface FunctionStart {
  name: string;
  /** 0-based. */
  line: number;
}

const PATTERNS: RegExp[] = [
  /^\s*(?:export\s+)?(?:default\s+)?(?:async\s+)?function\s*\*?\s*(?<name>[\w$]+)\s*\(/, // JS/TS function
  /^\s*(?:export\s+)?(?:const|let|var)\s+(?<name>[\w$]+)\s*=\s*(?:async\s+)?(?:\([^)]*\)|[\w$]+)\s*(?::\s*[^=]+)?=>/, // arrow
  /^\s*(?:async\s+)?def\s+(?<name>\w+)\s*\(/, // Python
  /^\s*func\s+(?:\([^)]*\)\s*)?(?<name>\w+)\s*\(/, // Go
  /^\s*def\s+(?:self\.)?(?<name>\w+[?!]?)/, // Ruby
  /^\s*(?:(?:public|private|protected|internal|static|final|abstract|override|virtual|async|suspend|open|synchronized)\s+)+(?:[\w.]+(?:<[^()]*>)?(?:\[\])*\??\s+)?(?<name>\w+)\s*\([^;]*$/, // Java/C#/Kotlin methods (generic return types may hold spaces)
  /^\s*(?:public\s+|private\s+|protected\s+|static\s+)*function\s+(?<name>\w+)\s*\(/, // PHP
  /^\s*(?:async\s+)?(?<name>(?!if|for|while|switch|catch|return)[\w$]+)\s*\([^)]*\)\s*(?::\s*[^{]+)?\{\s*$/, // class methods (TS/JS)
];

export function functionStarts(text: string): FunctionStart[] {
  const starts: FunctionStart[] = [];
  text.split('\n').forEach((line, i) => {
    for (const pattern of PATTERNS) {
      const m = pattern.exec(line);
      if (m?.groups?.name) {
        starts.push({ name: m.groups.name, line: i });
        return;
      }
    }
  });
  return starts;
}

/** The function whose definition starts at or above `line` (0-based): the nearest one (starts are in order). */
export function enclosingFunction(starts: readonly FunctionStart[], line: number): FunctionStart | undefined {
  let lo = 0;
  let hi = starts.length - 1;
  let found: FunctionStart | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid].line <= line) {
      found = starts[mid];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
