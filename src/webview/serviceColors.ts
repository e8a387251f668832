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

const SATURATION_PERCENT = 55;
const LIGHTNESS_PERCENT = 55;

/** A stable, theme-independent colour per service index. */
export function serviceColor(index: number): string {
  return `hsl(${serviceHue(index)}, ${SATURATION_PERCENT}%, ${LIGHTNESS_PERCENT}%)`;
}

/** The same colour as red, green and blue bytes (for pixels written directly). */
export function serviceRgb(index: number): [number, number, number] {
  // The CSS Color 4 conversion from HSL.
  const [s, l] = [SATURATION_PERCENT / 100, LIGHTNESS_PERCENT / 100];
  const a = s * Math.min(l, 1 - l);
  const channel = (n: number) => {
    const k = (n + serviceHue(index) / 30) % 12;
    return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [channel(0), channel(8), channel(4)];
}
