// Workspace file texts for clue resolution (qualified function names, source maps), read without blocking the
// extension host: resolution asks synchronously and gets what is already read; what it asked for and did not
// get is read asynchronously afterwards, and the statistics are built once more with it.
import { readFile, stat } from 'node:fs/promises';
import { LruMap } from '../core/cache/lruMap';

const MAX_FILES = 500;
const MAX_READS_AT_ONCE = 200;

export class TextCache {
  /** null: looked for and absent (or too large), not asked for again until the file changes. */
  private readonly texts = new LruMap<string, string | null>(MAX_FILES);
  private readonly wanted = new Set<string>();

  constructor(private readonly maxBytes: number) {}

  get(file: string): string | undefined {
    const text = this.texts.get(file);
    if (text === undefined) this.wanted.add(file);
    return text ?? undefined;
  }

  /** Reads what was asked for and missing; true when a text was found (a resolution may now succeed). */
  async fetchWanted(): Promise<boolean> {
    const files = [...this.wanted].slice(0, MAX_READS_AT_ONCE);
    this.wanted.clear();
    const read = await Promise.all(
      files.map(async (file) => {
        try {
          const text = (await stat(file)).size > this.maxBytes ? null : await readFile(file, 'utf8');
          this.texts.set(file, text);
          return text !== null;
        } catch {
          this.texts.set(file, null);
          return false;
        }
      }),
    );
    return read.includes(true);
  }

  invalidate(file: string): void {
    this.texts.delete(file);
  }
}
