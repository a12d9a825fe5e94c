// Time travel: the legal timeline (set the as-of date), and "compare two dates": what changed between them.
import { useMemo } from 'react';
import { useTransfers, type Transfer } from '../api/hooks';
import { useAsOf, useLocation, useParamSetter } from '../app/navigation';
import { OrgLink, PageHeader } from '../components/common';
import { ErrorPanel, Loading } from '../components/States';
import { StatusBadge } from '../components/StatusBadge';
import { addDays, COMPARE_PRESETS, isIsoDate, LEGAL_DATES, longDate, MAX_DATE, MIN_DATE } from '../lib/dates';
import { diffTransfers, type ChangeKind, type TransferChange } from '../lib/diff';
import { basisLabel } from '../lib/mechanisms';

const KIND_LABEL: Readonly<Record<ChangeKind, string>> = { CHANGED: 'Changed', NEW: 'New flow', GONE: 'Gone' };
const KIND_GLYPH: Readonly<Record<ChangeKind, string>> = { CHANGED: '⇄', NEW: '+', GONE: '−' };

function Basis({ t }: { t: Transfer | null }) {
  if (!t) return <span className="muted">—</span>;
  return <>{basisLabel(t.basis, t.basisKind, t.basisReference)}</>;
}

function ChangeRow({ c }: { c: TransferChange<Transfer> }) {
  const t = c.after ?? c.before;
  if (!t) return null;
  return (
    <tr data-change={c.kind} data-transfer={c.id} data-client={t.client.id} data-importer={t.importer.id}>
      <td>
        <span className={`change-kind change-kind--${c.kind.toLowerCase()}`}>
          <span aria-hidden="true">{KIND_GLYPH[c.kind]} </span>
          {KIND_LABEL[c.kind]}
        </span>
      </td>
      <td>
        <OrgLink id={t.client.id} name={t.client.name} /> → <OrgLink id={t.importer.id} name={t.importer.name} />
        <div className="muted">{t.destination ? t.destination.name : 'destination not stated'}</div>
      </td>
      <td data-col="status-before">{c.before ? <StatusBadge status={c.before.status} /> : <span className="muted">no flow</span>}</td>
      <td data-col="status-after" className={c.statusChanged ? 'changed' : undefined}>
        {c.after ? <StatusBadge status={c.after.status} /> : <span className="muted">no flow</span>}
      </td>
      <td data-col="basis-before">
        <Basis t={c.before} />
      </td>
      <td data-col="basis-after" className={c.basisChanged ? 'changed' : undefined}>
        <Basis t={c.after} />
      </td>
    </tr>
  );
}

function Compare({ from, to }: { from: string; to: string }) {
  const a = useTransfers(from);
  const b = useTransfers(to);
  const diff = useMemo(() => (a.data && b.data ? diffTransfers(a.data.nodes, b.data.nodes) : null), [a.data, b.data]);
  if (a.error || b.error) return <ErrorPanel error={a.error ?? b.error} what="transfers on both dates" onRetry={() => void (a.error ? a.refetch() : b.refetch())} />;
  if (!diff || !a.data || !b.data) return <Loading what="transfers on both dates" />;
  return (
    <section className="card" aria-labelledby="diff-title" data-testid="compare-result">
      <h2 id="diff-title">
        From {longDate(from)} to {longDate(to)}
      </h2>
      <dl className="kpis kpis--small">
        <div className="kpi" data-testid="diff-changed">
          <dt>⇄ Changed</dt>
          <dd className="kpi-value">{diff.counts.CHANGED}</dd>
          <dd className="kpi-note">status or basis</dd>
        </div>
        <div className="kpi" data-testid="diff-new">
          <dt>+ New flows</dt>
          <dd className="kpi-value">{diff.counts.NEW}</dd>
          <dd className="kpi-note">only on {to}</dd>
        </div>
        <div className="kpi" data-testid="diff-gone">
          <dt>− Gone</dt>
          <dd className="kpi-value">{diff.counts.GONE}</dd>
          <dd className="kpi-note">only on {from}</dd>
        </div>
        <div className="kpi">
          <dt>= Unchanged</dt>
          <dd className="kpi-value">{diff.unchanged}</dd>
          <dd className="kpi-note">
            of {a.data.nodes.length} → {b.data.nodes.length} transfers
          </dd>
        </div>
      </dl>
      {diff.changes.length ? (
        <div className="table-scroll">
          <table className="table" data-testid="diff-table">
            <caption className="visually-hidden">
              Transfers whose status or basis changed, new and gone flows, from {from} to {to}
            </caption>
            <thead>
              <tr>
                <th scope="col">Change</th>
                <th scope="col">Flow</th>
                <th scope="col">Status on {from}</th>
                <th scope="col">Status on {to}</th>
                <th scope="col">Basis on {from}</th>
                <th scope="col">Basis on {to}</th>
              </tr>
            </thead>
            <tbody>
              {diff.changes.map((c) => (
                <ChangeRow key={c.id} c={c} />
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p>Nothing changed between these dates: every transfer has the same status and basis.</p>
      )}
    </section>
  );
}

export default function TimeTravel() {
  const { asOf, today, setAsOf } = useAsOf();
  const { params } = useLocation();
  const setParams = useParamSetter();
  const fromRaw = params.get('from');
  const toRaw = params.get('to');
  const from = isIsoDate(fromRaw) ? fromRaw : '2020-07-15';
  const to = isIsoDate(toRaw) ? toRaw : '2020-07-17';
  return (
    <>
      <PageHeader title="Time travel" asOf={asOf}>
        <p>
          Every view is judged on the as-of date at the top. Jump to a key date of EU transfer law, or compare two dates to see which flows
          changed status or basis, which appeared and which went.
        </p>
      </PageHeader>
      <section className="card no-print" aria-labelledby="timeline-title">
        <h2 id="timeline-title">Key dates</h2>
        <ol className="timeline">
          {LEGAL_DATES.map((d) => (
            <li key={d.date} className={d.date === asOf ? 'current' : undefined}>
              <button type="button" className="link-button" aria-pressed={d.date === asOf} onClick={() => setAsOf(d.date)}>
                <time dateTime={d.date}>{d.date}</time> {d.label}
              </button>
            </li>
          ))}
          <li className={asOf === today ? 'current' : undefined}>
            <button type="button" className="link-button" aria-pressed={asOf === today} onClick={() => setAsOf(today)}>
              <time dateTime={today}>{today}</time> Today
            </button>
          </li>
        </ol>
      </section>
      <section className="card" aria-labelledby="compare-title">
        <h2 id="compare-title">Compare two dates</h2>
        <form className="filters no-print" onSubmit={(e) => e.preventDefault()} aria-label="Dates to compare">
          <div className="filter-field">
            <label htmlFor="cmp-from">From</label>
            <input id="cmp-from" type="date" min={MIN_DATE} max={MAX_DATE} value={from} onChange={(e) => isIsoDate(e.target.value) && setParams({ from: e.target.value })} />
          </div>
          <div className="filter-field">
            <label htmlFor="cmp-to">To</label>
            <input id="cmp-to" type="date" min={MIN_DATE} max={MAX_DATE} value={to} onChange={(e) => isIsoDate(e.target.value) && setParams({ to: e.target.value })} />
          </div>
          <div className="filter-field">
            <span className="label">Presets</span>
            <div className="chips">
              {COMPARE_PRESETS.map((p) => (
                <button key={p.label} type="button" className="chip" aria-pressed={p.from === from && p.to === to} onClick={() => setParams({ from: p.from, to: p.to })}>
                  {p.label}
                </button>
              ))}
              <button type="button" className="chip" onClick={() => setParams({ from: addDays(asOf, -365), to: asOf })}>
                Last 12 months to the as-of date
              </button>
            </div>
          </div>
        </form>
        <p className="print-only">
          Comparing {from} with {to}.
        </p>
        {from > to && <p className="warning">“From” is after “To”: read the changes backwards.</p>}
        <p className="muted">
          Transfers are matched by their id (client, path and destination); all transfers on both dates are compared.
        </p>
      </section>
      <Compare from={from} to={to} />
    </>
  );
}
