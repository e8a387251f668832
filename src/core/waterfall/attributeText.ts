// Attribute values as the waterfall shows and searches them: strings as they are, everything else as JSON.
import type { Attributes, AttributeValue } from '../model/trace';

export function valueText(value: AttributeValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function pairs(attributes: Attributes | undefined): [string, string][] {
  return attributes ? Object.entries(attributes).map(([k, v]) => [k, valueText(v)]) : [];
}
