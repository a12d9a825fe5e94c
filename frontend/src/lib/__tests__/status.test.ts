import { describe, expect, it } from 'vitest';
import { countByStatus, humanize, ruleLabel, SEVERITY_STYLE, severityRank, STATUS_STYLE, statusRank, statusStyle, worstStatus, type HopStatus } from '../status';

/** WCAG 2.x contrast ratio of two #rrggbb colours. */
function contrast(a: string, b: string): number {
  const lum = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

const ALL: HopStatus[] = ['COMPLIANT', 'NEEDS_REVIEW', 'NON_COMPLIANT', 'NO_TRANSFER'];

describe('status encoding', () => {
  it('gives every status its own label, glyph and shape (never colour alone)', () => {
    const labels = new Set(ALL.map((s) => STATUS_STYLE[s].label));
    const glyphs = new Set(ALL.map((s) => STATUS_STYLE[s].glyph));
    const shapes = new Set(ALL.map((s) => STATUS_STYLE[s].shape));
    expect(labels.size).toBe(ALL.length);
    expect(glyphs.size).toBe(ALL.length);
    expect(shapes.size).toBe(ALL.length);
  });

  it('draws transfer hops with different line patterns where colour differs', () => {
    const patterns = new Set(['COMPLIANT', 'NEEDS_REVIEW', 'NON_COMPLIANT'].map((s) => STATUS_STYLE[s as HopStatus].dash.join(',')));
    expect(patterns.size).toBe(3);
    expect(STATUS_STYLE.NON_COMPLIANT.pattern).not.toBe(STATUS_STYLE.NEEDS_REVIEW.pattern);
  });

  it('keeps status text at WCAG AA contrast (4.5:1) on white', () => {
    for (const s of ALL) expect(contrast(STATUS_STYLE[s].color, '#ffffff'), s).toBeGreaterThanOrEqual(4.5);
  });

  it('keeps map and bar fills at 3:1 non-text contrast against white', () => {
    for (const s of ['COMPLIANT', 'NEEDS_REVIEW', 'NON_COMPLIANT'] as const) expect(contrast(STATUS_STYLE[s].fill, '#ffffff'), s).toBeGreaterThanOrEqual(3);
  });

  it('keeps severity badges readable (4.5:1)', () => {
    for (const [sev, st] of Object.entries(SEVERITY_STYLE)) expect(contrast(st.color, st.bg), sev).toBeGreaterThanOrEqual(4.5);
  });

  it('treats a missing status as no transfer', () => {
    expect(statusStyle(null)).toBe(STATUS_STYLE.NO_TRANSFER);
    expect(statusStyle(undefined).label).toBe('No transfer');
  });
});

describe('ranking', () => {
  it('orders statuses from fine to worst', () => {
    expect(statusRank('NON_COMPLIANT')).toBeGreaterThan(statusRank('NEEDS_REVIEW'));
    expect(statusRank('NEEDS_REVIEW')).toBeGreaterThan(statusRank('COMPLIANT'));
    expect(statusRank('COMPLIANT')).toBeGreaterThan(statusRank(null));
  });

  it('finds the worst status, ignoring gaps', () => {
    expect(worstStatus(['COMPLIANT', null, 'NEEDS_REVIEW', undefined])).toBe('NEEDS_REVIEW');
    expect(worstStatus(['NEEDS_REVIEW', 'NON_COMPLIANT', 'COMPLIANT'])).toBe('NON_COMPLIANT');
    expect(worstStatus([])).toBeNull();
    expect(worstStatus([null])).toBeNull();
  });

  it('counts every status, zero when absent', () => {
    expect(countByStatus(['COMPLIANT', 'NON_COMPLIANT', 'COMPLIANT'])).toEqual({ COMPLIANT: 2, NEEDS_REVIEW: 0, NON_COMPLIANT: 1 });
    expect(countByStatus([])).toEqual({ COMPLIANT: 0, NEEDS_REVIEW: 0, NON_COMPLIANT: 0 });
  });

  it('orders severities', () => {
    const order = (['LOW', 'CRITICAL', 'INFO', 'HIGH', 'MEDIUM'] as const).slice().sort((a, b) => severityRank(b) - severityRank(a));
    expect(order).toEqual(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFO']);
  });
});

describe('labels', () => {
  it('humanizes codes', () => {
    expect(humanize('INVALIDATED_MECHANISM')).toBe('Invalidated mechanism');
    expect(humanize('THIRD_COUNTRY_POSSIBLE')).toBe('Third country possible');
    expect(humanize('')).toBe('');
  });

  it('keeps abbreviations in rule labels', () => {
    expect(ruleLabel('TIA_MISSING')).toBe('TIA missing');
    expect(ruleLabel('DPF_NOT_CERTIFIED')).toBe('DPF not certified');
    expect(ruleLabel('UNKNOWN_LOCATION')).toBe('Unknown location');
  });
});
