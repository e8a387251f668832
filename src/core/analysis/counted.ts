/** A count with its noun, singular for one: "1 trace", "3 traces", "12,000 spans". */
export function counted(count: number, noun: string): string {
  return `${count.toLocaleString('en-US')} ${noun}${count === 1 ? '' : 's'}`;
}
