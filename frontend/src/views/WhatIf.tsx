// What-if: revoke mechanisms (the DPF, ...) or withdraw a country's adequacy, and see the blast radius.
import { useMemo } from 'react';
import { useAdequacyCountries, useOverview, useScenario } from '../api/hooks';
import { useAsOf, useLocation, useParamSetter } from '../app/navigation';
import { OrgLink, PageHeader } from '../components/common';
import { ErrorPanel, Loading } from '../components/States';
import { ChangeBadge, StatusBadge } from '../components/StatusBadge';
import type { MechanismCode, ScenarioChange, ScenarioQuery } from '../gql/graphql';
import { isIsoDate, MAX_DATE, MIN_DATE } from '../lib/dates';
import { plural } from '../lib/format';
import { basisLabel, mechanismLabel } from '../lib/mechanisms';
import { listParam } from '../lib/router';
import { ruleLabel } from '../lib/status';

export const DPF_FAMILY: readonly MechanismCode[] = ['DPF_EU_US', 'DPF_UK_EXT', 'DPF_SWISS_US'];

type Row = ScenarioQuery['scenario']['rows']['edges'][number]['node'];

function RowsTable({ rows, change, caption }: { rows: Row[]; change: ScenarioChange; caption: string }) {
  return (
    <div className="table-scroll">
      <table className="table" data-testid={`whatif-${change.toLowerCase()}`}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Client</th>
            <th scope="col">Importer</th>
            <th scope="col">Destination</th>
            <th scope="col">Basis before</th>
            <th scope="col">Basis after</th>
            <th scope="col">Status after</th>
            <th scope="col">Change</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.before.id} data-change={r.change} data-client={r.before.client.id} data-importer={r.before.importer.id} data-transfer={r.before.id}>
              <td>
                <OrgLink id={r.before.client.id} name={r.before.client.name} />
              </td>
              <td>
                <OrgLink id={r.before.importer.id} name={r.before.importer.name} />
              </td>
              <td>{r.before.destination?.name ?? <em>not stated</em>}</td>
              <td data-col="basis-before">{basisLabel(r.before.basis, r.before.basisKind, r.before.basisReference)}</td>
              <td data-col="basis-after">
                {basisLabel(r.after.basis, r.after.basisKind, r.after.basisReference)}
                {r.change !== 'UNAFFECTED' && r.after.findings.length > 0 && (
                  <div className="muted small">{[...new Set(r.after.findings.map((f) => ruleLabel(f.rule)))].join(', ')}</div>
                )}
              </td>
              <td>
                <StatusBadge status={r.after.status} />
              </td>
              <td>
                <ChangeBadge change={r.change} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default function WhatIf() {
  const { asOf } = useAsOf();
  const { params } = useLocation();
  const setParams = useParamSetter();
  const dpf = params.get('dpf') === '1';
  const extra = listParam(params, 'revoke') as MechanismCode[];
  const withdraw = listParam(params, 'withdraw').map((c) => c.toUpperCase());
  const effectiveRaw = params.get('effective');
  const effective = isIsoDate(effectiveRaw) ? effectiveRaw : null;
  const revoke = useMemo(() => [...new Set([...(dpf ? DPF_FAMILY : []), ...extra])].sort(), [dpf, extra.join()]);
  const active = revoke.length > 0 || withdraw.length > 0;
  const scenario = useScenario({ asOf, revoke, withdraw, effective }, active);
  const countries = useAdequacyCountries(asOf);
  const overview = useOverview(asOf);
  const adequate = (countries.data ?? []).filter((c) => c.adequacy.some((a) => a.level === 'ADEQUATE' || a.level === 'PARTIAL'));
  const others = (countries.data ?? []).filter((c) => !adequate.includes(c) && !c.adequacy.some((a) => a.level === 'AREA'));
  const mechanisms = overview.data?.mechanisms.filter((m) => !DPF_FAMILY.includes(m.code)) ?? [];
  const toggleExtra = (code: MechanismCode) => setParams({ revoke: extra.includes(code) ? extra.filter((c) => c !== code) : [...extra, code] });
  const withdrawn = withdraw[0] ?? '';
  const exposed = new Set(overview.data?.exposure.map((e) => e.destination?.code) ?? []);
  const defaultCountry = adequate.find((c) => exposed.has(c.code))?.code ?? adequate[0]?.code ?? null;

  const byChange = (c: ScenarioChange) => scenario.data?.rows.filter((r) => r.change === c) ?? [];
  const s = scenario.data?.scenario;

  return (
    <>
      <PageHeader title="What-if" asOf={asOf}>
        <p>Revoke a transfer mechanism or withdraw a country's adequacy from a date, and see which transfers break, which survive on a fallback mechanism, and which rely on what changes yet keep their basis. Transfers the scenario cannot touch are not listed.</p>
      </PageHeader>
      <form className="card whatif-form" onSubmit={(e) => e.preventDefault()} aria-label="What-if scenario">
        <fieldset className="toggle-group">
          <legend>Scenario</legend>
          <label className="toggle">
            <input type="checkbox" checked={dpf} onChange={(e) => setParams({ dpf: e.target.checked ? '1' : null })} data-testid="toggle-dpf" />
            <span>
              <strong>DPF revoked</strong> — the EU-US Data Privacy Framework falls, with its UK Extension and the Swiss-US DPF ({DPF_FAMILY.join(', ')})
            </span>
          </label>
          <div className="toggle">
            <input
              id="w-adequacy"
              type="checkbox"
              checked={withdraw.length > 0}
              onChange={(e) => setParams({ withdraw: e.target.checked && defaultCountry ? [defaultCountry] : null })}
              data-testid="toggle-adequacy"
            />
            <label htmlFor="w-adequacy">
              <strong>A country loses adequacy</strong>
            </label>
            <label htmlFor="w-country" className="visually-hidden">
              Country that loses adequacy
            </label>
            <select id="w-country" value={withdrawn} onChange={(e) => setParams({ withdraw: e.target.value ? [e.target.value] : null })} disabled={!countries.data}>
              <option value="">Choose a country…</option>
              <optgroup label={`Adequate or partly adequate on ${asOf} (EU GDPR)`}>
                {adequate.map((c) => (
                  <option key={c.code} value={c.code}>
                    {c.name} ({c.code}){c.adequacy.some((a) => a.level === 'PARTIAL') ? ' — partial' : ''}
                  </option>
                ))}
              </optgroup>
              <optgroup label="Other countries">
                {others.map((c) => (
                  <option key={c.code} value={c.code}>
                    {c.name} ({c.code})
                  </option>
                ))}
              </optgroup>
            </select>
          </div>
          <details className="more-mechanisms">
            <summary>Revoke other mechanisms{extra.length ? ` (${extra.length} chosen)` : ''}</summary>
            <div className="check-grid">
              {mechanisms.map((m) => (
                <label key={m.code} className="check">
                  <input type="checkbox" checked={extra.includes(m.code)} onChange={() => toggleExtra(m.code)} /> {mechanismLabel(m.code)}
                </label>
              ))}
            </div>
          </details>
          <div className="filter-field">
            <label htmlFor="w-effective">Effective from</label>
            <input
              id="w-effective"
              type="date"
              min={MIN_DATE}
              max={MAX_DATE}
              value={effective ?? asOf}
              onChange={(e) => isIsoDate(e.target.value) && setParams({ effective: e.target.value === asOf ? null : e.target.value })}
            />
            <span className="muted small">defaults to the as-of date</span>
          </div>
        </fieldset>
      </form>
      {!active ? (
        <p className="state state--empty">Choose a scenario above: for example “DPF revoked”.</p>
      ) : scenario.error ? (
        <ErrorPanel error={scenario.error} what="the scenario" onRetry={() => void scenario.refetch()} />
      ) : !s || !scenario.data ? (
        <Loading what="the scenario" />
      ) : (
        <>
          <section className="card" aria-labelledby="blast-title" data-testid="whatif-result">
            <h2 id="blast-title">Blast radius</h2>
            <p>
              {s.revoked.length > 0 && <>Revoked: {s.revoked.map((c) => mechanismLabel(c)).join(', ')}. </>}
              {s.withdrawn.length > 0 && <>Adequacy withdrawn: {s.withdrawn.join(', ')}. </>}
              Effective {s.effective}, judged on {s.asOf}.
            </p>
            <dl className="kpis kpis--small">
              <div className="kpi kpi--non-compliant" data-testid="count-broken">
                <dt>✕ Broken</dt>
                <dd className="kpi-value">{s.broken}</dd>
                <dd className="kpi-note">lose their only basis</dd>
              </div>
              <div className="kpi kpi--needs-review" data-testid="count-fallback">
                <dt>! Saved by fallback</dt>
                <dd className="kpi-value">{s.fallback}</dd>
                <dd className="kpi-note">survive on a declared fallback</dd>
              </div>
              <div className="kpi" data-testid="count-unaffected">
                <dt>○ Unaffected</dt>
                <dd className="kpi-value">{s.unaffected}</dd>
                <dd className="kpi-note">did not rely on it</dd>
              </div>
            </dl>
            <p className="muted small">{s.disclaimer}</p>
          </section>
          <section className="card" aria-labelledby="broken-title">
            <h2 id="broken-title">Broken ({byChange('BROKEN').length})</h2>
            {byChange('BROKEN').length ? <RowsTable rows={byChange('BROKEN')} change="BROKEN" caption="Transfers that break" /> : <p>No transfer breaks.</p>}
          </section>
          <section className="card" aria-labelledby="fallback-title">
            <h2 id="fallback-title">Survive on a fallback ({byChange('FALLBACK').length})</h2>
            {byChange('FALLBACK').length ? (
              <RowsTable rows={byChange('FALLBACK')} change="FALLBACK" caption="Transfers saved by a fallback mechanism" />
            ) : (
              <p>No transfer needs a fallback.</p>
            )}
          </section>
          <section className="card" aria-labelledby="unaffected-title">
            <details>
              <summary>
                <h2 id="unaffected-title" className="inline-heading">
                  Unaffected ({plural(byChange('UNAFFECTED').length, 'transfer')})
                </h2>
              </summary>
              <RowsTable rows={byChange('UNAFFECTED')} change="UNAFFECTED" caption="Transfers the scenario touches that keep their basis and status" />
            </details>
          </section>
        </>
      )}
    </>
  );
}
