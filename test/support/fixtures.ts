import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The shared upstream fixtures (see ../shared/fixtures/SOURCES.md for their origin and licence). */
/** Beside the repository; TRACE_LENS_FIXTURES names them where the tests run from a copy (mutation testing). */
export const FIXTURES_DIR = process.env.TRACE_LENS_FIXTURES ?? join(__dirname, '..', '..', '..', 'shared', 'fixtures');

export function fixture(relativePath: string): Uint8Array {
  return readFileSync(join(FIXTURES_DIR, relativePath));
}
