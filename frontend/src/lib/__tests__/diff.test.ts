import { describe, expect, it } from 'vitest';
import { basisKey, diffTransfers, type ComparableTransfer } from '../diff';

const t = (id: string, status: ComparableTransfer['status'], basis: string | null, extra: Partial<ComparableTransfer> = {}): ComparableTransfer => ({
  id,
  status,
  basisKind: basis ? 'MECHANISM' : 'NONE',
  basis: basis ? { code: basis } : null,
  basisReference: null,
  ...extra,
});

describe('diffTransfers', () => {
  it('finds status and basis changes of flows present on both dates (Schrems II)', () => {
    const before = [t('de|interactions|US', 'COMPLIANT', 'PRIVACY_SHIELD_EU_US'), t('be|nimbus|US', 'COMPLIANT', 'SCC_2021')];
    const after = [t('de|interactions|US', 'NEEDS_REVIEW', 'SCC_2010'), t('be|nimbus|US', 'COMPLIANT', 'SCC_2021')];
    const d = diffTransfers(before, after);
    expect(d.counts).toEqual({ CHANGED: 1, NEW: 0, GONE: 0 });
    expect(d.unchanged).toBe(1);
    const [c] = d.changes;
    expect(c?.id).toBe('de|interactions|US');
    expect(c?.statusChanged).toBe(true);
    expect(c?.basisChanged).toBe(true);
    expect(c?.before?.basis?.code).toBe('PRIVACY_SHIELD_EU_US');
    expect(c?.after?.basis?.code).toBe('SCC_2010');
  });

  it('reports a basis change with the same status, and a status change with the same basis', () => {
    const d = diffTransfers(
      [t('a', 'COMPLIANT', 'DPF_EU_US'), t('b', 'COMPLIANT', null)],
      [t('a', 'COMPLIANT', 'SCC_2021'), t('b', 'NON_COMPLIANT', null)],
    );
    const a = d.changes.find((c) => c.id === 'a');
    const b = d.changes.find((c) => c.id === 'b');
    expect(a).toMatchObject({ kind: 'CHANGED', statusChanged: false, basisChanged: true });
    expect(b).toMatchObject({ kind: 'CHANGED', statusChanged: true, basisChanged: false });
  });

  it('lists new and gone flows, changed first then new then gone', () => {
    const d = diffTransfers([t('gone', 'COMPLIANT', null), t('same', 'COMPLIANT', null), t('x', 'COMPLIANT', null)], [t('same', 'COMPLIANT', null), t('new', 'NEEDS_REVIEW', null), t('x', 'NON_COMPLIANT', null)]);
    expect(d.changes.map((c) => [c.kind, c.id])).toEqual([
      ['CHANGED', 'x'],
      ['NEW', 'new'],
      ['GONE', 'gone'],
    ]);
    expect(d.changes[1]?.before).toBeNull();
    expect(d.changes[2]?.after).toBeNull();
    expect(d.unchanged).toBe(1);
  });

  it('finds nothing between identical dates, and everything new from an empty date', () => {
    const list = [t('a', 'COMPLIANT', 'SCC_2021'), t('b', 'NEEDS_REVIEW', null)];
    expect(diffTransfers(list, list).changes).toEqual([]);
    expect(diffTransfers([], list).counts).toEqual({ CHANGED: 0, NEW: 2, GONE: 0 });
  });

  it('tells adequacy decisions apart by their reference', () => {
    const adequacy = (ref: string) => t('a', 'COMPLIANT', null, { basisKind: 'ADEQUACY', basisReference: ref });
    expect(basisKey(adequacy('2000/518/EC'))).not.toBe(basisKey(adequacy('2023/1795')));
    expect(diffTransfers([adequacy('2000/518/EC')], [adequacy('2023/1795')]).counts.CHANGED).toBe(1);
    expect(basisKey(t('a', 'COMPLIANT', null))).toBe('NONE');
  });
});
