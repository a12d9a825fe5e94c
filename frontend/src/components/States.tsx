// Loading, error and empty states. Errors say what happened and what to do.
import type { ReactNode } from 'react';
import { isApiError } from '../api/client';
import { openTokenDialog } from '../app/tokenStore';

export function Loading({ what }: { what: string }) {
  return (
    <div className="state state--loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      Loading {what}…
    </div>
  );
}

export function ErrorPanel({
  error,
  what,
  onRetry,
  forbidden,
  children,
}: {
  error: unknown;
  what: string;
  onRetry?: () => void;
  /** What a 403 means here (default: the token's role may not read this). */
  forbidden?: { title: string; hint: ReactNode };
  /** More about the error, under its message. */
  children?: ReactNode;
}) {
  let title = `Could not load ${what}`;
  let body: ReactNode = error instanceof Error ? error.message : String(error);
  let tokenButton = false;
  if (isApiError(error)) {
    switch (error.kind) {
      case 'network':
        title = 'The flowmap API is unreachable';
        body = (
          <>
            The dashboard could not connect to <code>/graphql</code>. Check that the server is running (<code>make run</code>) and that
            this page is served by it, then retry.
          </>
        );
        break;
      case 'auth':
        title = 'An access token is needed';
        body = <>This server requires a bearer token ({error.message}).</>;
        tokenButton = true;
        break;
      case 'forbidden':
        title = forbidden?.title ?? 'Your token does not allow this';
        body = forbidden ? (
          <>
            {forbidden.hint} <span className="muted">(The server said: {error.message}.)</span>
          </>
        ) : (
          <>{error.message}. Use a token with a role that may read this (viewer, procurement or editor).</>
        );
        tokenButton = true;
        break;
      case 'graphql':
        title = `The API returned ${error.errors.length === 1 ? 'an error' : 'errors'}`;
        body = (
          <ul className="error-list">
            {error.errors.map((e, i) => (
              <li key={i}>
                {e.message}
                {e.extensions?.code && (
                  <>
                    {' '}
                    <code>{e.extensions.code}</code>
                  </>
                )}
                {e.extensions?.field && (
                  <>
                    {' '}
                    at <code>{e.extensions.field}</code>
                  </>
                )}
              </li>
            ))}
          </ul>
        );
        break;
      case 'http':
        title = 'The API answered with an error';
        body = error.message;
        break;
    }
  }
  return (
    <div className="state state--error" role="alert" data-testid="error-panel">
      <h2 className="state-title">{title}</h2>
      <div>{body}</div>
      {children}
      <p className="state-context">While loading {what}. Nothing shown here is stale data: the view stays empty until the API answers.</p>
      <div className="state-actions no-print">
        {onRetry && (
          <button type="button" className="button" onClick={onRetry}>
            Retry
          </button>
        )}
        {tokenButton && (
          <button type="button" className="button button--secondary" onClick={() => openTokenDialog(isApiError(error) ? error.message : null)}>
            Enter a token
          </button>
        )}
      </div>
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="state state--empty">{children}</div>;
}

/** Renders children with the data, or the loading/error state of a query. */
export function QueryState<T>({
  query,
  what,
  children,
}: {
  query: { data: T | undefined; error: unknown; isPending: boolean; refetch: () => unknown };
  what: string;
  children: (data: T) => ReactNode;
}) {
  if (query.error) return <ErrorPanel error={query.error} what={what} onRetry={() => void query.refetch()} />;
  if (query.isPending || query.data === undefined) return <Loading what={what} />;
  return <>{children(query.data)}</>;
}
