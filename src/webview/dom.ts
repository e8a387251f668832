// DOM helpers that only ever insert text: span data is hostile input and never becomes markup.
import { groupDigits } from '../core/analysis/groupDigits';

/** Characters that reorder the text around them (Trojan Source): shown as visible codes instead. */
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Untrusted text as it is displayed: bidi controls made visible, very long strings cut with their length noted. */
export function displayText(text: string, max = 2000): string {
  const cut = text.length > max ? `${text.slice(0, max)}… (${groupDigits(text.length)} characters)` : text;
  return cut.replace(BIDI_CONTROLS, (c) => `⟨U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}⟩`);
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = displayText(text);
  return node;
}

export function button(className: string, text: string, title: string, onClick: () => void): HTMLButtonElement {
  const b = el('button', className, text);
  b.type = 'button';
  b.title = title;
  b.addEventListener('click', onClick);
  return b;
}
