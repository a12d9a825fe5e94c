// "Compare two dates": match transfers by id and say what changed.
import type { BasisKind, TransferStatus } from '../gql/graphql';

export interface ComparableTransfer {
  id: string;
  status: TransferStatus;
  basisKind: BasisKind;
  basis: { code: string } | null;
  basisReference: string | null;
}

export type ChangeKind = 'NEW' | 'GONE' | 'CHANGED';

export interface TransferChange<T extends ComparableTransfer> {
  kind: ChangeKind;
  id: string;
  before: T | null;
  after: T | null;
  statusChanged: boolean;
  basisChanged: boolean;
}

export interface TransferDiff<T extends ComparableTransfer> {
  changes: TransferChange<T>[];
  unchanged: number;
  counts: Record<ChangeKind, number>;
}

/** A transfer's basis as one comparable key: the mechanism code, or the kind (ADEQUACY with its decision, NONE). */
export function basisKey(t: ComparableTransfer): string {
  if (t.basis) return `MECHANISM:${t.basis.code}`;
  if (t.basisKind === 'ADEQUACY') return `ADEQUACY:${t.basisReference ?? ''}`;
  return t.basisKind;
}

const KIND_ORDER: Readonly<Record<ChangeKind, number>> = { CHANGED: 0, NEW: 1, GONE: 2 };

/**
 * What changed from `before` (transfers on the first date) to `after` (on the second): status or basis changes of
 * transfers present on both, new flows and gone flows. Sorted: changed, new, gone; then by id.
 */
export function diffTransfers<T extends ComparableTransfer>(before: ReadonlyArray<T>, after: ReadonlyArray<T>): TransferDiff<T> {
  const a = new Map(before.map((t) => [t.id, t]));
  const b = new Map(after.map((t) => [t.id, t]));
  const changes: TransferChange<T>[] = [];
  let unchanged = 0;
  for (const [id, old] of a) {
    const now = b.get(id);
    if (!now) {
      changes.push({ kind: 'GONE', id, before: old, after: null, statusChanged: false, basisChanged: false });
      continue;
    }
    const statusChanged = old.status !== now.status;
    const basisChanged = basisKey(old) !== basisKey(now);
    if (statusChanged || basisChanged) changes.push({ kind: 'CHANGED', id, before: old, after: now, statusChanged, basisChanged });
    else unchanged += 1;
  }
  for (const [id, now] of b) {
    if (!a.has(id)) changes.push({ kind: 'NEW', id, before: null, after: now, statusChanged: false, basisChanged: false });
  }
  changes.sort((x, y) => KIND_ORDER[x.kind] - KIND_ORDER[y.kind] || x.id.localeCompare(y.id));
  const counts: Record<ChangeKind, number> = { NEW: 0, GONE: 0, CHANGED: 0 };
  for (const c of changes) counts[c.kind] += 1;
  return { changes, unchanged, counts };
}
