// Hash routing (#/findings?asOf=2020-07-15&severity=CRITICAL): the server serves static files only, no SPA fallback.

export type RouteName = 'overview' | 'findings' | 'chains' | 'time-travel' | 'what-if' | 'organisations' | 'organisation' | 'vendor-check' | 'not-found';

export interface Route {
  name: RouteName;
  /** The organisation id on 'organisation'. */
  id?: string;
}

export interface Location {
  path: string;
  params: URLSearchParams;
}

/** '#/org/x?asOf=2020-01-01' -> { path: '/org/x', params }. An empty hash is the overview. */
export function parseHash(hash: string): Location {
  const raw = hash.startsWith('#') ? hash.slice(1) : hash;
  const q = raw.indexOf('?');
  const pathPart = q === -1 ? raw : raw.slice(0, q);
  const query = q === -1 ? '' : raw.slice(q + 1);
  const path = pathPart === '' ? '/' : pathPart.startsWith('/') ? pathPart : `/${pathPart}`;
  return { path, params: new URLSearchParams(query) };
}

/** Params whose value is '' / null / undefined are left out; arrays become comma-separated. */
export type ParamValue = string | number | boolean | null | undefined | readonly string[];

export function buildHash(path: string, params: Record<string, ParamValue> | URLSearchParams = {}): string {
  const search = new URLSearchParams();
  const entries: [string, ParamValue][] = params instanceof URLSearchParams ? [...params.entries()] : Object.entries(params);
  for (const [key, value] of entries) {
    if (value === null || value === undefined || value === '' || value === false) continue;
    if (Array.isArray(value)) {
      if (value.length) search.set(key, value.join(','));
    } else search.set(key, String(value));
  }
  const query = search.toString();
  return `#${path}${query ? `?${query}` : ''}`;
}

export function matchRoute(path: string): Route {
  const parts = path.split('/').filter(Boolean);
  if (parts.length === 0) return { name: 'overview' };
  const [head, ...rest] = parts;
  if (rest.length === 0) {
    switch (head) {
      case 'findings':
      case 'chains':
      case 'time-travel':
      case 'what-if':
      case 'organisations':
      case 'vendor-check':
        return { name: head };
      default:
        return { name: 'not-found' };
    }
  }
  if (head === 'org' && rest.length === 1 && rest[0]) {
    try {
      return { name: 'organisation', id: decodeURIComponent(rest[0]) };
    } catch {
      return { name: 'not-found' };
    }
  }
  return { name: 'not-found' };
}

export function orgPath(id: string): string {
  return `/org/${encodeURIComponent(id)}`;
}

/** A comma-separated list param as a set of non-empty strings. */
export function listParam(params: URLSearchParams, key: string): string[] {
  return (params.get(key) ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
