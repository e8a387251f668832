// Service-map nodes for layout and page tests: `count` plain services s0, s1, …
import type { MapNode } from '../../src/core/analysis/serviceGraph/serviceMap';

export function serviceNodes(count: number): MapNode[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `service:s${i}`,
    name: `s${i}`,
    type: 'service' as const,
    requests: 1,
    errors: 0,
    inCycle: false,
    operations: [],
  }));
}
