// A database statement with its literals replaced, so the same query with different values reads the same (the
// normalisation Sentry's detectors apply before hashing: strings, numbers, hex, UUIDs -> ?, IN lists -> IN (?)).

/** Longer statements are compared by their first part: a hostile 10 MB statement costs no more than this. */
const MAX_STATEMENT_LENGTH = 4_000;

const STRING_LITERAL = /'(?:[^']|'')*'|"(?:[^"]|"")*"/g;
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
const HEX = /\b0x[0-9a-f]+\b/gi;
const NUMBER = /(?<![\w$])-?\d+(?:\.\d+)?(?:e[+-]?\d+)?\b/gi;
/** Driver placeholders ($1, :name, @p1, ?) all read as one. */
const PLACEHOLDER = /\$\d+|(?<![:\w]):[A-Za-z_]\w*|@\w+|\?/g;
const IN_LIST = /\bIN\s*\(\s*\?(?:\s*,\s*\?)*\s*\)/gi;
const VALUES_LIST = /\bVALUES\s*(\(\s*\?(?:\s*,\s*\?)*\s*\))(?:\s*,\s*\(\s*\?(?:\s*,\s*\?)*\s*\))*/gi;

/** The statement with literals as `?`, or undefined for one the SDK cut off ("…") or that is no real query. */
export function normaliseStatement(statement: string): string | undefined {
  const text = statement.slice(0, MAX_STATEMENT_LENGTH).trim();
  if (/(?:\.\.\.|…)$/.test(text) || !/\s/.test(text)) return undefined;
  return text
    .replace(STRING_LITERAL, '?')
    .replace(UUID, '?')
    .replace(HEX, '?')
    .replace(NUMBER, '?')
    .replace(PLACEHOLDER, '?')
    .replace(IN_LIST, 'IN (?)')
    .replace(VALUES_LIST, 'VALUES $1')
    .replace(/\s+/g, ' ');
}
