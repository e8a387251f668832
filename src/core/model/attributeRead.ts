// Reading attributes by their semantic-convention names: the first present of several (new name first, then the
// older ones), typed, so hostile values of the wrong type read as absent.
import type { Attributes } from './trace';

/** The first non-empty string among `keys`. */
export function textAttribute(attributes: Attributes, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const value = attributes[key];
    if (typeof value === 'string' && value) return value;
  }
  return undefined;
}

/** The first positive whole number among `keys` (numbers, or strings of digits as some SDKs send them). */
export function intAttribute(attributes: Attributes, ...keys: string[]): number | undefined {
  for (const key of keys) {
    const value = attributes[key];
    const n = typeof value === 'string' ? Number(value) : value;
    if (typeof n === 'number' && Number.isInteger(n) && n > 0) return n;
  }
  return undefined;
}
