import { describe, expect, it } from 'vitest';
import { hopBases, type EdgeLike, type TransferForChain } from '../chain';

const transfer = (id: string, importer: string, dest: string | null, hops: string[], basis: string | null, status: TransferForChain['status']): TransferForChain => ({
  id,
  status,
  basisKind: basis ? 'MECHANISM' : 'NONE',
  basisReference: null,
  basis: basis ? { code: basis } : null,
  importer: { id: importer },
  destination: dest ? { code: dest } : null,
  path: hops.map((id) => ({ engagement: { id } })),
});

const edges: EdgeLike[] = [
  { id: 'e:be>nimbus', source: 'org:be', target: 'org:nimbus', kind: 'ENGAGEMENT', engagement: { id: 'be>nimbus' } },
  { id: 'e:be>force', source: 'org:be', target: 'org:force', kind: 'ENGAGEMENT', engagement: { id: 'be>force' } },
  { id: 'e:force>amazon', source: 'org:force', target: 'org:amazon', kind: 'ENGAGEMENT', engagement: { id: 'force>amazon' } },
  { id: 'l:nimbus>US', source: 'org:nimbus', target: 'country:US', kind: 'LOCATION', engagement: null },
  { id: 'l:amazon>?', source: 'org:amazon', target: 'country:?', kind: 'LOCATION', engagement: null },
  { id: 'l:force>BE', source: 'org:force', target: 'country:BE', kind: 'LOCATION', engagement: null },
];

const transfers = [
  transfer('t1', 'nimbus', 'US', ['be>nimbus'], 'DPF_EU_US', 'COMPLIANT'),
  transfer('t2', 'amazon', null, ['be>force', 'force>amazon'], null, 'NEEDS_REVIEW'),
  transfer('t3', 'maniterm', null, ['be>force', 'force>maniterm'], 'SCC_2021', 'NEEDS_REVIEW'),
];

describe('hopBases', () => {
  const bases = hopBases(edges, transfers);

  it('gives an engagement the bases of every transfer through it', () => {
    expect(bases.get('e:be>nimbus')?.bases).toEqual([{ label: 'EU-US DPF', transferIds: ['t1'], status: 'COMPLIANT' }]);
    const force = bases.get('e:be>force');
    expect(force?.transferCount).toBe(2);
    expect(force?.bases.map((b) => b.label)).toEqual(['No basis', 'SCC 2021']);
    expect(force?.status).toBe('NEEDS_REVIEW');
    expect(bases.get('e:force>amazon')?.bases.map((b) => b.transferIds)).toEqual([['t2']]);
  });

  it('gives a location edge the transfers to that importer in that country, unknown ones included', () => {
    expect(bases.get('l:nimbus>US')?.bases.map((b) => b.label)).toEqual(['EU-US DPF']);
    expect(bases.get('l:amazon>?')?.transferCount).toBe(1);
  });

  it('leaves hops no transfer uses empty', () => {
    expect(bases.get('l:force>BE')).toEqual({ bases: [], status: null, transferCount: 0 });
  });
});
