// Mechanisms: short labels, and whether each one the map relies on or declares still works on the as-of date.
import type { BasisKind, MechanismCode, RegimeCode } from '../gql/graphql';

const SHORT: Readonly<Record<MechanismCode, string>> = {
  SAFE_HARBOR: 'Safe Harbor',
  PRIVACY_SHIELD_EU_US: 'EU-US Privacy Shield',
  PRIVACY_SHIELD_SWISS_US: 'Swiss-US Privacy Shield',
  SCC_2001: 'SCC 2001',
  SCC_2004: 'SCC 2004',
  SCC_2010: 'SCC 2010',
  DPF_EU_US: 'EU-US DPF',
  DPF_UK_EXT: 'UK Extension to the DPF',
  DPF_SWISS_US: 'Swiss-US DPF',
  SCC_2021: 'SCC 2021',
  UK_IDTA: 'UK IDTA',
  UK_ADDENDUM: 'UK Addendum',
  BCR: 'BCR',
  CODE_OF_CONDUCT: 'Code of conduct',
  CERTIFICATION: 'Certification',
  ART49_CONSENT: 'Art. 49 consent',
  ART49_CONTRACT: 'Art. 49 contract',
  ART49_OTHER: 'Art. 49 other',
  UNSPECIFIED: 'Unspecified safeguards',
};

export function mechanismLabel(code: string | null | undefined): string {
  if (!code) return '—';
  return SHORT[code as MechanismCode] ?? code;
}

/** What a transfer rests on, in words. */
export function basisLabel(basis: { code: string } | null | undefined, kind: BasisKind, reference?: string | null): string {
  if (basis) return mechanismLabel(basis.code);
  if (kind === 'ADEQUACY') return reference ? `Adequacy (${reference})` : 'Adequacy decision';
  return 'No basis';
}

export interface ValidityWindow {
  validFrom: string | null;
  validUntil: string | null;
  signableUntil: string | null;
  endedBy: string | null;
}

export interface Validity {
  regime: RegimeCode;
  valid: boolean;
  signable: boolean;
  window: ValidityWindow | null;
}

export interface MechanismInfo {
  code: MechanismCode;
  name: string;
  eu: Validity;
  uk: Validity;
  ch: Validity;
}

export type ValidityState = 'VALID' | 'NOT_SIGNABLE' | 'UNIDENTIFIED' | 'ENDED' | 'NOT_YET' | 'NOT_AVAILABLE';

export interface ValidityVerdict {
  state: ValidityState;
  /** Usable on the date (VALID or NOT_SIGNABLE). */
  usable: boolean;
  label: string;
  detail: string;
}

export function validityFor(info: MechanismInfo, regime: RegimeCode): Validity {
  return regime === 'UK_GDPR' ? info.uk : regime === 'CH_FADP' ? info.ch : info.eu;
}

/** Day after an ISO date (validUntil is the last valid day; the mechanism falls the day after). */
export function dayAfter(iso: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

const REGIME_SHORT: Readonly<Record<RegimeCode, string>> = { EU_GDPR: 'EU GDPR', UK_GDPR: 'UK GDPR', CH_FADP: 'Swiss FADP' };

export function regimeLabel(regime: RegimeCode): string {
  return REGIME_SHORT[regime];
}

/** The API's validity on a date, explained: ended (and by what), not yet in force, or not available under a regime. */
export function explainValidity(v: Validity, asOf: string): ValidityVerdict {
  const w = v.window;
  if (v.valid && v.signable) return { state: 'VALID', usable: true, label: 'Valid', detail: `Valid under ${regimeLabel(v.regime)} on ${asOf}` };
  if (v.valid) {
    const until = w?.validUntil ? ` until ${w.validUntil}` : '';
    const since = w?.signableUntil ? ` after ${w.signableUntil}` : '';
    return {
      state: 'NOT_SIGNABLE',
      usable: true,
      label: 'Existing contracts only',
      detail: `No new contracts${since}; existing ones valid${until}`,
    };
  }
  if (w?.validUntil && w.validUntil < asOf) {
    return {
      state: 'ENDED',
      usable: false,
      label: `Invalid since ${dayAfter(w.validUntil)}`,
      detail: w.endedBy ?? `Last valid day ${w.validUntil}`,
    };
  }
  if (w?.validFrom && w.validFrom > asOf) {
    return { state: 'NOT_YET', usable: false, label: `Not yet in force (from ${w.validFrom})`, detail: `In force from ${w.validFrom}` };
  }
  return {
    state: 'NOT_AVAILABLE',
    usable: false,
    label: `Not available under ${regimeLabel(v.regime)}`,
    detail: `No validity window under ${regimeLabel(v.regime)} covers ${asOf}`,
  };
}

export interface TransferForMechanisms {
  id: string;
  regime: RegimeCode;
  basisKind: BasisKind;
  basis: { code: MechanismCode } | null;
  path: ReadonlyArray<{ mechanisms: ReadonlyArray<MechanismCode> }>;
}

export interface MechanismCount {
  /** A mechanism code, or 'ADEQUACY' / 'NONE' for transfers resting on no mechanism. */
  key: MechanismCode | 'ADEQUACY' | 'NONE';
  label: string;
  /** Transfers relying on it (their basis). */
  reliedOn: number;
  /** Transfers whose last hop declares it (relied on or not). */
  declared: number;
  /** Worst verdict across the regimes of the transfers that use it; null for ADEQUACY/NONE. */
  verdict: ValidityVerdict | null;
  regimes: RegimeCode[];
}

const VERDICT_RANK: Readonly<Record<ValidityState, number>> = { VALID: 0, NOT_SIGNABLE: 1, UNIDENTIFIED: 2, NOT_YET: 3, NOT_AVAILABLE: 4, ENDED: 5 };

/** 'Appropriate safeguards' a source does not name: the API counts the placeholder as valid, but it is no tool. */
const UNIDENTIFIED: ValidityVerdict = {
  state: 'UNIDENTIFIED',
  usable: true,
  label: 'No transfer tool identified',
  detail: 'The source promises unnamed “appropriate safeguards”; see the Unspecified mechanism findings',
};

/**
 * Counts of transfers per mechanism (relied on, and declared on the last hop), each marked with its validity on asOf
 * under the regimes of the transfers that use it. Sorted by use, most first.
 */
export function countMechanisms(
  transfers: ReadonlyArray<TransferForMechanisms>,
  mechanisms: ReadonlyArray<MechanismInfo>,
  asOf: string,
): MechanismCount[] {
  const byKey = new Map<MechanismCount['key'], { relied: Set<string>; declared: Set<string>; regimes: Set<RegimeCode> }>();
  const slot = (key: MechanismCount['key']) => {
    let s = byKey.get(key);
    if (!s) {
      s = { relied: new Set(), declared: new Set(), regimes: new Set() };
      byKey.set(key, s);
    }
    return s;
  };
  for (const t of transfers) {
    const reliedKey: MechanismCount['key'] = t.basis ? t.basis.code : t.basisKind === 'ADEQUACY' ? 'ADEQUACY' : 'NONE';
    const r = slot(reliedKey);
    r.relied.add(t.id);
    r.regimes.add(t.regime);
    const last = t.path[t.path.length - 1];
    for (const code of last?.mechanisms ?? []) {
      const d = slot(code);
      d.declared.add(t.id);
      d.regimes.add(t.regime);
    }
  }
  const info = new Map(mechanisms.map((m) => [m.code, m]));
  const rows: MechanismCount[] = [];
  for (const [key, s] of byKey) {
    const regimes = [...s.regimes].sort();
    let verdict: ValidityVerdict | null = null;
    const m = key === 'ADEQUACY' || key === 'NONE' ? undefined : info.get(key);
    if (m) {
      for (const regime of regimes) {
        const explained = explainValidity(validityFor(m, regime), asOf);
        const v = key === 'UNSPECIFIED' && explained.usable ? UNIDENTIFIED : explained;
        if (!verdict || VERDICT_RANK[v.state] > VERDICT_RANK[verdict.state]) verdict = v;
      }
    }
    const label = key === 'ADEQUACY' ? 'Adequacy decision (no mechanism needed)' : key === 'NONE' ? 'No basis' : mechanismLabel(key);
    rows.push({ key, label, reliedOn: s.relied.size, declared: s.declared.size, verdict, regimes });
  }
  return rows.sort((a, b) => b.reliedOn + b.declared - (a.reliedOn + a.declared) || a.label.localeCompare(b.label));
}
