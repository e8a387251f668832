// Source maps (v3) for compiled JavaScript: a span or stack frame that points into dist/app.js is shown at the
// TypeScript (or other) source the map names, when that source is in the workspace.

interface Segment {
  column: number;
  source: number;
  line: number;
}

export interface SourceMap {
  sources: string[];
  /** Per generated line (0-based): segments in column order. */
  lines: Segment[][];
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = new Map([...BASE64].map((c, i) => [c, i]));

function decodeVlq(text: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const c of text) {
    const digit = DIGIT.get(c);
    if (digit === undefined) return [];
    value += (digit & 31) * 2 ** shift;
    if (digit & 32) shift += 5;
    else {
      values.push(value & 1 ? -Math.floor(value / 2) : Math.floor(value / 2));
      value = 0;
      shift = 0;
    }
  }
  return values;
}

export function parseSourceMap(json: string): SourceMap | undefined {
  let raw: { version?: unknown; sources?: unknown; sourceRoot?: unknown; mappings?: unknown };
  try {
    raw = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (raw.version !== 3 || !Array.isArray(raw.sources) || typeof raw.mappings !== 'string') return undefined;
  const root = typeof raw.sourceRoot === 'string' && raw.sourceRoot ? raw.sourceRoot.replace(/\/?$/, '/') : '';
  const sources = raw.sources.map((s) => `${root}${String(s)}`);
  const lines: Segment[][] = [];
  let source = 0;
  let line = 0;
  for (const lineText of raw.mappings.split(';')) {
    const segments: Segment[] = [];
    let column = 0;
    for (const segmentText of lineText.split(',')) {
      if (!segmentText) continue;
      const v = decodeVlq(segmentText);
      if (v.length < 4) {
        if (v.length >= 1) column += v[0];
        continue;
      }
      column += v[0];
      source += v[1];
      line += v[2];
      // v[3] (the original column) is not needed: lines are what the editor shows.
      segments.push({ column, source, line });
    }
    lines.push(segments);
  }
  return { sources, lines };
}

/** The original source and 1-based line for a 1-based generated line (and column, when known). */
export function originalPosition(map: SourceMap, line: number, column?: number): { source: string; line: number } | undefined {
  const segments = map.lines[line - 1];
  if (!segments?.length) return undefined;
  let chosen = segments[0];
  if (column !== undefined) for (const s of segments) if (s.column <= column - 1) chosen = s;
  const source = map.sources[chosen.source];
  return source === undefined ? undefined : { source, line: chosen.line + 1 };
}
