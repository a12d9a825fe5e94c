// One organisation: where it is, its DPF listing, engagements in and out, the transfers reaching it, documents and evidence.
import { Fragment } from 'react';
import { useOrganization, type EvidenceItem } from '../api/hooks';
import { useAsOf, useHref } from '../app/navigation';
import { Categories, DocumentTitle, EvidenceList, Linkified, OrgLink, PageHeader } from '../components/common';
import { ErrorPanel, Loading } from '../components/States';
import { SeverityBadge, StatusBadge, StatusIcon } from '../components/StatusBadge';
import type { OrganizationQuery } from '../gql/graphql';
import { plural, websiteHref } from '../lib/format';
import { basisLabel, mechanismLabel } from '../lib/mechanisms';
import { humanize, ruleLabel, severityRank, STATUS_STYLE } from '../lib/status';

type Org = NonNullable<OrganizationQuery['organization']>;
type Engagement = Org['engagementsIn']['edges'][number]['node'];

function EngagementTable({ engagements, direction, testId }: { engagements: Engagement[]; direction: 'in' | 'out'; testId: string }) {
  if (!engagements.length) return <p className="muted">None on this date.</p>;
  return (
    <div className="table-scroll">
      <table className="table" data-testid={testId}>
        <thead>
          <tr>
            <th scope="col">{direction === 'in' ? 'From (exporter)' : 'To (importer)'}</th>
            <th scope="col">Service and purpose</th>
            <th scope="col">Categories</th>
            <th scope="col">Where</th>
            <th scope="col">Mechanisms declared</th>
            <th scope="col">In force</th>
          </tr>
        </thead>
        <tbody>
          {engagements.map((e) => {
            const other = direction === 'in' ? e.exporter : e.importer;
            return (
              <tr key={e.id} data-engagement={e.id}>
                <td>
                  <OrgLink id={other.id} name={other.name} />
                  <div className="muted small">{e.role}</div>
                </td>
                <td>
                  {e.service}
                  <div className="muted small">{e.purpose}</div>
                  {e.fictional && <span className="tag">fictional demo</span>}
                </td>
                <td>
                  <Categories categories={e.dataCategories} limit={6} />
                </td>
                <td>
                  {e.countries.length ? e.countries.map((c) => c.name).join(', ') : <em>not stated</em>}
                  <div className="muted small">{humanize(e.locationScope)}</div>
                </td>
                <td>
                  {e.mechanisms.length
                    ? e.mechanisms.map((m, i) => (
                        <div key={i}>
                          {i === 0 ? '' : 'fallback: '}
                          {mechanismLabel(m.code)}
                          {m.module ? ` (module ${m.module})` : ''}
                          {m.signedOn ? `, signed ${m.signedOn}` : ''}
                        </div>
                      ))
                    : <span className="muted">none</span>}
                  <div className="muted small">{e.tiaRef ? `TIA: ${e.tiaRef}` : 'no TIA on file'}</div>
                </td>
                <td>
                  {e.validFrom ?? 'since ?'} – {e.validTo ?? 'open'}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function allEvidence(org: Org): EvidenceItem[] {
  const items: EvidenceItem[] = [...org.evidence];
  for (const c of org.certifications) items.push(...c.evidence);
  for (const e of org.engagementsOut.edges) items.push(...e.node.evidence);
  for (const e of org.engagementsIn.edges) items.push(...e.node.evidence);
  return items;
}

function Documents({ org }: { org: Org }) {
  const docs = new Map<string, EvidenceItem>();
  for (const e of allEvidence(org)) if (!docs.has(e.documentId)) docs.set(e.documentId, e);
  if (!docs.size) return <p className="muted">No documents on file.</p>;
  return (
    <ul className="plain doc-list" data-testid="documents">
      {[...docs.values()].map((e) => (
        <li key={e.documentId}>
          <DocumentTitle doc={e.document} id={e.documentId} />
        </li>
      ))}
    </ul>
  );
}

export default function Organisation({ id }: { id: string }) {
  const { asOf } = useAsOf();
  const href = useHref();
  const q = useOrganization(id, asOf);
  const org = q.data?.organization;
  const title = org ? org.name : 'Organisation';
  return (
    <>
      <PageHeader title={title} asOf={asOf}>
        <p>
          <a href={href('/organisations')}>All organisations</a>
        </p>
      </PageHeader>
      {q.error ? (
        <ErrorPanel error={q.error} what={`organisation ${id}`} onRetry={() => void q.refetch()} />
      ) : !q.data ? (
        <Loading what={`organisation ${id}`} />
      ) : !org ? (
        <p className="state state--empty">
          No organisation with the id <code>{id}</code> is in the map.
        </p>
      ) : (
        <>
          <section className="card" aria-labelledby="org-profile" data-testid="org-profile">
            <h2 id="org-profile">Profile</h2>
            <dl className="detail-grid">
              <dt>Legal name</dt>
              <dd>{org.legalName ?? <span className="muted">not stated</span>}</dd>
              <dt>Id</dt>
              <dd>
                <code>{org.id}</code>
                {org.fictional && <span className="tag"> fictional demo organisation</span>}
                {org.unnamed && <span className="tag"> placeholder: the source names only a kind of recipient{org.recipientClass ? ` (${org.recipientClass})` : ''}</span>}
              </dd>
              <dt>Roles in the map</dt>
              <dd>{org.roles.map((r) => humanize(r)).join(', ') || 'none'}</dd>
              {org.aliases.length > 0 && (
                <>
                  <dt>Also known as</dt>
                  <dd>{org.aliases.join(', ')}</dd>
                </>
              )}
              <dt>Established in</dt>
              <dd>{org.country ? `${org.country.name} (${org.country.code})` : <span className="muted">not stated</span>}</dd>
              {org.address && (
                <>
                  <dt>Address</dt>
                  <dd>{org.address}</dd>
                </>
              )}
              {org.website && (
                <>
                  <dt>Website</dt>
                  <dd>
                    {websiteHref(org.website) ? (
                      <a href={websiteHref(org.website) ?? undefined} target="_blank" rel="noopener noreferrer" className="external">
                        {org.website}
                      </a>
                    ) : (
                      org.website
                    )}
                  </dd>
                </>
              )}
              {org.parent && (
                <>
                  <dt>Parent</dt>
                  <dd>
                    <OrgLink id={org.parent.id} name={org.parent.name} />
                  </dd>
                </>
              )}
              <dt>Locations</dt>
              <dd data-testid="org-locations">
                {org.locations.length ? org.locations.map((c) => `${c.name} (${c.code})`).join(', ') : <em>not stated — where it keeps data is unknown</em>}
              </dd>
              <dt>EU-US DPF on {asOf}</dt>
              <dd data-testid="org-dpf">
                {org.dpfCertified ? (
                  <span className="status" data-status="COMPLIANT">
                    <StatusIcon shape="check" color={STATUS_STYLE.COMPLIANT.color} /> <span className="status-label">Listed</span>
                  </span>
                ) : (
                  <span className="status" data-status="NO_TRANSFER">
                    <StatusIcon shape="circle" color={STATUS_STYLE.NO_TRANSFER.color} /> <span className="status-label">Not listed</span>
                  </span>
                )}
              </dd>
              {org.description && (
                <>
                  <dt>Description</dt>
                  <dd>{org.description}</dd>
                </>
              )}
            </dl>
            {org.certifications.length > 0 && (
              <>
                <h3>Framework listings</h3>
                <table className="table" data-testid="certifications">
                  <thead>
                    <tr>
                      <th scope="col">Framework</th>
                      <th scope="col">Status</th>
                      <th scope="col">Since</th>
                      <th scope="col">Until</th>
                      <th scope="col">Checked on</th>
                    </tr>
                  </thead>
                  <tbody>
                    {org.certifications.map((c) => (
                      <tr key={c.framework}>
                        <th scope="row">{mechanismLabel(c.framework)}</th>
                        <td>{c.status === 'CLAIMED' ? 'Claimed (not verified on the official list)' : humanize(c.status)}</td>
                        <td>{c.since ?? '—'}</td>
                        <td>{c.until ?? '—'}</td>
                        <td>{c.checkedOn ?? <span className="muted">never</span>}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </>
            )}
          </section>
          <section className="card" aria-labelledby="org-transfers">
            <h2 id="org-transfers">Transfers reaching {org.name} ({q.data.transfers.totalCount})</h2>
            {q.data.transfers.edges.length ? (
              <table className="table" data-testid="org-transfers">
                <thead>
                  <tr>
                    <th scope="col">Client</th>
                    <th scope="col">Destination</th>
                    <th scope="col">Basis</th>
                    <th scope="col">Status</th>
                  </tr>
                </thead>
                <tbody>
                  {q.data.transfers.edges.map(({ node: t }) => (
                    <tr key={t.id} data-transfer={t.id} data-status={t.status}>
                      <td>
                        <OrgLink id={t.client.id} name={t.client.name} />
                      </td>
                      <td>{t.destination?.name ?? <em>not stated</em>}</td>
                      <td>{basisLabel(t.basis, t.basisKind)}</td>
                      <td>
                        <StatusBadge status={t.status} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <p className="muted">No client's personal data reaches it outside its regime area on this date.</p>
            )}
          </section>
          <section className="card" aria-labelledby="org-in">
            <h2 id="org-in">Engagements in: data it receives ({org.engagementsIn.totalCount})</h2>
            <EngagementTable engagements={org.engagementsIn.edges.map((e) => e.node)} direction="in" testId="engagements-in" />
          </section>
          <section className="card" aria-labelledby="org-out">
            <h2 id="org-out">Engagements out: data it passes on ({org.engagementsOut.totalCount})</h2>
            <EngagementTable engagements={org.engagementsOut.edges.map((e) => e.node)} direction="out" testId="engagements-out" />
          </section>
          <section className="card" aria-labelledby="org-findings">
            <h2 id="org-findings">Findings ({q.data.findings.totalCount})</h2>
            {q.data.findings.edges.length ? (
              <table className="table" data-testid="org-findings">
                <thead>
                  <tr>
                    <th scope="col">Severity</th>
                    <th scope="col">Rule</th>
                    <th scope="col">Finding, citation and remediation</th>
                  </tr>
                </thead>
                <tbody>
                  {[...q.data.findings.edges]
                    .sort((a, b) => severityRank(b.node.severity) - severityRank(a.node.severity))
                    .map(({ node: f }, i) => (
                      <tr key={i} data-rule={f.rule}>
                        <td>
                          <SeverityBadge severity={f.severity} />
                        </td>
                        <td>{ruleLabel(f.rule)}</td>
                        <td>
                          <p>{f.message}</p>
                          <p className="small">
                            <strong>Citation:</strong> <Linkified text={f.citation} />
                          </p>
                          <p className="small">
                            <strong>Remediation:</strong> {f.remediation}
                          </p>
                          <p className="muted small">
                            <code>{f.subject}</code>
                          </p>
                        </td>
                      </tr>
                    ))}
                </tbody>
              </table>
            ) : (
              <p className="muted">No findings on this date.</p>
            )}
          </section>
          <section className="card" aria-labelledby="org-docs">
            <h2 id="org-docs">Documents and evidence</h2>
            <h3>Documents</h3>
            <Documents org={org} />
            <h3>About {org.name}</h3>
            <EvidenceList evidence={org.evidence} />
            {org.engagementsOut.edges.some((e) => e.node.evidence.length) && (
              <>
                <h3>About its engagements</h3>
                {org.engagementsOut.edges
                  .filter((e) => e.node.evidence.length)
                  .map(({ node: e }) => (
                    <Fragment key={e.id}>
                      <h4>
                        → {e.importer.name}: {e.service}
                      </h4>
                      <EvidenceList evidence={e.evidence} />
                    </Fragment>
                  ))}
              </>
            )}
            <p className="muted small">{plural(allEvidence(org).length, 'quote')} on file in total.</p>
          </section>
        </>
      )}
    </>
  );
}
