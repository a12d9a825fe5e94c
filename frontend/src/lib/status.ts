// Transfer statuses, severities and scenario changes: labels, ranks and the shape that stands in for colour.
import type { ScenarioChange, Severity, TransferStatus } from '../gql/graphql';

/** A status as the dashboard draws it; `NO_TRANSFER` is a chain hop on which data stays inside its area. */
export type HopStatus = TransferStatus | 'NO_TRANSFER';

export type StatusShape = 'check' | 'triangle' | 'cross' | 'circle';

export interface StatusStyle {
  label: string;
  /** A word-level description for screen readers and tooltips. */
  description: string;
  /** A plain-text glyph for canvas/SVG labels and CSV; never the only cue. */
  glyph: string;
  shape: StatusShape;
  /** Text and stroke colour (>= 4.5:1 on white). */
  color: string;
  /** Fill for map areas and bars (>= 3:1 against white, with a pattern on top). */
  fill: string;
  /** Edge dash pattern in chain graphs: [] is solid. */
  dash: number[];
  /** The pattern id that overlays map areas (see WorldMap). */
  pattern: string | null;
}

export const STATUS_STYLE: Readonly<Record<HopStatus, StatusStyle>> = {
  COMPLIANT: {
    label: 'Compliant',
    description: 'a lawful basis covers the transfer on this date',
    glyph: '✓',
    shape: 'check',
    color: '#17612f',
    fill: '#2e8540',
    dash: [],
    pattern: null,
  },
  NEEDS_REVIEW: {
    label: 'Needs review',
    description: 'a person must look: the basis or destination is unclear',
    glyph: '!',
    shape: 'triangle',
    color: '#8a4b00',
    fill: '#c77700',
    dash: [9, 5],
    pattern: 'pattern-dots',
  },
  NON_COMPLIANT: {
    label: 'Non-compliant',
    description: 'no lawful basis on this date',
    glyph: '✕',
    shape: 'cross',
    color: '#a4161a',
    fill: '#c62828',
    dash: [2, 4],
    pattern: 'pattern-hatch',
  },
  NO_TRANSFER: {
    label: 'No transfer',
    description: 'data stays inside its regime area on this hop',
    glyph: '○',
    shape: 'circle',
    color: '#4a5563',
    fill: '#8a94a3',
    dash: [],
    pattern: null,
  },
};

const STATUS_RANK: Readonly<Record<HopStatus, number>> = {
  NO_TRANSFER: 0,
  COMPLIANT: 1,
  NEEDS_REVIEW: 2,
  NON_COMPLIANT: 3,
};

export function statusStyle(status: HopStatus | null | undefined): StatusStyle {
  return STATUS_STYLE[status ?? 'NO_TRANSFER'];
}

export function statusRank(status: HopStatus | null | undefined): number {
  return STATUS_RANK[status ?? 'NO_TRANSFER'];
}

/** The worst of some statuses, or null when there are none. */
export function worstStatus<S extends HopStatus>(statuses: Iterable<S | null | undefined>): S | null {
  let worst: S | null = null;
  for (const s of statuses) {
    if (s == null) continue;
    if (worst === null || statusRank(s) > statusRank(worst)) worst = s;
  }
  return worst;
}

/** Counts per status, every status present (0 when absent). */
export function countByStatus(statuses: Iterable<TransferStatus>): Record<TransferStatus, number> {
  const counts: Record<TransferStatus, number> = { COMPLIANT: 0, NEEDS_REVIEW: 0, NON_COMPLIANT: 0 };
  for (const s of statuses) counts[s] += 1;
  return counts;
}

export const SEVERITIES: readonly Severity[] = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFO'];

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { INFO: 0, LOW: 1, MEDIUM: 2, HIGH: 3, CRITICAL: 4 };

export function severityRank(severity: Severity): number {
  return SEVERITY_RANK[severity];
}

export const SEVERITY_STYLE: Readonly<Record<Severity, { label: string; color: string; bg: string }>> = {
  CRITICAL: { label: 'Critical', color: '#ffffff', bg: '#8e1116' },
  HIGH: { label: 'High', color: '#ffffff', bg: '#b3261e' },
  MEDIUM: { label: 'Medium', color: '#3d2600', bg: '#f3c969' },
  LOW: { label: 'Low', color: '#1f2a37', bg: '#dbe4ee' },
  INFO: { label: 'Info', color: '#1f2a37', bg: '#f1f3f6' },
};

export const CHANGE_STYLE: Readonly<Record<ScenarioChange, { label: string; status: HopStatus }>> = {
  BROKEN: { label: 'Broken', status: 'NON_COMPLIANT' },
  FALLBACK: { label: 'Saved by fallback', status: 'NEEDS_REVIEW' },
  UNAFFECTED: { label: 'Unaffected', status: 'NO_TRANSFER' },
};

/** 'INVALIDATED_MECHANISM' -> 'Invalidated mechanism'. */
export function humanize(code: string): string {
  const words = code.toLowerCase().split('_').filter(Boolean);
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const RULE_LABELS: Readonly<Record<string, string>> = {
  DPF_NOT_CERTIFIED: 'DPF not certified',
  SCC_MODULE_MISMATCH: 'SCC module mismatch',
  TIA_MISSING: 'TIA missing',
  ART49_RELIANCE: 'Art. 49 reliance',
  EXPIRED_SCC: 'Expired SCC',
};

export function ruleLabel(rule: string): string {
  return RULE_LABELS[rule] ?? humanize(rule);
}
