// Everything the CLI prints passes through here: span data, backend answers and file names are hostile, and an
// ESC (or a C1 CSI, or a bidi override) reaching a terminal can rewrite what the user sees or, in some
// terminals, what the clipboard or title holds. Such characters are shown as \uXXXX escapes instead.
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE_IN_FIELD = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function escape(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** A whole block of output: our own newlines and tabs stay, every other control character is escaped. */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, escape);
}

/** One value inside a line (a span name, a service): its newlines are escaped too, so it cannot forge a row. */
export function terminalField(text: string): string {
  return text.replace(UNSAFE_IN_FIELD, escape);
}

export function printLine(text: string): void {
  process.stdout.write(`${terminalSafe(text)}\n`);
}

export function printError(text: string): void {
  process.stderr.write(`${terminalSafe(text)}\n`);
}
