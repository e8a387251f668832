// What "Open Trace…" was given: a trace id in any common form, a header or log line holding one, the URL of a
// trace page (Jaeger, Tempo/Grafana, Zipkin), or the path of a trace file.
import { normaliseTraceId } from '../model/ids';
import { bestTraceId } from './traceIdRecogniser';

export type TraceReference = { kind: 'id'; traceId: string; spanId?: string } | { kind: 'file'; path: string } | { kind: 'invalid'; message: string };

const TRACE_FILE = /\.(json|jsonl|ndjson|pb|bin|gz|otlp)$/i;
const HEX_ID = /^(?:0x)?([0-9a-f]{16}|[0-9a-f]{32})$/i;
const DASHED_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Datadog shows 64-bit ids in decimal. */
const DECIMAL_ID = /^[0-9]{15,20}$/;
const MAX_UINT64 = (1n << 64n) - 1n;

function decodeRepeatedly(text: string): string {
  let current = text;
  for (let i = 0; i < 3; i++) {
    try {
      const next = decodeURIComponent(current.replace(/\+/g, ' '));
      if (next === current) break;
      current = next;
    } catch {
      break;
    }
  }
  return current;
}

function bareId(text: string): string | undefined {
  const hex = HEX_ID.exec(text);
  if (hex) return normaliseTraceId(hex[1]);
  if (DASHED_UUID.test(text)) return normaliseTraceId(text.replace(/-/g, ''));
  if (DECIMAL_ID.test(text)) {
    const value = BigInt(text);
    return value > 0n && value <= MAX_UINT64 ? normaliseTraceId(value.toString(16)) : undefined;
  }
  // Base64 (OTLP/JSON bytes as Tempo and gogo write them): exactly 16 bytes.
  if (/^[A-Za-z0-9+/]{22}==$/.test(text)) return normaliseTraceId(text);
  return undefined;
}

/** Trace pages: Jaeger /trace/<id>, Zipkin /traces/<id>, Tempo /api/traces/<id>, Grafana explore and panels with traceId params or queries. */
function fromUrl(url: URL): TraceReference | undefined {
  const spanId = url.searchParams.get('uiFind') ?? url.searchParams.get('spanId') ?? undefined;
  const inPath = /\/traces?\/([0-9a-fA-F]{16,32})(?:[/?#]|$)/.exec(url.pathname);
  const candidates = [
    inPath?.[1],
    url.searchParams.get('traceId'),
    url.searchParams.get('traceID'),
    url.searchParams.get('trace_id'),
    url.searchParams.get('var-traceId'),
    url.searchParams.get('var-traceID'),
  ];
  for (const candidate of candidates) {
    const traceId = candidate ? bareId(candidate.trim()) : undefined;
    if (traceId) return { kind: 'id', traceId, spanId: spanId && /^[0-9a-f]{16}$/i.test(spanId) ? spanId.toLowerCase() : undefined };
  }
  // Grafana Explore keeps the query in JSON inside the URL (left=…, panes=…): look for an id in the decoded text.
  const decoded = decodeRepeatedly(url.search + url.hash);
  const quoted = /"(?:query|traceId|traceID)"\s*:\s*"([0-9a-fA-F]{16,32})"/.exec(decoded);
  const traceId = quoted ? bareId(quoted[1]) : bestTraceId(decoded);
  return traceId ? { kind: 'id', traceId } : undefined;
}

export function parseTraceReference(input: string): TraceReference {
  const text = input.trim().replace(/^["'`<]+|["'`>]+$/g, '');
  if (!text) return { kind: 'invalid', message: 'enter a trace id, a traceparent, a trace page URL or a trace file path' };
  const bare = bareId(text);
  if (bare) return { kind: 'id', traceId: bare };
  if (/^https?:\/\//i.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return { kind: 'invalid', message: `"${text.slice(0, 80)}" is not a valid URL` };
    }
    return (
      fromUrl(url) ?? {
        kind: 'invalid',
        message: `no trace id in ${url.origin}${url.pathname.slice(0, 60)}: expected a Jaeger, Tempo, Grafana or Zipkin trace page`,
      }
    );
  }
  if (/^file:\/\//i.test(text)) return { kind: 'file', path: decodeURIComponent(text.replace(/^file:\/\//i, '')) };
  // Paths first: a file may be named after the trace it holds.
  if (!/\s/.test(text) && (TRACE_FILE.test(text) || /^(?:[~.]?\/|[A-Za-z]:[\\/])/.test(text))) return { kind: 'file', path: text };
  const traceId = bestTraceId(text);
  if (traceId) return { kind: 'id', traceId };
  return {
    kind: 'invalid',
    message: `no trace id in "${text.slice(0, 80)}": expected 32 or 16 hex digits, a traceparent, a trace page URL or a trace file path`,
  };
}
