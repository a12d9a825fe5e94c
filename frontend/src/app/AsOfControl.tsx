// The as-of date that drives every view, with the key dates of EU transfer law as presets.
import { useEffect, useState } from 'react';
import { isIsoDate, LEGAL_DATES, MAX_DATE, MIN_DATE } from '../lib/dates';
import { useAsOf } from './navigation';

export function AsOfControl() {
  const { asOf, today, isToday, setAsOf } = useAsOf();
  const [draft, setDraft] = useState(asOf);
  useEffect(() => setDraft(asOf), [asOf]);
  const preset = LEGAL_DATES.some((d) => d.date === asOf) ? asOf : isToday ? 'today' : '';
  const invalid = draft !== '' && !isIsoDate(draft);
  return (
    <form className="asof-control no-print" onSubmit={(e) => e.preventDefault()} aria-label="As-of date">
      <label htmlFor="asof-date">As of</label>
      <input
        id="asof-date"
        type="date"
        min={MIN_DATE}
        max={MAX_DATE}
        value={draft}
        aria-invalid={invalid}
        aria-describedby="asof-help"
        onChange={(e) => {
          setDraft(e.target.value);
          // commit only whole, plausible dates (typing a year goes through 0002, 0020, 0202 ...)
          if (isIsoDate(e.target.value)) setAsOf(e.target.value);
        }}
        onBlur={() => {
          if (!isIsoDate(draft)) setDraft(asOf);
        }}
      />
      <label htmlFor="asof-preset" className="visually-hidden">
        Key legal dates
      </label>
      <select
        id="asof-preset"
        value={preset}
        onChange={(e) => {
          const v = e.target.value;
          if (v === 'today') setAsOf(today);
          else if (v) setAsOf(v);
        }}
      >
        <option value="" disabled>
          Key dates…
        </option>
        {LEGAL_DATES.map((d) => (
          <option key={d.date} value={d.date}>
            {d.date} — {d.label}
          </option>
        ))}
        <option value="today">Today ({today})</option>
      </select>
      {!isToday && (
        <button type="button" className="button button--small button--secondary" onClick={() => setAsOf(today)}>
          Today
        </button>
      )}
      <span id="asof-help" className="visually-hidden">
        Every view is judged on this date. Dates from {MIN_DATE}.
      </span>
    </form>
  );
}
