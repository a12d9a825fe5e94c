// ISO dates (YYYY-MM-DD) and the legal dates the time-travel control offers.

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Earliest and latest as-of dates the dashboard accepts (the Data Protection Directive dates from 1995). */
export const MIN_DATE = '1995-01-01';
export const MAX_DATE = '2100-12-31';

/** A real calendar date in YYYY-MM-DD form, inside [MIN_DATE, MAX_DATE]. */
export function isIsoDate(value: string | null | undefined): value is string {
  if (!value) return false;
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return false;
  return value >= MIN_DATE && value <= MAX_DATE;
}

/** Today in the browser's time zone, as YYYY-MM-DD. */
export function todayIso(now: Date = new Date()): string {
  const y = now.getFullYear();
  const m = String(now.getMonth() + 1).padStart(2, '0');
  const d = String(now.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

export function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** '2020-07-16' -> '16 July 2020' (unambiguous in a report). */
export function longDate(iso: string): string {
  if (!isIsoDate(iso)) return iso;
  const d = new Date(`${iso}T00:00:00Z`);
  return d.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

export interface LegalDate {
  date: string;
  label: string;
  /** The day before, to compare "the day before" with "the day it happened". */
  before?: string;
}

/** The key dates of EU transfer law, for the as-of presets and the compare view. */
export const LEGAL_DATES: readonly LegalDate[] = [
  { date: '2015-10-06', label: 'Safe Harbor invalidated (CJEU C-362/14, Schrems I)' },
  { date: '2016-07-12', label: 'EU-US Privacy Shield adopted' },
  { date: '2018-05-25', label: 'GDPR applies' },
  { date: '2020-07-15', label: 'Last day of the EU-US Privacy Shield' },
  { date: '2020-07-16', label: 'Privacy Shield invalidated (CJEU C-311/18, Schrems II)' },
  { date: '2021-06-27', label: 'New SCCs (2021/914) apply' },
  { date: '2021-09-27', label: 'Old SCCs can no longer be signed' },
  { date: '2022-12-27', label: 'Last day of the old SCCs' },
  { date: '2023-07-10', label: 'EU-US Data Privacy Framework adopted' },
];

export interface ComparePreset {
  from: string;
  to: string;
  label: string;
}

export const COMPARE_PRESETS: readonly ComparePreset[] = [
  { from: '2015-10-05', to: '2015-10-06', label: 'Safe Harbor falls (Schrems I)' },
  { from: '2018-05-24', to: '2018-05-25', label: 'GDPR applies' },
  { from: '2020-07-15', to: '2020-07-17', label: 'Privacy Shield falls (Schrems II)' },
  { from: '2022-12-27', to: '2022-12-28', label: 'Old SCCs end' },
  { from: '2023-07-09', to: '2023-07-10', label: 'DPF adopted' },
];
