// The hash location as React state, and the as-of date every view reads from it.
import { useCallback, useSyncExternalStore } from 'react';
import { isIsoDate, todayIso } from '../lib/dates';
import { buildHash, parseHash, type Location, type ParamValue } from '../lib/router';

const NAVIGATE = 'flowmap:navigate';

// When the view (the path) changes, the new view's h1 takes focus, so keyboard and screen-reader users start there.
let lastPath = parseHash(typeof window === 'undefined' ? '' : window.location.hash).path;
let focusPending = false;

function notePathChange(): void {
  const path = parseHash(window.location.hash).path;
  if (path !== lastPath) focusPending = true;
  lastPath = path;
}

if (typeof window !== 'undefined') {
  window.addEventListener('hashchange', notePathChange);
  window.addEventListener(NAVIGATE, notePathChange);
}

/** True once after a view change: the caller (the view's heading) should take focus. */
export function takeFocusRequest(): boolean {
  const pending = focusPending;
  focusPending = false;
  return pending;
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  window.addEventListener(NAVIGATE, onChange);
  return () => {
    window.removeEventListener('hashchange', onChange);
    window.removeEventListener(NAVIGATE, onChange);
  };
}

const snapshot = () => window.location.hash;

let cached: { hash: string; location: Location } | null = null;

export function useLocation(): Location {
  const hash = useSyncExternalStore(subscribe, snapshot, () => '');
  if (!cached || cached.hash !== hash) cached = { hash, location: parseHash(hash) };
  return cached.location;
}

/** Go to a path with params; `replace` for filter changes that should not pile up in the history. */
export function navigate(path: string, params: Record<string, ParamValue> | URLSearchParams = {}, replace = false): void {
  const hash = buildHash(path, params);
  if (hash === window.location.hash) return;
  if (replace) {
    window.history.replaceState(window.history.state, '', hash);
    window.dispatchEvent(new Event(NAVIGATE));
  } else window.location.hash = hash;
}

/** The as-of date: ?asOf= when valid, else today (the browser's date). */
export function useAsOf(): { asOf: string; today: string; isToday: boolean; setAsOf: (date: string) => void } {
  const { path, params } = useLocation();
  const today = todayIso();
  const raw = params.get('asOf');
  const asOf = isIsoDate(raw) ? raw : today;
  const setAsOf = useCallback(
    (date: string) => {
      if (!isIsoDate(date)) return;
      const next = new URLSearchParams(params);
      if (date === today) next.delete('asOf');
      else next.set('asOf', date);
      navigate(path, next);
    },
    [params, path, today],
  );
  return { asOf, today, isToday: asOf === today, setAsOf };
}

/** Update some params of the current view (others kept), replacing the history entry. */
export function useParamSetter(): (changes: Record<string, ParamValue>, replace?: boolean) => void {
  const { path, params } = useLocation();
  return useCallback(
    (changes, replace = true) => {
      const next: Record<string, ParamValue> = Object.fromEntries(params.entries());
      Object.assign(next, changes);
      navigate(path, next, replace);
    },
    [params, path],
  );
}

/** An href to a view that keeps the as-of date. */
export function useHref(): (path: string, params?: Record<string, ParamValue>) => string {
  const { params } = useLocation();
  const asOf = params.get('asOf');
  return useCallback((path, extra = {}) => buildHash(path, { asOf: isIsoDate(asOf) ? asOf : null, ...extra }), [asOf]);
}
