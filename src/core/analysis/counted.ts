import { groupDigits } from './groupDigits';

/** A count with its noun, singular for one: "1 trace", "3 traces", "12,000 spans" (no locale data loaded: see groupDigits). */
export function counted(count: number, noun: string): string {
  return `${groupDigits(count)} ${noun}${count === 1 ? '' : 's'}`;
}
