// Whether the token dialog is open, and why (a 401 from the API, or the user asked).
import { useSyncExternalStore } from 'react';

interface TokenDialogState {
  open: boolean;
  reason: string | null;
}

let state: TokenDialogState = { open: false, reason: null };
const listeners = new Set<() => void>();

function set(next: TokenDialogState) {
  state = next;
  listeners.forEach((l) => l());
}

export function openTokenDialog(reason: string | null = null): void {
  if (state.open && state.reason === reason) return;
  set({ open: true, reason });
}

export function closeTokenDialog(): void {
  set({ open: false, reason: null });
}

export function useTokenDialog(): TokenDialogState {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => state,
  );
}
