// Findings: sortable, filterable (severity, rule, organisation, client), each with citation, remediation and evidence.
import { Fragment, useMemo, useState } from 'react';
import { useFindings, useOrganizations, useSubjectEvidence, useTransfers } from '../api/hooks';
import { useAsOf, useLocation, useParamSetter } from '../app/navigation';
import { EvidenceList, Linkified, OrgLink, PageHeader } from '../components/common';
import { ErrorPanel, Loading } from '../components/States';
import { SeverityBadge } from '../components/StatusBadge';
import type { Rule, Severity } from '../gql/graphql';
import { downloadCsv, toCsv, type CsvColumn } from '../lib/csv';
import {
  filterRows,
  findingKey,
  findingsOfClient,
  indexTransfers,
  sortRows,
  SORT_KEYS,
  toRows,
  type FindingLike,
  type FindingRow,
  type SortDir,
  type SortKey,
} from '../lib/findings';
import { plural } from '../lib/format';
import { listParam } from '../lib/router';
import { ruleLabel, SEVERITIES, SEVERITY_STYLE } from '../lib/status';

function FindingDetail({ row, id }: { row: FindingRow; id: string }) {
  const evidence = useSubjectEvidence(row.finding.subject, true);
  const f = row.finding;
  return (
    <div className="finding-detail" id={id} data-testid="finding-detail">
      <dl className="detail-grid">
        <dt>Finding</dt>
        <dd>{f.message}</dd>
        <dt>Citation</dt>
        <dd className="citation">
          <Linkified text={f.citation} />
        </dd>
        <dt>Remediation</dt>
        <dd>{f.remediation}</dd>
        <dt>Subject</dt>
        <dd>
          <code>{f.subject}</code>
          {row.parties.length > 0 && (
            <>
              {' — '}
              {row.parties.map((p, i) => (
                <Fragment key={p.id}>
                  {i > 0 && ' → '}
                  <OrgLink id={p.id} name={p.name} />
                </Fragment>
              ))}
            </>
          )}
        </dd>
        <dt>Clients</dt>
        <dd>
          {row.clients.length
            ? row.clients.map((c, i) => (
                <Fragment key={c.id}>
                  {i > 0 && ', '}
                  <OrgLink id={c.id} name={c.name} />
                </Fragment>
              ))
            : 'Not tied to a client transfer on this date (an organisation or document finding).'}
        </dd>
        <dt>Evidence</dt>
        <dd>
          {evidence.error ? (
            <ErrorPanel error={evidence.error} what="the evidence" onRetry={() => void evidence.refetch()} />
          ) : evidence.data ? (
            <>
              <p className="evidence-about">{evidence.data.title}</p>
              {evidence.data.missing && <p className="muted">{evidence.data.missing}</p>}
              <EvidenceList evidence={evidence.data.evidence} empty="No quotes on file for this subject." />
            </>
          ) : (
            <Loading what="the evidence" />
          )}
        </dd>
      </dl>
    </div>
  );
}

function SortHeader({ label, k, sort, dir, onSort, className }: { label: string; k: SortKey; sort: SortKey; dir: SortDir; onSort: (k: SortKey) => void; className?: string }) {
  const active = sort === k;
  return (
    <th scope="col" aria-sort={active ? (dir === 'asc' ? 'ascending' : 'descending') : 'none'} className={className}>
      <button type="button" className="sort-button" onClick={() => onSort(k)}>
        {label}
        <span className="sort-indicator" aria-hidden="true">
          {active ? (dir === 'asc' ? '▲' : '▼') : '↕'}
        </span>
      </button>
    </th>
  );
}

const CSV_COLUMNS = (asOf: string): CsvColumn<FindingRow>[] => [
  { header: 'as_of', value: () => asOf },
  { header: 'severity', value: (r) => r.finding.severity },
  { header: 'rule', value: (r) => r.finding.rule },
  { header: 'finding', value: (r) => r.finding.message },
  { header: 'organisations', value: (r) => r.parties.map((p) => p.name) },
  { header: 'subject', value: (r) => r.finding.subject },
  { header: 'clients', value: (r) => r.clients.map((c) => c.name) },
  { header: 'citation', value: (r) => r.finding.citation },
  { header: 'remediation', value: (r) => r.finding.remediation },
];

export default function Findings() {
  const { asOf } = useAsOf();
  const { params } = useLocation();
  const setParams = useParamSetter();
  const severities = listParam(params, 'severity').filter((s): s is Severity => (SEVERITIES as string[]).includes(s));
  const rule = params.get('rule') as Rule | null;
  const org = params.get('org');
  const client = params.get('client');
  const text = params.get('q') ?? '';
  const sortParam = params.get('sort') as SortKey | null;
  const sort: SortKey = sortParam && SORT_KEYS.includes(sortParam) ? sortParam : 'severity';
  const dir: SortDir = params.get('dir') === 'asc' ? 'asc' : params.get('dir') === 'desc' ? 'desc' : sort === 'severity' ? 'desc' : 'asc';
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());

  const findings = useFindings(asOf, org);
  const transfers = useTransfers(asOf);
  const orgs = useOrganizations();

  const base = useMemo((): FindingLike[] | null => {
    if (!findings.data) return null;
    if (!client) return findings.data.nodes;
    if (!transfers.data) return null;
    const ofClient = findingsOfClient(transfers.data.nodes, client);
    if (!org) return ofClient;
    const orgKeys = new Set(findings.data.nodes.map(findingKey));
    return ofClient.filter((f) => orgKeys.has(findingKey(f)));
  }, [findings.data, transfers.data, client, org]);

  const rows = useMemo(() => {
    if (!base || !transfers.data) return null;
    return toRows(base, indexTransfers(transfers.data.nodes), orgs.data?.names ?? new Map());
  }, [base, transfers.data, orgs.data]);

  const shown = useMemo(() => (rows ? sortRows(filterRows(rows, { severities, rules: rule ? [rule] : [], text }), sort, dir) : []), [rows, severities.join(), rule, text, sort, dir]);
  const rulesPresent = useMemo(() => [...new Set((rows ?? []).map((r) => r.finding.rule))].sort(), [rows]);

  const onSort = (k: SortKey) => {
    const nextDir: SortDir = sort === k ? (dir === 'asc' ? 'desc' : 'asc') : k === 'severity' ? 'desc' : 'asc';
    setParams({ sort: k, dir: nextDir });
  };
  const toggle = (key: string) =>
    setOpen((prev) => {
      const next = new Set(prev);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  const toggleSeverity = (s: Severity) => {
    const next = severities.includes(s) ? severities.filter((x) => x !== s) : [...severities, s];
    setParams({ severity: next });
  };
  const error = findings.error ?? transfers.error;
  const clientName = client ? (orgs.data?.names.get(client) ?? client) : null;
  const filtered = severities.length > 0 || rule || org || client || text;

  return (
    <>
      <PageHeader title="Findings" asOf={asOf}>
        <p>Why transfers and documents need attention, most severe first, each with the rule's citation, a fix and the evidence.</p>
      </PageHeader>
      <form className="filters card no-print" onSubmit={(e) => e.preventDefault()} aria-label="Filter findings">
        <fieldset className="filter-group">
          <legend>Severity</legend>
          {SEVERITIES.map((s) => (
            <label key={s} className="check">
              <input type="checkbox" checked={severities.includes(s)} onChange={() => toggleSeverity(s)} /> {SEVERITY_STYLE[s].label}
            </label>
          ))}
        </fieldset>
        <div className="filter-field">
          <label htmlFor="f-rule">Rule</label>
          <select id="f-rule" value={rule ?? ''} onChange={(e) => setParams({ rule: e.target.value || null })}>
            <option value="">All rules</option>
            {rulesPresent.map((r) => (
              <option key={r} value={r}>
                {ruleLabel(r)}
              </option>
            ))}
          </select>
        </div>
        <div className="filter-field">
          <label htmlFor="f-org">Organisation</label>
          <select id="f-org" value={org ?? ''} onChange={(e) => setParams({ org: e.target.value || null })}>
            <option value="">All organisations</option>
            {orgs.data?.list.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </div>
        <div className="filter-field">
          <label htmlFor="f-client">Client</label>
          <select id="f-client" value={client ?? ''} onChange={(e) => setParams({ client: e.target.value || null })}>
            <option value="">All clients</option>
            {orgs.data?.clients.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </div>
        <div className="filter-field filter-field--grow">
          <label htmlFor="f-q">Search</label>
          <input id="f-q" type="search" value={text} placeholder="message, citation, organisation…" onChange={(e) => setParams({ q: e.target.value || null })} />
        </div>
        <div className="filter-actions">
          {filtered && (
            <button type="button" className="button button--secondary" onClick={() => setParams({ severity: null, rule: null, org: null, client: null, q: null })}>
              Clear filters
            </button>
          )}
          <button
            type="button"
            className="button"
            disabled={!shown.length}
            onClick={() => downloadCsv(`flowmap-findings-${asOf}${client ? `-${client}` : ''}.csv`, toCsv(shown, CSV_COLUMNS(asOf)))}
          >
            Export CSV
          </button>
        </div>
      </form>
      {client && (
        <p className="scope-note" role="note">
          Client filter: the findings on <strong>{clientName}</strong>'s transfers on this date (its processors and sub-processors, hop by
          hop). Organisation- and document-level findings (retention, outdated references) are not tied to one client: see them without
          the client filter or on each organisation's page.
        </p>
      )}
      {error ? (
        <ErrorPanel error={error} what="findings" onRetry={() => void (findings.error ? findings.refetch() : transfers.refetch())} />
      ) : !rows ? (
        <Loading what="findings" />
      ) : (
        <section className="card" aria-labelledby="findings-count">
          <div className="table-toolbar">
            <p id="findings-count" aria-live="polite" data-testid="findings-count">
              Showing {shown.length} of {plural(rows.length, 'finding')}
              {filtered ? ' (filtered)' : ''}.
              {(findings.data?.truncated || transfers.data?.truncated) && <span className="warning"> Only the first pages were read: the list is incomplete.</span>}
            </p>
            <div className="no-print">
              <button type="button" className="button button--small button--secondary" onClick={() => setOpen(new Set(shown.map((r) => r.key)))}>
                Expand all
              </button>{' '}
              <button type="button" className="button button--small button--secondary" onClick={() => setOpen(new Set())}>
                Collapse all
              </button>
            </div>
          </div>
          <div className="table-scroll">
            <table className="table findings-table" data-testid="findings-table">
              <caption className="visually-hidden">Findings; use the column buttons to sort and the Details buttons to open citation, remediation and evidence</caption>
              <thead>
                <tr>
                  <th scope="col" className="col-toggle">
                    <span className="visually-hidden">Details</span>
                  </th>
                  <SortHeader label="Severity" k="severity" sort={sort} dir={dir} onSort={onSort} />
                  <SortHeader label="Rule" k="rule" sort={sort} dir={dir} onSort={onSort} />
                  <SortHeader label="Finding" k="message" sort={sort} dir={dir} onSort={onSort} />
                  <SortHeader label="Organisation" k="organisation" sort={sort} dir={dir} onSort={onSort} />
                  <SortHeader label="Clients" k="clients" sort={sort} dir={dir} onSort={onSort} />
                </tr>
              </thead>
              <tbody>
                {shown.map((r, i) => {
                  const detailId = `finding-${i}`;
                  const isOpen = open.has(r.key);
                  return (
                    <Fragment key={r.key}>
                      <tr className={isOpen ? 'row-open' : undefined} data-rule={r.finding.rule} data-severity={r.finding.severity} data-subject={r.finding.subject}>
                        <td className="col-toggle">
                          <button type="button" className="disclosure" aria-expanded={isOpen} aria-controls={isOpen ? detailId : undefined} onClick={() => toggle(r.key)}>
                            <span aria-hidden="true">{isOpen ? '▾' : '▸'}</span>
                            <span className="visually-hidden">
                              Details of {ruleLabel(r.finding.rule)}: {r.finding.message}
                            </span>
                          </button>
                        </td>
                        <td>
                          <SeverityBadge severity={r.finding.severity} />
                        </td>
                        <td>{ruleLabel(r.finding.rule)}</td>
                        <td>{r.finding.message}</td>
                        <td>
                          {r.parties.length ? (
                            r.parties.map((p, j) => (
                              <Fragment key={p.id}>
                                {j > 0 && (
                                  <>
                                    <span aria-hidden="true"> → </span>
                                    <span className="visually-hidden"> to </span>
                                  </>
                                )}
                                <OrgLink id={p.id} name={p.name} />
                              </Fragment>
                            ))
                          ) : (
                            <span className="muted">{r.subject.kind === 'document' ? `document ${r.subject.id}` : r.subject.id}</span>
                          )}
                        </td>
                        <td>{r.clients.length ? r.clients.map((c) => c.name).join(', ') : <span className="muted">—</span>}</td>
                      </tr>
                      {isOpen && (
                        <tr className="detail-row">
                          <td colSpan={6}>
                            <FindingDetail row={r} id={detailId} />
                          </td>
                        </tr>
                      )}
                    </Fragment>
                  );
                })}
                {shown.length === 0 && (
                  <tr>
                    <td colSpan={6}>{rows.length ? 'No finding matches these filters.' : 'No findings on this date.'}</td>
                  </tr>
                )}
              </tbody>
            </table>
          </div>
        </section>
      )}
    </>
  );
}
