import { decodeTraces } from '../../src/core/formats/decode';
import type { Decoded } from '../../src/core/formats/decodeResult';

export function decodeOk(bytes: Uint8Array): Decoded {
  const outcome = decodeTraces(bytes);
  if (!outcome.ok) throw new Error(`expected a trace, got: ${outcome.error}`);
  return outcome;
}
