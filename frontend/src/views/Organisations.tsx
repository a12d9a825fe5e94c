// Every organisation in the map, searchable, each linked to its page.
import { useOrganizations } from '../api/hooks';
import { useAsOf, useLocation, useParamSetter } from '../app/navigation';
import { OrgLink, PageHeader } from '../components/common';
import { ErrorPanel, Loading } from '../components/States';
import { humanize } from '../lib/status';

const ROLES = ['CLIENT', 'PROCESSOR', 'SUBPROCESSOR', 'CONTROLLER'] as const;

export default function Organisations() {
  const { asOf } = useAsOf();
  const { params } = useLocation();
  const setParams = useParamSetter();
  const orgs = useOrganizations();
  const q = (params.get('q') ?? '').toLowerCase();
  const role = params.get('role');
  const shown = (orgs.data?.list ?? []).filter(
    (o) => (!role || o.roles.includes(role as (typeof ROLES)[number])) && (!q || `${o.name} ${o.legalName ?? ''} ${o.id}`.toLowerCase().includes(q)),
  );
  return (
    <>
      <PageHeader title="Organisations" asOf={asOf}>
        <p>Clients, processors, sub-processors and other recipients in the map. Open one for its locations, DPF listing, engagements and evidence.</p>
      </PageHeader>
      <form className="filters card no-print" onSubmit={(e) => e.preventDefault()} aria-label="Filter organisations">
        <div className="filter-field filter-field--grow">
          <label htmlFor="o-q">Search</label>
          <input id="o-q" type="search" value={params.get('q') ?? ''} onChange={(e) => setParams({ q: e.target.value || null })} placeholder="name or id" />
        </div>
        <div className="filter-field">
          <label htmlFor="o-role">Role</label>
          <select id="o-role" value={role ?? ''} onChange={(e) => setParams({ role: e.target.value || null })}>
            <option value="">Any role</option>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {humanize(r)}
              </option>
            ))}
          </select>
        </div>
      </form>
      {orgs.error ? (
        <ErrorPanel error={orgs.error} what="organisations" onRetry={() => void orgs.refetch()} />
      ) : !orgs.data ? (
        <Loading what="organisations" />
      ) : (
        <section className="card">
          <p aria-live="polite">
            {shown.length} of {orgs.data.list.length} organisations.
          </p>
          <table className="table" data-testid="organisations-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Roles</th>
                <th scope="col">Established in</th>
                <th scope="col">Notes</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((o) => (
                <tr key={o.id} data-org-row={o.id}>
                  <th scope="row">
                    <OrgLink id={o.id} name={o.name} />
                    <div className="muted small">
                      <code>{o.id}</code>
                    </div>
                  </th>
                  <td>{o.roles.map((r) => humanize(r)).join(', ')}</td>
                  <td>{o.country?.name ?? <span className="muted">not stated</span>}</td>
                  <td>
                    {o.fictional && <span className="tag">fictional demo</span>} {o.unnamed && <span className="tag">unnamed recipient class</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </>
  );
}
