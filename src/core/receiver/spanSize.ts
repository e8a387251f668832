// A cheap estimate of the heap a stored span holds, for the store's byte limit. It walks the span's own data
// once; strings the decoder interns (attribute keys, resource, repeated values) are counted per span anyway, so
// the estimate errs high, which is the safe side for a limit. `npm run bench` prints the measured bytes per span.
import type { AttributeValue, Attributes, Resource, Scope, Span } from '../model/trace';

/** The span object, its id strings and its attribute object's header. */
const SPAN_BASE = 240;
const ENTRY = 24;

function valueBytes(value: AttributeValue): number {
  if (typeof value === 'string') return 16 + value.length;
  if (value === null || typeof value !== 'object') return 8;
  if (Array.isArray(value)) return value.reduce<number>((sum, v) => sum + 8 + valueBytes(v), 16);
  return attributesBytes(value);
}

function attributesBytes(attributes: Attributes): number {
  let bytes = 32;
  for (const key in attributes) bytes += ENTRY + valueBytes(attributes[key]);
  return bytes;
}

/** A resource or scope is shared by the spans of one export: counted once per trace that holds it. */
export function estimateSharedBytes(shared: Resource | Scope): number {
  return 64 + ('serviceName' in shared ? shared.serviceName.length : shared.name.length) + attributesBytes(shared.attributes ?? {});
}

export function estimateSpanBytes(span: Span): number {
  let bytes = SPAN_BASE + span.name.length + attributesBytes(span.attributes);
  // Indexed: the shared empty lists are frozen, and a for-of over lists of both kinds made an object per step.
  const { events, links } = span;
  for (let i = 0; i < events.length; i++) bytes += 48 + events[i].name.length + attributesBytes(events[i].attributes);
  for (let i = 0; i < links.length; i++) bytes += 96 + attributesBytes(links[i].attributes);
  if (span.status.message) bytes += 16 + span.status.message.length;
  return bytes;
}
