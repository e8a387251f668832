import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The shared upstream fixtures (see ../shared/fixtures/SOURCES.md for their origin and licence). */
export const FIXTURES_DIR = join(__dirname, '..', '..', '..', 'shared', 'fixtures');

export function fixture(relativePath: string): Uint8Array {
  return readFileSync(join(FIXTURES_DIR, relativePath));
}
