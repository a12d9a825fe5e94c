import { describe, expect, it } from 'vitest';
import { basisLabel, countMechanisms, dayAfter, explainValidity, mechanismLabel, type MechanismInfo, type TransferForMechanisms, type Validity } from '../mechanisms';

const v = (valid: boolean, signable: boolean, window: Partial<NonNullable<Validity['window']>> | null, regime: Validity['regime'] = 'EU_GDPR'): Validity => ({
  regime,
  valid,
  signable,
  window: window ? { validFrom: null, validUntil: null, signableUntil: null, endedBy: null, ...window } : null,
});

const PS: MechanismInfo = {
  code: 'PRIVACY_SHIELD_EU_US',
  name: 'EU-US Privacy Shield',
  eu: v(false, false, { validFrom: '2016-07-12', validUntil: '2020-07-15', endedBy: 'CJEU C-311/18 (Schrems II), 2020-07-16' }),
  uk: v(false, false, null, 'UK_GDPR'),
  ch: v(false, false, null, 'CH_FADP'),
};
const DPF: MechanismInfo = {
  code: 'DPF_EU_US',
  name: 'EU-US Data Privacy Framework',
  eu: v(true, true, { validFrom: '2023-07-10' }),
  uk: v(false, false, null, 'UK_GDPR'),
  ch: v(false, false, null, 'CH_FADP'),
};

const transfer = (id: string, basis: string | null, declared: string[], regime: TransferForMechanisms['regime'] = 'EU_GDPR', kind: TransferForMechanisms['basisKind'] = basis ? 'MECHANISM' : 'NONE'): TransferForMechanisms => ({
  id,
  regime,
  basisKind: kind,
  basis: basis ? { code: basis as MechanismInfo['code'] } : null,
  path: [{ mechanisms: [] }, { mechanisms: declared as MechanismInfo['code'][] }],
});

describe('explainValidity', () => {
  it('says when and why a mechanism ended', () => {
    const e = explainValidity(PS.eu, '2026-11-22');
    expect(e).toMatchObject({ state: 'ENDED', usable: false, label: 'Invalid since 2020-07-16' });
    expect(e.detail).toContain('C-311/18');
  });

  it('knows a mechanism that is not in force yet', () => {
    expect(explainValidity(v(false, false, { validFrom: '2023-07-10' }), '2020-01-01')).toMatchObject({ state: 'NOT_YET', usable: false });
  });

  it('marks old SCCs valid for existing contracts only', () => {
    const old = v(true, false, { validUntil: '2022-12-27', signableUntil: '2021-09-26' });
    const e = explainValidity(old, '2022-01-01');
    expect(e).toMatchObject({ state: 'NOT_SIGNABLE', usable: true });
    expect(e.detail).toContain('2022-12-27');
  });

  it('says when a regime has no window at all', () => {
    expect(explainValidity(DPF.uk, '2026-11-22')).toMatchObject({ state: 'NOT_AVAILABLE', label: 'Not available under UK GDPR' });
  });

  it('passes a valid mechanism', () => {
    expect(explainValidity(DPF.eu, '2026-11-22')).toMatchObject({ state: 'VALID', usable: true });
  });
});

describe('countMechanisms', () => {
  it('counts relied-on and declared mechanisms and marks the invalid ones', () => {
    const rows = countMechanisms(
      [
        transfer('de', null, ['PRIVACY_SHIELD_EU_US', 'SCC_2010']),
        transfer('be', 'DPF_EU_US', ['DPF_EU_US', 'SCC_2021']),
        transfer('nl', 'DPF_EU_US', ['DPF_EU_US']),
      ],
      [PS, DPF],
      '2026-11-22',
    );
    const by = new Map(rows.map((r) => [r.key, r]));
    expect(by.get('DPF_EU_US')).toMatchObject({ reliedOn: 2, declared: 2 });
    expect(by.get('DPF_EU_US')?.verdict?.state).toBe('VALID');
    expect(by.get('PRIVACY_SHIELD_EU_US')).toMatchObject({ reliedOn: 0, declared: 1 });
    expect(by.get('PRIVACY_SHIELD_EU_US')?.verdict).toMatchObject({ state: 'ENDED', usable: false });
    expect(by.get('NONE')).toMatchObject({ reliedOn: 1, declared: 0, verdict: null });
    // unknown to the mechanisms list: counted, but no verdict is invented
    expect(by.get('SCC_2010')?.verdict).toBeNull();
    expect(rows[0]?.key).toBe('DPF_EU_US');
  });

  it('judges a mechanism under the regime of the transfers that use it (worst wins)', () => {
    const rows = countMechanisms([transfer('uk', 'DPF_EU_US', ['DPF_EU_US'], 'UK_GDPR'), transfer('eu', 'DPF_EU_US', ['DPF_EU_US'])], [DPF], '2026-11-22');
    expect(rows[0]?.regimes).toEqual(['EU_GDPR', 'UK_GDPR']);
    expect(rows[0]?.verdict?.state).toBe('NOT_AVAILABLE');
  });

  it('does not call unnamed safeguards valid', () => {
    const UNSPEC: MechanismInfo = { ...DPF, code: 'UNSPECIFIED', name: 'Unspecified', eu: v(true, true, { validFrom: '1995-10-24' }) };
    const rows = countMechanisms([transfer('x', null, ['UNSPECIFIED'])], [UNSPEC], '2026-11-22');
    expect(rows.find((r) => r.key === 'UNSPECIFIED')?.verdict).toMatchObject({ state: 'UNIDENTIFIED', label: 'No transfer tool identified' });
  });

  it('counts adequacy apart from mechanisms', () => {
    const rows = countMechanisms([transfer('jp', null, [], 'EU_GDPR', 'ADEQUACY')], [], '2026-11-22');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ key: 'ADEQUACY', reliedOn: 1 });
  });
});

describe('labels and dates', () => {
  it('labels mechanisms and bases', () => {
    expect(mechanismLabel('DPF_EU_US')).toBe('EU-US DPF');
    expect(mechanismLabel('SOMETHING_NEW')).toBe('SOMETHING_NEW');
    expect(mechanismLabel(null)).toBe('—');
    expect(basisLabel({ code: 'SCC_2021' }, 'MECHANISM')).toBe('SCC 2021');
    expect(basisLabel(null, 'ADEQUACY', 'Decision 2019/419')).toBe('Adequacy (Decision 2019/419)');
    expect(basisLabel(null, 'NONE')).toBe('No basis');
  });

  it('finds the day after, across months and leap days', () => {
    expect(dayAfter('2020-07-15')).toBe('2020-07-16');
    expect(dayAfter('2022-12-31')).toBe('2023-01-01');
    expect(dayAfter('2024-02-28')).toBe('2024-02-29');
  });
});
