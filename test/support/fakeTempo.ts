// A stand-in for Grafana Tempo (whose AGPL code cannot be built or run here) that answers as Tempo's own code
// does (checked against its source, 3.1.0-dev; ../shared/notes/backends.md §2):
// - /api/v2/traces/<id>: a miss is 200 with an empty trace, never 404; a trace outside the given range is a miss
//   (the range narrows the blocks read); a trace over max_bytes_per_trace comes back "PARTIAL" with a message.
// - /api/traces/<id> (v1): a miss is 404 with an empty body.
// - Tag and value calls without start/end see only the last 15 minutes (the live store).
// - A search range over 168 h is a 400 with Tempo's message; unknown paths get the router's "404 page not found".
import type { Reply, Route } from './fakeBackend';

export interface StoredTempoTrace {
  /** 32 hex. */
  id: string;
  v1: string;
  v2: string;
  services: string[];
  /** How long ago Tempo received it. */
  ageSeconds: number;
  /** Over max_bytes_per_trace: answered as PARTIAL. */
  partial?: boolean;
}

const LIVE_WINDOW_SECONDS = 15 * 60;
const MAX_SEARCH_SECONDS = 168 * 3600;
const EMPTY_TRACE = '{"trace":{},"metrics":{"inspectedBytes":"0","completedJobs":1,"totalJobs":1}}';

function inRange(trace: StoredTempoTrace, query: URLSearchParams, defaultWindow?: number): boolean {
  const now = Date.now() / 1000;
  const received = now - trace.ageSeconds;
  const start = query.get('start');
  const end = query.get('end');
  if (start === null || end === null) return defaultWindow === undefined || received >= now - defaultWindow;
  return received >= Number(start) && received <= Number(end);
}

function byId(traces: StoredTempoTrace[], raw: string): StoredTempoTrace | undefined | 'bad' {
  if (!/^[0-9a-fA-F]{1,32}$/.test(raw)) return 'bad';
  return traces.find((t) => t.id === raw.toLowerCase().padStart(32, '0'));
}

export function fakeTempo(traces: StoredTempoTrace[], searchBody: string): Route {
  return ({ path, query }): Reply | undefined => {
    if (path === '/api/echo') return { body: 'echo', type: 'text/plain' };
    const v2 = /^\/api\/v2\/traces\/([^/]+)$/.exec(path);
    if (v2) {
      const found = byId(traces, v2[1]);
      if (found === 'bad') return { status: 400, body: 'invalid trace id', type: 'text/plain' };
      if (!found || !inRange(found, query)) return { body: EMPTY_TRACE };
      if (!found.partial) return { body: found.v2 };
      const body = JSON.parse(found.v2) as Record<string, unknown>;
      return { body: JSON.stringify({ ...body, status: 'PARTIAL', message: 'Trace exceeds maximum size of 5000000 bytes, a partial trace is returned' }) };
    }
    const v1 = /^\/api\/traces\/([^/]+)$/.exec(path);
    if (v1) {
      const found = byId(traces, v1[1]);
      if (found === 'bad') return { status: 400, body: 'invalid trace id', type: 'text/plain' };
      return found && inRange(found, query) ? { body: found.v1 } : { status: 404, body: '', type: 'text/plain' };
    }
    if (path === '/api/search') {
      const seconds = Number(query.get('end')) - Number(query.get('start'));
      if (seconds > MAX_SEARCH_SECONDS) {
        const hours = Math.floor(seconds / 3600);
        return {
          status: 400,
          type: 'text/plain; charset=utf-8',
          body: `range specified by start and end (${hours}h${Math.floor((seconds % 3600) / 60)}m${seconds % 60}s) exceeds 168h0m0s. received start=${query.get('start')} end=${query.get('end')}`,
        };
      }
      return { body: searchBody };
    }
    const live = traces.filter((t) => inRange(t, query, LIVE_WINDOW_SECONDS));
    if (path === '/api/v2/search/tag/resource.service.name/values') {
      return { body: JSON.stringify({ tagValues: [...new Set(live.flatMap((t) => t.services))].map((value) => ({ type: 'string', value })), metrics: {} }) };
    }
    if (path === '/api/v2/search/tags')
      return {
        body: JSON.stringify({
          scopes: [
            { name: 'resource', tags: live.length ? ['service.name'] : [] },
            { name: 'intrinsic', tags: ['duration', 'name'] },
          ],
          metrics: {},
        }),
      };
    return undefined;
  };
}
