// The workspace and trace files a CLI command reads from disk: the code under --root (the files a CodeIndex
// resolves clues against) and the decoded traces of the files named.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { decodeTraces } from '../core/formats/decode';
import type { Trace } from '../core/model/trace';
import type { CodeIndexInputs } from '../core/stats/codeIndex';
import { InputError, readInput } from './showCommand';

const SKIP_DIRS = new Set(['.git', 'node_modules', '.venv', '__pycache__', 'target', 'build', '.gradle']);
const MAX_FILES = 200_000;
const MAX_TEXT_BYTES = 2 * 1024 * 1024;

function listFiles(root: string): string[] {
  const files: string[] = [];
  const stack = [root];
  while (stack.length && files.length < MAX_FILES) {
    const dir = stack.pop()!;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name)) stack.push(join(dir, entry.name));
      } else if (entry.isFile()) files.push(join(dir, entry.name));
    }
  }
  return files;
}

function textReader(): (file: string) => string | undefined {
  const cache = new Map<string, string | undefined>();
  return (file) => {
    if (!cache.has(file)) {
      try {
        cache.set(file, statSync(file).size > MAX_TEXT_BYTES ? undefined : readFileSync(file, 'utf8'));
      } catch {
        cache.set(file, undefined);
      }
    }
    return cache.get(file);
  };
}

export function* readTraces(paths: string[]): Iterable<Trace> {
  for (const path of paths) {
    const outcome = decodeTraces(readInput(path));
    if (!outcome.ok) throw new InputError(`${path}: ${outcome.error}`);
    yield* outcome.traces;
  }
}

/** --root as an absolute directory, or a clear error. */
export function workspaceRoot(option: string): string {
  const root = resolve(option);
  try {
    if (!statSync(root).isDirectory()) throw new Error();
  } catch {
    throw new InputError(`--root ${option} is not a directory`);
  }
  return root;
}

/** What a CodeIndex needs of the workspace at `root`, read from disk. */
export function workspaceInputs(root: string): CodeIndexInputs {
  return { files: listFiles(root), readText: textReader(), roots: [root] };
}
