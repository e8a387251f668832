// Finds trace ids in text (log lines, terminal output, JSON, headers), each with its kind, range, canonical
// 32-hex id and a confidence. Regexes follow notes/code-and-ids.md §5.6; every call builds its own RegExp
// objects so overlapping async callers (hover, links, terminal) never share `lastIndex`.
//
// Confidence: high = a format that can only be a trace id (traceparent, B3, X-Ray, keyed 32-hex); medium = a
// keyed id that needs translation or could be something else (64-bit, Datadog decimal, `trace=`); low = bare
// 32-hex with no context, offered only after a source confirms it (secrets and hashes are hex too).

export type Confidence = 'high' | 'medium' | 'low';
export type TraceIdKind = 'traceparent' | 'keyed' | 'b3' | 'uber-trace-id' | 'xray' | 'gcp' | 'datadog' | 'bare';

export interface TraceIdMatch {
  kind: TraceIdKind;
  /** Offsets in the text of what was recognised (the id or the whole header value). */
  start: number;
  end: number;
  /** Canonical: 32 lower-case hex digits. */
  traceId: string;
  confidence: Confidence;
}

const CONFIDENCE_RANK: Record<Confidence, number> = { low: 0, medium: 1, high: 2 };

export function atLeast(confidence: Confidence, minimum: Confidence): boolean {
  return CONFIDENCE_RANK[confidence] >= CONFIDENCE_RANK[minimum];
}

const H = '[0-9a-fA-F]';
const END = '(?![0-9A-Za-z])';

function patterns() {
  return {
    traceparent: new RegExp(`(?<![0-9A-Za-z-])(?!ff)${H}{2}-(?<tid>${H}{32})-${H}{16}-${H}{2}${END}`, 'g'),
    keyed: new RegExp(
      String.raw`(?<![\w.@/-])(?<key>trace[_.-]?id|otelTraceID|dd\.trace_id|ElasticApmTraceId|@tr|logging\.googleapis\.com/trace|trace(?==))(?![\w-])` +
        String.raw`["']?\s*[:=]\s*["']?` +
        String.raw`(?<val>projects/[^/\s"']+/traces/${H}{32}|${H}{2}-${H}{32}-${H}{16}-${H}{2}|1-${H}{8}-${H}{24}|${H}{32}|${H}{16}|\d{1,20})${END}`,
      'gi',
    ),
    uber: new RegExp(String.raw`\buber-trace-id["']?\s*[:=]\s*["']?(?<tid>${H}{1,32})(?::|%3A)${H}{1,16}(?::|%3A)${H}{1,16}(?::|%3A)${H}{1,2}\b`, 'gi'),
    b3Single: new RegExp(String.raw`(?<![0-9A-Za-z-])b3["']?\s*[:=]\s*["']?(?<tid>${H}{32}|${H}{16})-${H}{16}(?:-[01d])?(?:-${H}{16})?${END}`, 'gi'),
    b3Multi: new RegExp(String.raw`\bx-b3-traceid["']?\s*[:=]\s*["']?(?<tid>${H}{32}|${H}{16})${END}`, 'gi'),
    xray: new RegExp(String.raw`(?<![0-9A-Za-z-])1-(?<epoch>${H}{8})-(?<rand>${H}{24})${END}`, 'g'),
    gcpHeader: new RegExp(String.raw`\bx-cloud-trace-context["']?\s*[:=]\s*["']?(?<tid>${H}{32})${END}`, 'gi'),
    gcpResource: new RegExp(String.raw`\bprojects/[a-z0-9-:.]+/traces/(?<tid>${H}{32})${END}`, 'gi'),
    // Spring Boot 3 logs `[traceId-spanId]`; Spring Cloud Sleuth logged `[app,traceId,spanId(,exportable)]`.
    spring: new RegExp(String.raw`\[(?<tid>${H}{32})-${H}{16}\]`, 'g'),
    sleuth: new RegExp(String.raw`\[[\w.-]*,(?<tid>${H}{32}|${H}{16}),${H}{16}(?:,(?:true|false))?\]`, 'g'),
    ddHeader: new RegExp(String.raw`\bx-datadog-trace-id["']?\s*[:=]\s*["']?(?<dec>\d{1,20})\b`, 'gi'),
    ddTid: /\b_dd\.p\.tid[=:]"?(?<hi>[0-9a-fA-F]{16})\b/gi,
    bare: /(?<![0-9A-Za-z-])[0-9a-f]{32}(?![0-9A-Za-z-])/g,
  };
}

const ALL_ZERO = /^0+$/;
const MAX_U64 = 18446744073709551615n;

function canonical(hex: string): string | undefined {
  const lower = hex.toLowerCase();
  if (lower.length > 32 || ALL_ZERO.test(lower)) return undefined;
  return lower.padStart(32, '0');
}

/** Datadog's decimal low 64 bits, with the high 64 bits from `_dd.p.tid` when the line carries it. */
function fromDatadogDecimal(decimal: string, high: string | undefined): string | undefined {
  const value = BigInt(decimal);
  if (value === 0n || value > MAX_U64) return undefined;
  return canonical(`${high ?? '0000000000000000'}${value.toString(16).padStart(16, '0')}`);
}

/** A random (version 4) UUID without dashes looks like a trace id; its fixed nibbles give it away 63 times in 64. */
function looksLikeUuidV4(hex: string): boolean {
  return hex[12] === '4' && '89ab'.includes(hex[16]);
}

function resolveOverlaps(candidates: (TraceIdMatch & { rank: number })[]): TraceIdMatch[] {
  candidates.sort((a, b) => a.start - b.start || a.rank - b.rank);
  const kept: (TraceIdMatch & { rank: number })[] = [];
  for (const c of candidates) {
    const last = kept[kept.length - 1];
    if (last && c.start < last.end) {
      if (c.rank < last.rank) kept[kept.length - 1] = c;
      continue;
    }
    kept.push(c);
  }
  return kept.map(({ rank: _, ...match }) => match);
}

export interface RecogniseOptions {
  /** Include bare 32-hex strings (low confidence). */
  includeLow?: boolean;
}

export function recogniseTraceIds(text: string, options: RecogniseOptions = {}): TraceIdMatch[] {
  const re = patterns();
  // Candidates from every pattern; where two overlap, the one from the earlier (more specific) pattern wins.
  const candidates: (TraceIdMatch & { rank: number })[] = [];
  let rank = 0;
  const add = (kind: TraceIdKind, start: number, end: number, traceId: string | undefined, confidence: Confidence) => {
    if (traceId) candidates.push({ kind, start, end, traceId, confidence, rank });
  };
  const ddHigh = [...text.matchAll(re.ddTid)].map((m) => ({ at: m.index!, hi: m.groups!.hi.toLowerCase() }));
  // The `_dd.p.tid` nearest before or after a decimal id on the same line belongs to it.
  const highFor = (at: number) => {
    const lineStart = text.lastIndexOf('\n', at) + 1;
    const lineEnd = text.indexOf('\n', at) < 0 ? text.length : text.indexOf('\n', at);
    return ddHigh.find((d) => d.at >= lineStart && d.at < lineEnd)?.hi;
  };

  rank++;
  for (const m of text.matchAll(re.traceparent)) add('traceparent', m.index!, m.index! + m[0].length, canonical(m.groups!.tid), 'high');
  rank++;
  for (const m of text.matchAll(re.uber))
    add('uber-trace-id', m.index! + m[0].indexOf(m.groups!.tid, m[0].search(/[:=]/)), m.index! + m[0].length, canonical(m.groups!.tid), 'high');
  rank++;
  for (const m of text.matchAll(re.b3Single)) addValue('b3', m, m.groups!.tid, 'high');
  rank++;
  for (const m of text.matchAll(re.b3Multi)) addValue('b3', m, m.groups!.tid, 'high');
  rank++;
  for (const m of text.matchAll(re.gcpHeader)) addValue('gcp', m, m.groups!.tid, 'high');
  rank++;
  for (const m of text.matchAll(re.ddHeader)) {
    const start = m.index! + m[0].lastIndexOf(m.groups!.dec);
    const high = highFor(m.index!);
    add('datadog', start, start + m.groups!.dec.length, fromDatadogDecimal(m.groups!.dec, high), high ? 'high' : 'medium');
  }
  rank++;
  for (const m of text.matchAll(re.keyed)) {
    const key = m.groups!.key.toLowerCase();
    const value = m.groups!.val;
    const start = m.index! + m[0].length - value.length;
    const end = start + value.length;
    const digitsOnly = /^\d+$/.test(value);
    // Datadog logs its low 64 bits in decimal unless 128-bit logging is on; elsewhere a number is a counter or a
    // timestamp, unless it has exactly an id's length.
    if (key === 'dd.trace_id' && digitsOnly && value.length !== 32) {
      const high = highFor(m.index!);
      add('datadog', start, end, fromDatadogDecimal(value, high), high ? 'high' : 'medium');
      continue;
    }
    if (digitsOnly && value.length !== 16 && value.length !== 32) continue;
    if (value.startsWith('projects/')) add('gcp', start, end, canonical(value.slice(-32)), 'high');
    else if (value.length === 55) add('traceparent', start, end, value.startsWith('ff') ? undefined : canonical(value.slice(3, 35)), 'high');
    else if (value.startsWith('1-') && value.length === 35) add('xray', start, end, canonical(value.slice(2, 10) + value.slice(11)), 'high');
    else if (value.length === 32) add('keyed', start, end, canonical(value), key === 'trace' ? 'medium' : 'high');
    else if (value.length === 16) add('keyed', start, end, canonical(value), 'medium');
  }
  rank++;
  for (const m of text.matchAll(re.spring)) addValue('keyed', m, m.groups!.tid, 'high');
  rank++;
  for (const m of text.matchAll(re.sleuth)) addValue('keyed', m, m.groups!.tid, 'high');
  rank++;
  for (const m of text.matchAll(re.xray)) add('xray', m.index!, m.index! + m[0].length, canonical(m.groups!.epoch + m.groups!.rand), 'high');
  rank++;
  for (const m of text.matchAll(re.gcpResource)) addValue('gcp', m, m.groups!.tid, 'high');
  rank++;
  if (options.includeLow) {
    rank++;
    for (const m of text.matchAll(re.bare)) if (!looksLikeUuidV4(m[0])) add('bare', m.index!, m.index! + 32, canonical(m[0]), 'low');
  }
  return resolveOverlaps(candidates);

  function addValue(kind: TraceIdKind, m: RegExpMatchArray, value: string, confidence: Confidence) {
    const start = m.index! + m[0].lastIndexOf(value);
    add(kind, start, start + value.length, canonical(value), confidence);
  }
}

/** The id a person most likely means in a piece of text (a pasted line, the clipboard): most confident, then first. */
export function bestTraceId(text: string): string | undefined {
  const matches = recogniseTraceIds(text, { includeLow: true });
  return matches.sort((a, b) => CONFIDENCE_RANK[b.confidence] - CONFIDENCE_RANK[a.confidence] || a.start - b.start)[0]?.traceId;
}
