// Colours of services in the waterfall (rows, header chips, overview): no DOM here, so the unit tests check them.
// Red is left to errors and orange to the critical path's outline: a healthy service's bars must not look failed
// or critical.

/** The first services of a trace get hues far apart (blue, green, purple, teal, yellow, …), none red or orange. */
const FIRST_HUES = [210, 120, 280, 175, 55, 320, 95, 245, 150, 190];
/** Later ones spread by the golden angle over the arc from yellow round to magenta. */
const ARC_START = 50;
const ARC = 275;

export function serviceHue(index: number): number {
  return index < FIRST_HUES.length ? FIRST_HUES[index] : ARC_START + ((index * 137.508) % ARC);
}

/** A stable, theme-independent colour per service index. */
export function serviceColor(index: number): string {
  return `hsl(${serviceHue(index)}, 55%, 55%)`;
}
