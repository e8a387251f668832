// Where a span's code is in the workspace, or why that is not known: what clue resolution produces and the
// statistics, lenses, gutters and Go to Code consume.

export interface CodeLocation {
  /** Absolute path of a workspace file. */
  file: string;
  /** 1-based line the clue points at, when it names one. */
  line?: number;
  function?: string;
  /** How the clue was resolved, when there was a choice to explain (a route's declaration, candidates ignored). */
  how?: string;
  /** 'line': the lens belongs on this line (an inline route handler), not on the named function enclosing it. */
  anchor?: 'line';
}

export type ClueResolution = CodeLocation | { unresolved: string };

/** The 0-based editor line of a location; a location that names no line is its file's first line. */
export function editorLine(location: CodeLocation): number {
  return Math.max(0, (location.line ?? 1) - 1);
}
