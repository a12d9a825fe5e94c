// The GraphQL client: POST /graphql (same origin), typed by the generated documents, bearer token from sessionStorage.
import type { TypedDocumentString } from '../gql/graphql';

export const ENDPOINT = './graphql';
const TOKEN_KEY = 'flowmap.apiToken';

export type ApiErrorKind = 'network' | 'auth' | 'forbidden' | 'http' | 'graphql';

export interface GraphQLErrorLike {
  message: string;
  extensions?: { code?: string; field?: string } | null;
}

export class ApiError extends Error {
  readonly kind: ApiErrorKind;
  readonly status: number | null;
  readonly errors: GraphQLErrorLike[];

  constructor(kind: ApiErrorKind, message: string, status: number | null = null, errors: GraphQLErrorLike[] = []) {
    super(message);
    this.name = 'ApiError';
    this.kind = kind;
    this.status = status;
    this.errors = errors;
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

// -- the bearer token (only when the server asks for one: 401) --------------------------------------------------------

type Listener = () => void;
const tokenListeners = new Set<Listener>();

export function getToken(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function setToken(token: string | null): void {
  try {
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // storage unavailable (private mode): the token lives for this page only
  }
  tokenListeners.forEach((l) => l());
}

export function subscribeToken(listener: Listener): () => void {
  tokenListeners.add(listener);
  return () => tokenListeners.delete(listener);
}

// -- requests ---------------------------------------------------------------------------------------------------------

interface GraphQLBody<R> {
  data?: R | null;
  errors?: GraphQLErrorLike[];
}

function describe(errors: GraphQLErrorLike[]): string {
  return errors
    .map((e) => {
      const code = e.extensions?.code ? ` [${e.extensions.code}${e.extensions.field ? ` at ${e.extensions.field}` : ''}]` : '';
      return `${e.message}${code}`;
    })
    .join('; ');
}

export async function request<R, V>(document: TypedDocumentString<R, V>, variables: V, signal?: AbortSignal): Promise<R> {
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    Accept: 'application/graphql-response+json, application/json;q=0.9',
  };
  if (!performance.getEntriesByName('flowmap:first-request').length) performance.mark('flowmap:first-request');
  const token = getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetch(ENDPOINT, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query: document.toString(), variables }),
      signal,
      credentials: 'same-origin',
    });
  } catch (e) {
    if (signal?.aborted) throw e;
    throw new ApiError('network', 'The flowmap API cannot be reached.');
  }
  let body: GraphQLBody<R> | null = null;
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      body = (await response.json()) as GraphQLBody<R>;
    } catch {
      body = null;
    }
  }
  const errors = body?.errors ?? [];
  if (response.status === 401) {
    throw new ApiError('auth', errors.length ? describe(errors) : 'The API needs an access token.', 401, errors);
  }
  if (response.status === 403) {
    throw new ApiError('forbidden', errors.length ? describe(errors) : 'The access token does not allow this.', 403, errors);
  }
  if (errors.length) throw new ApiError('graphql', describe(errors), response.status, errors);
  if (!response.ok || !body || body.data == null) {
    const reason = response.status === 502 || response.status === 503 || response.status === 504 ? ' (the server is not ready or not reachable)' : '';
    throw new ApiError('http', `The API answered HTTP ${response.status}${reason}.`, response.status);
  }
  return body.data;
}
