performance.mark('flowmap:main');
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { isApiError } from './api/client';
import { transfersQuery } from './api/hooks';
import { App } from './app/App';
import { openTokenDialog } from './app/tokenStore';
import { isIsoDate, todayIso } from './lib/dates';
import { matchRoute, parseHash } from './lib/router';
import './styles/app.css';
import './styles/print.css';

function onError(error: unknown) {
  if (isApiError(error) && error.kind === 'auth') openTokenDialog(error.message);
}

const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError }),
  mutationCache: new MutationCache({ onError }),
  defaultOptions: {
    queries: {
      staleTime: 5 * 60_000,
      gcTime: 30 * 60_000,
      refetchOnWindowFocus: false,
      // retry once when the network failed; never on answers (401/403/GraphQL errors will not change by retrying)
      retry: (count, error) => isApiError(error) && error.kind === 'network' && count < 1,
      retryDelay: 800,
    },
  },
});

// Start reading the transfers before React's first render: the overview's KPIs (and findings, chains) wait on them.
const start = parseHash(window.location.hash);
const startAsOf = start.params.get('asOf');
if (['overview', 'findings', 'chains'].includes(matchRoute(start.path).name)) {
  void queryClient.prefetchQuery(transfersQuery(isIsoDate(startAsOf) ? startAsOf : todayIso()));
}

const root = document.getElementById('root');
if (!root) throw new Error('#root is missing from index.html');
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
