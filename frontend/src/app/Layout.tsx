// The frame of every view: skip link, header with navigation, the as-of control, the not-legal-advice notice.
import { useSyncExternalStore, type ReactNode } from 'react';
import { getToken, setToken, subscribeToken } from '../api/client';
import { useMeta } from '../api/hooks';
import { longDate, todayIso } from '../lib/dates';
import type { RouteName } from '../lib/router';
import { AsOfControl } from './AsOfControl';
import { useAsOf, useHref } from './navigation';
import { openTokenDialog } from './tokenStore';

const NAV: ReadonlyArray<{ path: string; label: string; routes: RouteName[] }> = [
  { path: '/', label: 'Overview', routes: ['overview'] },
  { path: '/findings', label: 'Findings', routes: ['findings'] },
  { path: '/chains', label: 'Chains', routes: ['chains'] },
  { path: '/time-travel', label: 'Time travel', routes: ['time-travel'] },
  { path: '/what-if', label: 'What-if', routes: ['what-if'] },
  { path: '/organisations', label: 'Organisations', routes: ['organisations', 'organisation'] },
  { path: '/vendor-check', label: 'Vendor check', routes: ['vendor-check'] },
];

export const FALLBACK_DISCLAIMER = 'flowmap output is an aid for privacy professionals, not legal advice.';

export function useDisclaimer(): string {
  const meta = useMeta();
  return meta.data?.disclaimer ?? FALLBACK_DISCLAIMER;
}

function TokenStatus() {
  const token = useSyncExternalStore(subscribeToken, getToken, () => null);
  if (!token) return null;
  return (
    <span className="token-status">
      <span>Token in use</span>
      <button type="button" className="button button--small button--secondary" onClick={() => openTokenDialog(null)}>
        Change
      </button>
      <button type="button" className="button button--small button--secondary" onClick={() => setToken(null)}>
        Forget
      </button>
    </span>
  );
}

export function Layout({ route, viewTitle, children }: { route: RouteName; viewTitle: string; children: ReactNode }) {
  const href = useHref();
  const { asOf } = useAsOf();
  const disclaimer = useDisclaimer();
  const meta = useMeta();
  return (
    <>
      <a className="skip-link" href="#main" onClick={(e) => {
        e.preventDefault();
        document.getElementById('main')?.focus();
      }}>
        Skip to content
      </a>
      <header className="app-header no-print">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            ⇢
          </span>
          <span className="brand-name">flowmap</span>
          <span className="brand-sub">Transfer risk</span>
        </div>
        <nav aria-label="Views">
          <ul className="nav">
            {NAV.map((item) => (
              <li key={item.path}>
                <a href={href(item.path)} aria-current={item.routes.includes(route) ? 'page' : undefined}>
                  {item.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="header-tools">
          <AsOfControl />
          <TokenStatus />
          <button type="button" className="button button--small button--secondary" onClick={() => window.print()}>
            Print
          </button>
        </div>
      </header>
      <div className="print-header print-only">
        <p className="print-title">flowmap transfer-risk report — {viewTitle}</p>
        <p>
          Judged as of <strong>{longDate(asOf)}</strong> ({asOf}). Printed {todayIso()}.
        </p>
      </div>
      <p className="notice" role="note" data-testid="disclaimer">
        <strong>Not legal advice.</strong> {disclaimer}
      </p>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
      <footer className="app-footer">
        <p>
          <strong>Not legal advice.</strong> {disclaimer}
        </p>
        <p className="muted">
          flowmap {meta.data?.version ?? ''} · data judged as of {asOf} · statuses are shown as text and shape, never by colour
          alone.
        </p>
      </footer>
    </>
  );
}
