// Chain explorer: one client's processors and sub-processors, each hop with its status, basis and categories.
import { useMemo } from 'react';
import { useChain, useOrganizations, useTransfers } from '../api/hooks';
import { useAsOf, useLocation, useParamSetter } from '../app/navigation';
import { ChainGraph, type GraphEdge, type GraphNode } from '../components/ChainGraph';
import { Categories, OrgLink, PageHeader } from '../components/common';
import { ErrorPanel, Loading } from '../components/States';
import { StatusBadge, StatusIcon } from '../components/StatusBadge';
import type { ChainQuery } from '../gql/graphql';
import { hopBases, type HopBasis } from '../lib/chain';
import { plural } from '../lib/format';
import { mechanismLabel } from '../lib/mechanisms';
import { STATUS_STYLE, statusStyle, type HopStatus } from '../lib/status';

type Chain = ChainQuery['chain'];
type Edge = Chain['edges'][number];

const DEPTHS = [1, 2, 3, 4, 5, 6, 7, 8];

function nodeKind(n: Chain['nodes'][number], clientNodeId: string): GraphNode['kind'] {
  if (n.id === clientNodeId) return 'client';
  if (n.kind === 'COUNTRY') return n.country ? 'country' : 'unknown';
  return 'organisation';
}

function nodeLabel(n: Chain['nodes'][number]): string {
  if (n.kind === 'COUNTRY') return n.country ? `${n.country.name} (${n.country.code})` : 'Destination not stated';
  return n.label;
}

function edgeLabel(e: Edge, basis: HopBasis | undefined): string {
  const s = statusStyle(e.status ?? 'NO_TRANSFER');
  const bases = basis?.bases.map((b) => b.label) ?? [];
  const basisText = e.status == null ? 'stays inside' : bases.length ? bases.slice(0, 2).join(' / ') + (bases.length > 2 ? ' …' : '') : 'no basis';
  return `${s.glyph} ${s.label}\n${basisText}`;
}

function Legend() {
  return (
    <ul className="chain-legend" aria-label="Hop legend">
      {(['NON_COMPLIANT', 'NEEDS_REVIEW', 'COMPLIANT', 'NO_TRANSFER'] as const).map((s) => {
        const st = STATUS_STYLE[s];
        return (
          <li key={s}>
            <svg width="46" height="12" aria-hidden="true">
              <line x1="2" y1="6" x2="44" y2="6" stroke={st.color} strokeWidth={s === 'NON_COMPLIANT' ? 4 : 2.5} strokeDasharray={st.dash.join(' ') || undefined} />
            </svg>
            <StatusIcon shape={st.shape} color={st.color} /> {st.label}
            <span className="muted"> — {st.dash.length ? (s === 'NON_COMPLIANT' ? 'dotted' : 'dashed') : s === 'NO_TRANSFER' ? 'thin' : 'solid'} line</span>
          </li>
        );
      })}
    </ul>
  );
}

export default function Chains() {
  const { asOf } = useAsOf();
  const { params } = useLocation();
  const setParams = useParamSetter();
  const orgs = useOrganizations();
  const clients = orgs.data?.clients ?? [];
  const clientId = params.get('client') ?? clients[0]?.id ?? null;
  const depthParam = Number(params.get('depth'));
  const depth = DEPTHS.includes(depthParam) ? depthParam : 5;
  const selected = params.get('hop');
  const chain = useChain(clientId, asOf, depth);
  const transfers = useTransfers(asOf);

  const clientTransfers = useMemo(() => (transfers.data?.nodes ?? []).filter((t) => t.client.id === clientId), [transfers.data, clientId]);
  const bases = useMemo(() => (chain.data ? hopBases(chain.data.chain.edges, clientTransfers) : new Map<string, HopBasis>()), [chain.data, clientTransfers]);
  const clientNodeId = clientId ? `org:${clientId}` : '';
  const graph = useMemo(() => {
    if (!chain.data) return null;
    const c = chain.data.chain;
    const nodes: GraphNode[] = c.nodes.map((n) => ({ id: n.id, label: nodeLabel(n), kind: nodeKind(n, clientNodeId) }));
    const edges: GraphEdge[] = c.edges.map((e) => ({ id: e.id, source: e.source, target: e.target, status: (e.status ?? 'NO_TRANSFER') as HopStatus, label: edgeLabel(e, bases.get(e.id)) }));
    return { nodes, edges };
  }, [chain.data, bases, clientNodeId]);

  const c = chain.data?.chain;
  const nodeById = new Map((c?.nodes ?? []).map((n) => [n.id, n]));
  const name = (id: string) => {
    const n = nodeById.get(id);
    return n ? nodeLabel(n) : id;
  };
  const sortedEdges = [...(c?.edges ?? [])].sort(
    (a, b) => (nodeById.get(a.source)?.depth ?? 0) - (nodeById.get(b.source)?.depth ?? 0) || a.kind.localeCompare(b.kind) || a.id.localeCompare(b.id),
  );
  const selectedEdge = c?.edges.find((e) => e.id === selected) ?? null;
  const selectedNode = !selectedEdge && selected ? (nodeById.get(selected) ?? null) : null;
  const select = (id: string | null) => setParams({ hop: id });

  return (
    <>
      <PageHeader title="Chain explorer" asOf={asOf}>
        <p>Where one client's data goes, processor by sub-processor, and the countries it is kept in. Each hop shows its status, the basis relied on and the categories it carries after narrowing.</p>
      </PageHeader>
      <form className="filters card no-print" onSubmit={(e) => e.preventDefault()} aria-label="Choose a chain">
        <div className="filter-field">
          <label htmlFor="c-client">Client</label>
          <select id="c-client" value={clientId ?? ''} onChange={(e) => setParams({ client: e.target.value, hop: null }, false)}>
            {clients.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name} ({o.id})
              </option>
            ))}
          </select>
        </div>
        <div className="filter-field">
          <label htmlFor="c-depth">Maximum depth</label>
          <select id="c-depth" value={depth} onChange={(e) => setParams({ depth: e.target.value, hop: null })}>
            {DEPTHS.map((d) => (
              <option key={d} value={d}>
                {plural(d, 'hop')}
              </option>
            ))}
          </select>
        </div>
      </form>
      {orgs.error ? (
        <ErrorPanel error={orgs.error} what="clients" onRetry={() => void orgs.refetch()} />
      ) : !clientId ? (
        orgs.data ? <p>No clients in the map.</p> : <Loading what="clients" />
      ) : chain.error || transfers.error ? (
        <ErrorPanel error={chain.error ?? transfers.error} what="the chain" onRetry={() => void chain.refetch()} />
      ) : !c || !graph || !transfers.data ? (
        <Loading what="the chain" />
      ) : (
        <>
          <section className="card" aria-labelledby="graph-title">
            <h2 id="graph-title">
              <OrgLink id={c.client.id} name={c.client.name} />: {plural(c.edges.filter((e) => e.kind === 'ENGAGEMENT').length, 'engagement')},{' '}
              {plural(clientTransfers.length, 'transfer')}
            </h2>
            <Legend />
            {c.edges.length ? (
              <ChainGraph
                nodes={graph.nodes}
                edges={graph.edges}
                rootId={clientNodeId}
                selected={selected}
                onSelect={select}
                label={`Chain of ${c.client.name} to depth ${c.maxDepth}: ${c.nodes.length} nodes, ${c.edges.length} hops. The table below lists every hop.`}
              />
            ) : (
              <p>This client hands no personal data to anyone on this date.</p>
            )}
            {selectedEdge && (
              <div className="hop-detail" aria-live="polite" data-testid="hop-detail">
                <h3>
                  {name(selectedEdge.source)} → {name(selectedEdge.target)} <StatusBadge status={selectedEdge.status ?? 'NO_TRANSFER'} />
                </h3>
                {selectedEdge.engagement && (
                  <p>
                    {selectedEdge.engagement.service} ({selectedEdge.engagement.role}); declares{' '}
                    {selectedEdge.engagement.mechanisms.map((m) => mechanismLabel(m.code)).join(', ') || 'no mechanism'}; location {selectedEdge.engagement.locationScope.toLowerCase().replace(/_/g, ' ')}
                    {selectedEdge.engagement.tiaRef ? `; TIA ${selectedEdge.engagement.tiaRef}` : '; no TIA on file'}.
                  </p>
                )}
                <p>Basis relied on: {bases.get(selectedEdge.id)?.bases.map((b) => `${b.label} (${plural(b.transferIds.length, 'transfer')})`).join(', ') || 'none'}.</p>
                <Categories categories={selectedEdge.dataCategories} />
              </div>
            )}
            {selectedNode && selectedNode.organization && (
              <div className="hop-detail" aria-live="polite">
                <h3>{selectedNode.label}</h3>
                <p>
                  {plural(selectedNode.depth, 'hop')} from the client. <OrgLink id={selectedNode.organization.id} name={`Open ${selectedNode.organization.name}`} />
                </p>
              </div>
            )}
          </section>
          <section className="card" aria-labelledby="hops-title">
            <h2 id="hops-title">Hops</h2>
            <div className="table-scroll">
              <table className="table" data-testid="hops-table">
                <caption className="visually-hidden">Every hop of the chain with its status, the basis relied on and the categories it carries</caption>
                <thead>
                  <tr>
                    <th scope="col">From → to</th>
                    <th scope="col">Status</th>
                    <th scope="col">Basis relied on</th>
                    <th scope="col">Categories carried (after narrowing)</th>
                    <th scope="col">Engagement</th>
                    <th scope="col" className="no-print">
                      <span className="visually-hidden">Graph</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {sortedEdges.map((e) => {
                    const b = bases.get(e.id);
                    const target = nodeById.get(e.target);
                    return (
                      <tr key={e.id} data-hop={e.id} data-status={e.status ?? 'NO_TRANSFER'} className={selected === e.id ? 'row-selected' : undefined}>
                        <th scope="row">
                          {name(e.source)} → {target?.organization ? <OrgLink id={target.organization.id} name={name(e.target)} /> : name(e.target)}
                          <span className="muted hop-kind"> {e.kind === 'LOCATION' ? '(where it is kept)' : ''}</span>
                        </th>
                        <td>
                          <StatusBadge status={e.status ?? 'NO_TRANSFER'} />
                        </td>
                        <td data-basis>
                          {e.status == null ? (
                            <span className="muted">not a transfer</span>
                          ) : b && b.bases.length ? (
                            <ul className="plain">
                              {b.bases.map((u) => (
                                <li key={u.label}>
                                  {u.label} <span className="muted">({plural(u.transferIds.length, 'transfer')})</span>
                                </li>
                              ))}
                            </ul>
                          ) : (
                            <span className="muted">none</span>
                          )}
                        </td>
                        <td>
                          <Categories categories={e.dataCategories} />
                        </td>
                        <td>{e.engagement ? `${e.engagement.service} (${e.engagement.role})` : <span className="muted">location</span>}</td>
                        <td className="no-print">
                          <button type="button" className="button button--small button--secondary" aria-pressed={selected === e.id} onClick={() => select(selected === e.id ? null : e.id)}>
                            {selected === e.id ? 'Selected' : 'Show'}
                          </button>
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          </section>
        </>
      )}
    </>
  );
}
