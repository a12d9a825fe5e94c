import { describe, expect, it } from 'vitest';
import { addDays, COMPARE_PRESETS, isIsoDate, LEGAL_DATES, longDate, todayIso } from '../dates';

describe('dates', () => {
  it('accepts only real calendar dates in range', () => {
    expect(isIsoDate('2020-07-16')).toBe(true);
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('2021-13-01')).toBe(false);
    expect(isIsoDate('2020-7-16')).toBe(false);
    expect(isIsoDate('0020-07-16')).toBe(false); // a year half typed into a date field
    expect(isIsoDate('1994-12-31')).toBe(false);
    expect(isIsoDate('')).toBe(false);
    expect(isIsoDate(null)).toBe(false);
  });

  it("formats today's local date", () => {
    expect(todayIso(new Date(2026, 10, 22, 23, 59))).toBe('2026-11-22');
    expect(todayIso(new Date(2026, 0, 5, 0, 1))).toBe('2026-01-05');
  });

  it('adds days across month and year ends', () => {
    expect(addDays('2020-07-15', 2)).toBe('2020-07-17');
    expect(addDays('2022-12-27', 5)).toBe('2023-01-01');
    expect(addDays('2026-11-22', -365)).toBe('2025-11-22');
  });

  it('writes dates unambiguously', () => {
    expect(longDate('2020-07-16')).toBe('16 July 2020');
    expect(longDate('not a date')).toBe('not a date');
  });

  it('offers the key legal dates in order, every one valid', () => {
    const dates = LEGAL_DATES.map((d) => d.date);
    expect(dates).toEqual([...dates].sort());
    for (const d of dates) expect(isIsoDate(d), d).toBe(true);
    expect(dates).toEqual(expect.arrayContaining(['2015-10-06', '2016-07-12', '2018-05-25', '2020-07-15', '2020-07-16', '2021-06-27', '2022-12-27', '2023-07-10']));
    for (const p of COMPARE_PRESETS) expect(p.from < p.to, p.label).toBe(true);
  });
});
