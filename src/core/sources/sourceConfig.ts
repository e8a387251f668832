// Turns the user's `traceLens.sources` entries (and CLI flags) into TraceSources. Credentials come separately
// (VS Code's SecretStorage, or the CLI's environment) and are marked secret so no message ever shows them.
import { DEFAULT_HTTP_LIMITS, displayUrl, type Endpoint, type HttpLimits } from './httpClient';
import { JaegerSource } from './jaegerSource';
import { TempoSource } from './tempoSource';
import { SOURCE_LABELS, type SourceKind, type TraceSource } from './traceSource';
import { ZipkinSource } from './zipkinSource';

export interface SourceConfig {
  name: string;
  kind: SourceKind;
  url: string;
  tenant?: string;
  headers?: Record<string, string>;
}

export type Credentials = { kind: 'none' } | { kind: 'bearer'; token: string } | { kind: 'basic'; username: string; password: string };

export const SOURCE_KINDS: readonly SourceKind[] = ['jaeger', 'tempo', 'zipkin'];

const TENANT_HEADER: Record<SourceKind, string | undefined> = { jaeger: 'x-tenant', tempo: 'X-Scope-OrgID', zipkin: undefined };

function problem(index: number, text: string): string {
  return `traceLens.sources[${index}]: ${text}`;
}

/** Valid entries, and one message per entry that is not (the rest still work). */
export function parseSourceConfigs(raw: unknown): { sources: SourceConfig[]; problems: string[] } {
  const sources: SourceConfig[] = [];
  const problems: string[] = [];
  if (!Array.isArray(raw)) return { sources, problems: raw === undefined ? [] : ['traceLens.sources must be a list'] };
  raw.forEach((entry, i): void => {
    const e = entry as Partial<Record<keyof SourceConfig, unknown>> | null;
    if (typeof e !== 'object' || e === null) return void problems.push(problem(i, 'not an object'));
    if (!SOURCE_KINDS.includes(e.kind as SourceKind)) return void problems.push(problem(i, `kind must be one of ${SOURCE_KINDS.join(', ')}`));
    const url = typeof e.url === 'string' ? e.url.trim() : '';
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return void problems.push(problem(i, `url "${url}" is not a URL (e.g. http://localhost:16686)`));
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return void problems.push(problem(i, 'url must start with http:// or https://'));
    const headers: Record<string, string> = {};
    if (e.headers !== undefined) {
      if (typeof e.headers !== 'object' || e.headers === null) return void problems.push(problem(i, 'headers must be an object of strings'));
      for (const [k, v] of Object.entries(e.headers)) if (typeof v === 'string') headers[k] = v;
    }
    const kind = e.kind as SourceKind;
    const name = typeof e.name === 'string' && e.name.trim() ? e.name.trim() : `${SOURCE_LABELS[kind]} ${parsed.host}`;
    if (sources.some((s) => s.name === name)) return void problems.push(problem(i, `a source named "${name}" is already defined`));
    sources.push({ name, kind, url, tenant: typeof e.tenant === 'string' && e.tenant ? e.tenant : undefined, headers });
  });
  return { sources, problems };
}

/**
 * A URL's own user:password (`https://me:pw@tempo.example`) are credentials: sent as Basic when none are stored
 * (stored ones win), and taken out of the URL so no message, log or request line carries them.
 */
function urlCredentials(config: SourceConfig, stored: Credentials): { baseUrl: string; credentials: Credentials } {
  const url = new URL(config.url);
  if (!url.username && !url.password) return { baseUrl: config.url, credentials: stored };
  const fromUrl: Credentials = { kind: 'basic', username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) };
  url.username = '';
  url.password = '';
  return { baseUrl: url.toString(), credentials: stored.kind === 'none' ? fromUrl : stored };
}

export function endpointFor(config: SourceConfig, stored: Credentials = { kind: 'none' }): Endpoint {
  const { baseUrl, credentials } = urlCredentials(config, stored);
  const headers: Record<string, string> = { ...config.headers };
  // Extra headers often carry API keys: treat every value as secret.
  const secrets = Object.values(config.headers ?? {});
  const tenantHeader = TENANT_HEADER[config.kind];
  if (config.tenant && tenantHeader) headers[tenantHeader] = config.tenant;
  if (credentials.kind === 'bearer') {
    headers.authorization = `Bearer ${credentials.token}`;
    secrets.push(credentials.token);
  } else if (credentials.kind === 'basic') {
    const encoded = Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64');
    headers.authorization = `Basic ${encoded}`;
    secrets.push(credentials.password, encoded);
  }
  const url = new URL(config.url);
  if (url.password) secrets.push(decodeURIComponent(url.password));
  return { label: `${SOURCE_LABELS[config.kind]} at ${displayUrl(config.url)}`, baseUrl, headers, secrets };
}

export function createSource(config: SourceConfig, credentials?: Credentials, limits: HttpLimits = DEFAULT_HTTP_LIMITS): TraceSource {
  const endpoint = endpointFor(config, credentials);
  switch (config.kind) {
    case 'jaeger':
      return new JaegerSource(config.name, endpoint, limits);
    case 'tempo':
      return new TempoSource(config.name, endpoint, limits);
    case 'zipkin':
      return new ZipkinSource(config.name, endpoint, limits);
  }
}

/** The configured sources for the log: URLs without their user:password. */
export function describeSources(sources: readonly SourceConfig[]): string {
  return `sources: ${sources.length ? sources.map((c) => `${c.name} (${c.kind} at ${displayUrl(c.url)})`).join(', ') : 'none configured (traceLens.sources)'}`;
}
