// Span status from every dialect: OTLP status, `otel.status_code` (OTel spans exported through
// Jaeger or Zipkin), Jaeger's `error=true` tag and Zipkin's `error` tag.
import type { Attributes, SpanKind, Status, StatusCode } from './trace';

const STATUS_BY_NAME: Record<string, StatusCode> = {
  STATUS_CODE_UNSET: 'unset',
  STATUS_CODE_OK: 'ok',
  STATUS_CODE_ERROR: 'error',
  UNSET: 'unset',
  OK: 'ok',
  ERROR: 'error',
};
const STATUS_BY_NUMBER: StatusCode[] = ['unset', 'ok', 'error'];

export function statusCodeFrom(value: unknown): StatusCode | undefined {
  if (typeof value === 'number') return STATUS_BY_NUMBER[value];
  if (typeof value === 'string') return STATUS_BY_NAME[value.toUpperCase()];
  return undefined;
}

/** Each OTLP kind number's kind (its index). */
export const KIND_BY_NUMBER: readonly SpanKind[] = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
/** Each kind's OTLP number. */
export const KIND_NUMBER = Object.fromEntries(KIND_BY_NUMBER.map((kind, number) => [kind, number])) as Record<SpanKind, number>;
const KIND_BY_NAME: Record<string, SpanKind> = {
  SPAN_KIND_UNSPECIFIED: 'unspecified',
  SPAN_KIND_INTERNAL: 'internal',
  SPAN_KIND_SERVER: 'server',
  SPAN_KIND_CLIENT: 'client',
  SPAN_KIND_PRODUCER: 'producer',
  SPAN_KIND_CONSUMER: 'consumer',
  UNSPECIFIED: 'unspecified',
  INTERNAL: 'internal',
  SERVER: 'server',
  CLIENT: 'client',
  PRODUCER: 'producer',
  CONSUMER: 'consumer',
};

export function spanKindFrom(value: unknown): SpanKind | undefined {
  if (value === undefined || value === null) return 'unspecified';
  if (typeof value === 'number') return KIND_BY_NUMBER[value];
  if (typeof value === 'string') return KIND_BY_NAME[value.toUpperCase()];
  return undefined;
}

function isTrue(value: unknown): boolean {
  return value === true || (typeof value === 'string' && value.toLowerCase() === 'true');
}

/** The attributes `statusWithTagFallbacks` reads. */
export const STATUS_TAGS: ReadonlySet<string> = new Set(['otel.status_code', 'otel.status_description', 'error']);

/** Fills an unset status from the tags other tracers use for it (STATUS_TAGS). */
export function statusWithTagFallbacks(status: Status, attributes: Attributes): Status {
  if (status.code !== 'unset') return status;
  const otelCode = statusCodeFrom(attributes['otel.status_code']);
  if (otelCode && otelCode !== 'unset') {
    const description = attributes['otel.status_description'];
    return typeof description === 'string' && description ? { code: otelCode, message: description } : { code: otelCode };
  }
  if (isTrue(attributes.error)) return { code: 'error' };
  return status;
}
