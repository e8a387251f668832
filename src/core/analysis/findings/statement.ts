// A database statement with its literals replaced, so the same query with different values reads the same (the
// normalisation Sentry's detectors apply before hashing: strings, numbers, hex, UUIDs -> ?, IN lists -> IN (?)).

/** Longer statements are compared by their first part: a hostile 10 MB statement costs no more than this. */
const MAX_STATEMENT_LENGTH = 4_000;

/**
 * One pass over the statement: string literals, UUIDs, hex and decimal numbers, and the drivers' placeholders
 * ($1, :name, @p1, ?) all become `?`. Alternatives are tried in this order at each position.
 */
const LITERAL = new RegExp(
  [
    `'(?:[^']|'')*'`,
    `"(?:[^"]|"")*"`,
    '\\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\b',
    '\\b0x[0-9a-f]+\\b',
    '(?<![\\w$])-?\\d+(?:\\.\\d+)?(?:e[+-]?\\d+)?\\b',
    '\\$\\d+',
    '(?<![:\\w]):[A-Za-z_]\\w*',
    '@\\w+',
    '\\?',
  ].join('|'),
  'gi',
);
const IN_LIST = /\bIN\s*\(\s*\?(?:\s*,\s*\?)*\s*\)/gi;
const VALUES_LIST = /\bVALUES\s*(\(\s*\?(?:\s*,\s*\?)*\s*\))(?:\s*,\s*\(\s*\?(?:\s*,\s*\?)*\s*\))*/gi;

/** The statement with literals as `?`, or undefined for one the SDK cut off ("…") or that is no real query. */
export function normaliseStatement(statement: string): string | undefined {
  const text = statement.slice(0, MAX_STATEMENT_LENGTH).trim();
  if (/(?:\.\.\.|…)$/.test(text) || !/\s/.test(text)) return undefined;
  let normal = text.replace(LITERAL, '?').replace(/\s+/g, ' ');
  // Lists are collapsed only where there are lists (most statements have none: two scans saved).
  if (/\bIN\s*\(/i.test(normal)) normal = normal.replace(IN_LIST, 'IN (?)');
  if (/\bVALUES\b/i.test(normal)) normal = normal.replace(VALUES_LIST, 'VALUES $1');
  return normal;
}
