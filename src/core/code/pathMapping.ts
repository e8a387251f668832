// From a path as a span reports it (a container path, a CI build path, a bare file name, a Java package path)
// to a file of the workspace: the user's prefix mappings first, then the exact path, then the longest common
// path suffix. Only workspace files are ever answers; library folders lose to application files.

export interface PathMapping {
  /** Prefix as the running system reports it, e.g. "/app/" or "C:\\build\\src\\". */
  remote: string;
  /** Absolute local folder it corresponds to. */
  local: string;
}

export type Resolution = { file: string; via: 'mapping' | 'exact' | 'suffix' } | { ambiguous: string[] } | { unresolved: string };

const LIBRARY_DIR = /(^|\/)(node_modules|vendor|site-packages|dist-packages|\.venv|bower_components)\//;

export function normalisePath(path: string): string {
  let p = path.trim();
  if (p.startsWith('file://')) p = decodeURIComponent(p.slice(7));
  p = p.replace(/\\/g, '/');
  if (/^\/[A-Za-z]:\//.test(p)) p = p.slice(1); // file:///C:/x
  return p.replace(/\/{2,}/g, '/');
}

function segments(path: string): string[] {
  return normalisePath(path)
    .split('/')
    .filter((s) => s && s !== '.');
}

export class WorkspaceIndex {
  private readonly files = new Set<string>();
  /** Files by lower-case base name, for the suffix match. */
  private readonly byName = new Map<string, string[]>();

  /** `files`: absolute paths of the workspace's files (the caller lists them; nothing outside is ever resolved). */
  constructor(
    files: Iterable<string>,
    private readonly mappings: readonly PathMapping[] = [],
  ) {
    for (const file of files) {
      const f = normalisePath(file);
      this.files.add(f);
      const name = f.slice(f.lastIndexOf('/') + 1).toLowerCase();
      const list = this.byName.get(name);
      if (list) list.push(f);
      else this.byName.set(name, [f]);
    }
  }

  get size(): number {
    return this.files.size;
  }

  resolve(reported: string): Resolution {
    const path = normalisePath(reported);
    for (const m of this.mappings) {
      const remote = normalisePath(m.remote).replace(/\/?$/, '/');
      if (path.startsWith(remote)) {
        const local = `${normalisePath(m.local).replace(/\/?$/, '/')}${path.slice(remote.length)}`;
        if (this.files.has(local)) return { file: local, via: 'mapping' };
      }
    }
    if (this.files.has(path)) return { file: path, via: 'exact' };
    return this.bySuffix(path);
  }

  private bySuffix(path: string): Resolution {
    const parts = segments(path);
    const name = parts[parts.length - 1]?.toLowerCase();
    const candidates = name ? this.byName.get(name) : undefined;
    if (!candidates) return { unresolved: `no file named ${parts[parts.length - 1] ?? path} in the workspace` };
    let best = 0;
    let winners: string[] = [];
    for (const candidate of candidates) {
      const c = segments(candidate);
      let common = 0;
      while (common < parts.length && common < c.length && c[c.length - 1 - common] === parts[parts.length - 1 - common]) common++;
      if (common === 0) continue; // base name equal only when case-folded: not the same file
      if (common > best) {
        best = common;
        winners = [candidate];
      } else if (common === best) winners.push(candidate);
    }
    const application = winners.filter((w) => !LIBRARY_DIR.test(w));
    const chosen = application.length ? application : winners;
    if (chosen.length === 1) return { file: chosen[0], via: 'suffix' };
    if (chosen.length === 0) return { unresolved: `no file named ${parts[parts.length - 1]} in the workspace` };
    return { ambiguous: chosen.sort() };
  }
}
