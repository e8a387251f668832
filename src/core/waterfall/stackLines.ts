// A stack trace as the details pane shows it: its lines as written, each with the frame it names, so a frame of
// the user's code can be a link.
import { parseStackTrace, type StackFrame } from '../code/stackTrace';

export interface StackLine {
  text: string;
  /** The frame this line names; library and runtime frames are not linked. */
  frame?: StackFrame;
}

/** Lines past this are shown as text only: a stack of thousands of frames is recursion, not more places. */
const MAX_LINES = 400;

export function stackLines(stack: string): StackLine[] {
  const lines = stack.split(/\r?\n/).slice(0, MAX_LINES);
  return lines.map((text, i) => {
    // Go writes a frame on two lines (the function, then a tab and its place): the place's line is the link.
    const frame = parseStackTrace(text)[0] ?? (text.startsWith('\t') && i > 0 ? parseStackTrace(`${lines[i - 1]}\n${text}`)[0] : undefined);
    return frame && !frame.library ? { text, frame } : { text };
  });
}

/** The stack trace an exception event carries, if any. */
export function eventStack(attributes: readonly [string, string][]): string | undefined {
  return attributes.find(([key]) => key === 'exception.stacktrace')?.[1];
}
