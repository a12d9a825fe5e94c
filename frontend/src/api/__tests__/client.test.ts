import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MetaDocument } from '../../gql/graphql';
import { ApiError, getToken, request, setToken } from '../client';

function respond(status: number, body: unknown, type = 'application/graphql-response+json; charset=utf-8') {
  return vi.fn(async (_url: string, _init?: RequestInit) => new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers: { 'content-type': type } }));
}

describe('request', () => {
  beforeEach(() => sessionStorage.clear());
  afterEach(() => vi.unstubAllGlobals());

  it('POSTs the typed document as JSON and returns data', async () => {
    const fetchMock = respond(200, { data: { disclaimer: 'not legal advice', version: '0.1.0' } });
    vi.stubGlobal('fetch', fetchMock);
    const data = await request(MetaDocument, {});
    expect(data.disclaimer).toBe('not legal advice');
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe('./graphql');
    expect(init?.method).toBe('POST');
    const headers = init?.headers as Record<string, string>;
    expect(headers['Content-Type']).toBe('application/json');
    expect(headers.Accept).toBe('application/graphql-response+json, application/json;q=0.9');
    expect(headers.Authorization).toBeUndefined();
    expect(JSON.parse(String(init?.body)).query).toContain('disclaimer');
  });

  it('sends the stored token as a bearer token', async () => {
    const fetchMock = respond(200, { data: { disclaimer: 'x', version: 'y' } });
    vi.stubGlobal('fetch', fetchMock);
    setToken('s3cret-token-0123456789');
    expect(getToken()).toBe('s3cret-token-0123456789');
    await request(MetaDocument, {});
    expect((fetchMock.mock.calls[0]![1]?.headers as Record<string, string>).Authorization).toBe('Bearer s3cret-token-0123456789');
    setToken(null);
    expect(getToken()).toBeNull();
  });

  it('turns 401 into an auth error and 403 into a forbidden error', async () => {
    vi.stubGlobal('fetch', respond(401, { errors: [{ message: 'disclaimer needs a bearer token', extensions: { code: 'UNAUTHENTICATED' } }] }));
    await expect(request(MetaDocument, {})).rejects.toMatchObject({ kind: 'auth', status: 401, message: expect.stringContaining('bearer token') });
    vi.stubGlobal('fetch', respond(403, { errors: [{ message: 'needs the edit permission', extensions: { code: 'FORBIDDEN' } }] }));
    await expect(request(MetaDocument, {})).rejects.toMatchObject({ kind: 'forbidden', status: 403 });
  });

  it('reports GraphQL errors with their code and field', async () => {
    vi.stubGlobal('fetch', respond(400, { errors: [{ message: 'Invalid date', extensions: { code: 'BAD_USER_INPUT', field: 'asOf' } }] }));
    const err = await request(MetaDocument, {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).kind).toBe('graphql');
    expect((err as ApiError).message).toBe('Invalid date [BAD_USER_INPUT at asOf]');
    expect((err as ApiError).errors).toHaveLength(1);
  });

  it('says the API is unreachable when fetch fails', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));
    await expect(request(MetaDocument, {})).rejects.toMatchObject({ kind: 'network' });
  });

  it('reports a non-JSON error page as an HTTP error', async () => {
    vi.stubGlobal('fetch', respond(502, '<html>Bad gateway</html>', 'text/html'));
    await expect(request(MetaDocument, {})).rejects.toMatchObject({ kind: 'http', status: 502, message: expect.stringContaining('502') });
  });
});
