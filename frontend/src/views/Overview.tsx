// Overview: KPIs, the exposure map, mechanisms (invalid ones marked), status per client, every transfer.
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { useOverview, useTransfers, type Transfer } from '../api/hooks';
import { useAsOf, useHref, useLocation, useParamSetter } from '../app/navigation';
import { OrgLink, PageHeader } from '../components/common';
import { ErrorPanel, Loading } from '../components/States';
import { StatusBadge, ValidityMark } from '../components/StatusBadge';
import { WorldMap } from '../components/WorldMap';
import type { OverviewQuery, TransferStatus } from '../gql/graphql';
import { countMechanisms, basisLabel, mechanismLabel, type MechanismInfo } from '../lib/mechanisms';
import { plural } from '../lib/format';
import { countByStatus, statusRank, STATUS_STYLE } from '../lib/status';

const MechanismChart = lazy(() => import('../components/charts').then((m) => ({ default: m.MechanismChart })));
const ClientStatusChart = lazy(() => import('../components/charts').then((m) => ({ default: m.ClientStatusChart })));

let firstRenderMarked = false;

function Kpi({ id, label, value, note, status }: { id: string; label: string; value: number; note: string; status?: TransferStatus }) {
  const style = status ? STATUS_STYLE[status] : null;
  return (
    <div className={`kpi${style ? ` kpi--${status?.toLowerCase().replace('_', '-')}` : ''}`} data-testid={`kpi-${id}`}>
      <dt>
        {style && <span aria-hidden="true">{style.glyph} </span>}
        {label}
      </dt>
      <dd className="kpi-value" style={style && value > 0 ? { color: style.color } : undefined}>
        {value.toLocaleString('en-GB')}
      </dd>
      <dd className="kpi-note">{note}</dd>
    </div>
  );
}

export function Kpis({ transfers, exposure }: { transfers: ReadonlyArray<Transfer>; exposure: OverviewQuery['exposure'] | undefined }) {
  const counts = countByStatus(transfers.map((t) => t.status));
  const clients = new Set(transfers.map((t) => t.client.id));
  const affected = new Set(transfers.filter((t) => t.status !== 'COMPLIANT').map((t) => t.client.id));
  const named = new Set(transfers.filter((t) => t.destination).map((t) => t.destination?.code));
  const notStated = transfers.filter((t) => !t.destination).length;
  useEffect(() => {
    if (!firstRenderMarked) {
      firstRenderMarked = true;
      performance.mark('flowmap:kpis-rendered');
    }
  }, []);
  return (
    <dl className="kpis" data-testid="kpis" data-ready="true">
      <Kpi id="transfers" label="Transfers" value={transfers.length} note={`to third countries, from ${plural(clients.size, 'client')}`} />
      <Kpi id="non-compliant" label="Non-compliant" value={counts.NON_COMPLIANT} note="no lawful basis on this date" status="NON_COMPLIANT" />
      <Kpi id="needs-review" label="Needs review" value={counts.NEEDS_REVIEW} note="a person must look" status="NEEDS_REVIEW" />
      <Kpi
        id="countries"
        label="Countries reached"
        value={exposure ? exposure.filter((e) => e.destination).length : named.size}
        note={notStated ? `plus ${plural(notStated, 'transfer')} to a destination not stated` : 'every destination is stated'}
      />
      <Kpi id="clients-affected" label="Clients affected" value={affected.size} note={`of ${clients.size}: a transfer is non-compliant or needs review`} />
    </dl>
  );
}

function ExposureSection({ exposure }: { exposure: OverviewQuery['exposure'] }) {
  const [selected, setSelected] = useState<string | null>(null);
  const rows = [...exposure].sort(
    (a, b) => Number(!a.destination) - Number(!b.destination) || statusRank(b.worstStatus) - statusRank(a.worstStatus) || b.transferCount - a.transferCount,
  );
  const notStated = exposure.filter((e) => !e.destination);
  const notStatedCount = notStated.reduce((n, e) => n + e.transferCount, 0);
  const chosen = exposure.find((e) => e.destination?.code === selected) ?? null;
  return (
    <section aria-labelledby="exposure-title" className="card">
      <h2 id="exposure-title">Where the data goes</h2>
      <div className="map-layout">
        <WorldMap exposure={exposure} selected={selected} onSelect={setSelected} />
        <aside className="not-stated" data-testid="not-stated" aria-label="Destinations not stated">
          <h3>Destination not stated</h3>
          {notStatedCount ? (
            <>
              <p className="big-number">{notStatedCount}</p>
              <p>
                {plural(notStatedCount, 'transfer')} go where the sources do not say. They are <strong>not on the map</strong>: the
                country is unknown, not safe.
              </p>
              {notStated[0] && <StatusBadge status={notStated[0].worstStatus} />}
            </>
          ) : (
            <p>Every transfer on this date names its destination.</p>
          )}
        </aside>
      </div>
      {chosen && chosen.destination && (
        <div className="map-detail" aria-live="polite" data-testid="map-detail">
          <h3>
            {chosen.destination.name} <StatusBadge status={chosen.worstStatus} />
          </h3>
          <p>
            {plural(chosen.transferCount, 'transfer')} from {plural(chosen.clientCount, 'client')} to {plural(chosen.importerCount, 'importer')}:{' '}
            {chosen.importers.edges.map((e, i) => (
              <span key={e.node.id}>
                {i > 0 && ', '}
                <OrgLink id={e.node.id} name={e.node.name} />
              </span>
            ))}
            {chosen.importers.totalCount > chosen.importers.edges.length && ` and ${chosen.importers.totalCount - chosen.importers.edges.length} more`}.
          </p>
          <p>
            Mechanisms relied on: {chosen.mechanisms.length ? chosen.mechanisms.map((m) => mechanismLabel(m.code)).join(', ') : 'none'}
            {chosen.reliesOnAdequacy && '; adequacy decision'}. Categories: {chosen.dataCategories.map((c) => c.name).join(', ') || 'none stated'}.
          </p>
        </div>
      )}
      <table className="table" data-testid="exposure-table">
        <caption>Every destination, worst status first (the map's data as a table)</caption>
        <thead>
          <tr>
            <th scope="col">Destination</th>
            <th scope="col">Worst status</th>
            <th scope="col" className="num">
              Transfers
            </th>
            <th scope="col" className="num">
              Clients
            </th>
            <th scope="col" className="num">
              Importers
            </th>
            <th scope="col">Relied on</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((e) => (
            <tr key={e.destination?.code ?? '?'} data-destination={e.destination?.code ?? '?'}>
              <th scope="row">{e.destination ? `${e.destination.name} (${e.destination.code})` : <em>Destination not stated</em>}</th>
              <td>
                <StatusBadge status={e.worstStatus} />
              </td>
              <td className="num">{e.transferCount}</td>
              <td className="num">{e.clientCount}</td>
              <td className="num">{e.importerCount}</td>
              <td>
                {[...e.mechanisms.map((m) => mechanismLabel(m.code)), ...(e.reliesOnAdequacy ? ['Adequacy'] : [])].join(', ') || <span className="muted">none</span>}
              </td>
            </tr>
          ))}
          {rows.length === 0 && (
            <tr>
              <td colSpan={6}>No personal data leaves its regime area on this date.</td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}

function MechanismSection({ transfers, mechanisms, asOf }: { transfers: ReadonlyArray<Transfer>; mechanisms: MechanismInfo[]; asOf: string }) {
  const rows = useMemo(() => countMechanisms(transfers, mechanisms, asOf), [transfers, mechanisms, asOf]);
  return (
    <section aria-labelledby="mechanisms-title" className="card">
      <h2 id="mechanisms-title">Mechanisms</h2>
      <p className="section-intro">
        What the transfers rely on, and what their last hop declares. A mechanism that no longer works on {asOf} is marked ✕ and hatched.
      </p>
      {rows.length > 0 && (
        <Suspense fallback={<div className="chart-placeholder">Drawing the chart…</div>}>
          <MechanismChart rows={rows} />
        </Suspense>
      )}
      <table className="table" data-testid="mechanism-table">
        <caption className="visually-hidden">Transfers per mechanism and its validity on {asOf}</caption>
        <thead>
          <tr>
            <th scope="col">Mechanism</th>
            <th scope="col" className="num">
              Relied on
            </th>
            <th scope="col" className="num">
              Declared on last hop
            </th>
            <th scope="col">Validity on {asOf}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} data-mechanism={r.key} data-validity={r.verdict?.state ?? 'NONE'}>
              <th scope="row">{r.label}</th>
              <td className="num">{r.reliedOn}</td>
              <td className="num">{r.declared}</td>
              <td>
                <ValidityMark verdict={r.verdict} />
              </td>
            </tr>
          ))}
          {rows.length === 0 && (
            <tr>
              <td colSpan={4}>No transfers on this date.</td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}

function ClientSection({ transfers }: { transfers: ReadonlyArray<Transfer> }) {
  const rows = useMemo(() => {
    const by = new Map<string, { client: string; counts: Record<TransferStatus, number> }>();
    for (const t of transfers) {
      let r = by.get(t.client.id);
      if (!r) by.set(t.client.id, (r = { client: t.client.name, counts: { COMPLIANT: 0, NEEDS_REVIEW: 0, NON_COMPLIANT: 0 } }));
      r.counts[t.status] += 1;
    }
    return [...by.values()].sort((a, b) => b.counts.NON_COMPLIANT - a.counts.NON_COMPLIANT || b.counts.NEEDS_REVIEW - a.counts.NEEDS_REVIEW || a.client.localeCompare(b.client));
  }, [transfers]);
  if (!rows.length) return null;
  return (
    <section aria-labelledby="clients-title" className="card">
      <h2 id="clients-title">Status per client</h2>
      <Suspense fallback={<div className="chart-placeholder">Drawing the chart…</div>}>
        <ClientStatusChart rows={rows} />
      </Suspense>
    </section>
  );
}

const STATUS_FILTERS: ReadonlyArray<TransferStatus> = ['NON_COMPLIANT', 'NEEDS_REVIEW', 'COMPLIANT'];

function TransfersSection({ transfers }: { transfers: ReadonlyArray<Transfer> }) {
  const { params } = useLocation();
  const setParams = useParamSetter();
  const href = useHref();
  const filter = params.get('status') as TransferStatus | null;
  const shown = transfers
    .filter((t) => !filter || t.status === filter)
    .sort((a, b) => statusRank(b.status) - statusRank(a.status) || a.client.name.localeCompare(b.client.name) || a.id.localeCompare(b.id));
  return (
    <section aria-labelledby="transfers-title" className="card">
      <h2 id="transfers-title">Transfers</h2>
      <div className="filter-bar no-print" role="group" aria-label="Show transfers by status">
        <button type="button" className="chip" aria-pressed={!filter} onClick={() => setParams({ status: null })}>
          All ({transfers.length})
        </button>
        {STATUS_FILTERS.map((s) => (
          <button key={s} type="button" className="chip" aria-pressed={filter === s} onClick={() => setParams({ status: filter === s ? null : s })}>
            {STATUS_STYLE[s].glyph} {STATUS_STYLE[s].label} ({transfers.filter((t) => t.status === s).length})
          </button>
        ))}
      </div>
      <div className="table-scroll">
        <table className="table" data-testid="transfers-table">
          <caption className="visually-hidden">Transfers, worst status first</caption>
          <thead>
            <tr>
              <th scope="col">Client</th>
              <th scope="col">Importer</th>
              <th scope="col">Destination</th>
              <th scope="col">Basis relied on</th>
              <th scope="col">Status</th>
              <th scope="col" className="num">
                Hops
              </th>
              <th scope="col" className="num">
                Findings
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map((t) => (
              <tr key={t.id} data-transfer={t.id} data-client={t.client.id} data-importer={t.importer.id} data-status={t.status}>
                <td>
                  <OrgLink id={t.client.id} name={t.client.name} />
                </td>
                <td>
                  <OrgLink id={t.importer.id} name={t.importer.name} />
                </td>
                <td>{t.destination ? t.destination.name : <em>not stated</em>}</td>
                <td data-basis={t.basis?.code ?? t.basisKind}>{basisLabel(t.basis, t.basisKind, t.basisReference)}</td>
                <td>
                  <StatusBadge status={t.status} />
                </td>
                <td className="num">{t.depth}</td>
                <td className="num">
                  {t.findings.length ? <a href={href('/findings', { client: t.client.id })}>{t.findings.length}</a> : 0}
                </td>
              </tr>
            ))}
            {shown.length === 0 && (
              <tr>
                <td colSpan={7}>No transfers{filter ? ` with status ${STATUS_STYLE[filter].label.toLowerCase()}` : ''} on this date.</td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function Overview() {
  const { asOf } = useAsOf();
  const transfers = useTransfers(asOf);
  const overview = useOverview(asOf);
  const mechanisms: MechanismInfo[] = overview.data?.mechanisms ?? [];
  return (
    <>
      <PageHeader title="Overview" asOf={asOf}>
        <p>Personal data reaching destinations outside each client's regime area, judged on this date.</p>
      </PageHeader>
      {transfers.error ? (
        <ErrorPanel error={transfers.error} what="transfers" onRetry={() => void transfers.refetch()} />
      ) : transfers.data ? (
        <>
          <Kpis transfers={transfers.data.nodes} exposure={overview.data?.exposure} />
          {transfers.data.truncated && <p className="warning">Only the first {transfers.data.nodes.length} transfers were read.</p>}
        </>
      ) : (
        <Loading what="transfers" />
      )}
      {overview.error ? (
        <ErrorPanel error={overview.error} what="exposure and mechanisms" onRetry={() => void overview.refetch()} />
      ) : overview.data ? (
        <ExposureSection exposure={overview.data.exposure} />
      ) : (
        <Loading what="exposure" />
      )}
      {transfers.data && overview.data && <MechanismSection transfers={transfers.data.nodes} mechanisms={mechanisms} asOf={asOf} />}
      {transfers.data && <ClientSection transfers={transfers.data.nodes} />}
      {transfers.data && <TransfersSection transfers={transfers.data.nodes} />}
    </>
  );
}
