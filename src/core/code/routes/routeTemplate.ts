// One spelling for a route template whatever the framework wrote: parameters become `{}` (`<int:id>`, `{id}`,
// `{id:\d+}`, `:id`, `:id?`, `(?P<id>…)`, `[id]`), wildcards `{*}`, Rails' `(.:format)` goes, slashes are
// single with none at the end. `/owners/<int:id>/pets` and `/owners/{ownerId}/pets` are the same route.

const PARAMETER = /<[^>]*>|\{[^}]*\}|\(\?P<[^>]+>[^)]*\)|\[\[?\.{0,3}[\w-]+\]\]?|:[A-Za-z_$][\w$]*\??/g;

function canonicalSegment(segment: string): string {
  if (segment === '*' || /^\*[\w]*$/.test(segment) || /^\{\*[^}]*\}$/.test(segment) || /^<path:[^>]+>$/.test(segment)) return '{*}';
  return segment.replace(PARAMETER, '{}');
}

export function canonicalRoute(route: string): string {
  const path = route.replace(/^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|ANY)\s+/i, '').replace(/\(\.:format\)$/, '');
  // Django joins an included regex onto its prefix as written: "api/^questions/(?P<pk>[0-9]+)/$".
  const segments = path
    .split('/')
    .map((s) => s.replace(/^\^/, '').replace(/\$$/, ''))
    .filter((s) => s !== '')
    .map(canonicalSegment);
  return `/${segments.join('/')}`;
}

/** Prefixes and a path joined as a framework joins them (`/api` + `/articles` + `/:id`). */
export function joinRoute(...parts: string[]): string {
  return canonicalRoute(parts.filter(Boolean).join('/'));
}

/** The method of a route written "GET /x" (Go 1.22 patterns, span names), if any. */
export function routeMethod(route: string): string | undefined {
  return /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+/i.exec(route)?.[1].toUpperCase();
}
