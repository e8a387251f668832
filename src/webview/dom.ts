// DOM helpers that only ever insert text: span data is hostile input and never becomes markup.

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A stable, theme-independent hue per service index. */
export function serviceColor(index: number): string {
  return `hsl(${(index * 137.508) % 360}, 55%, 55%)`;
}
