// Queries, cached per date and arguments (TanStack Query); lists are read whole, page by page.
import { queryOptions, useQuery } from '@tanstack/react-query';
import {
  AdequacyCountriesDocument,
  ChainDocument,
  EngagementsOutPageDocument,
  EvidenceIndexPageDocument,
  FindingsPageDocument,
  MetaDocument,
  OrganizationDocument,
  OrganizationEvidenceDocument,
  OrganizationsPageDocument,
  OverviewDocument,
  ScenarioDocument,
  TransfersPageDocument,
  type AdequacyCountriesQuery,
  type EvidenceFieldsFragment,
  type MechanismCode,
  type OrganizationsPageQuery,
  type ScenarioQuery,
  type TransferFieldsFragment,
} from '../gql/graphql';
import { engagementExporter, parseSubject } from '../lib/findings';
import { fetchAllPages, PAGE_SIZE, type AllPages } from '../lib/paginate';
import { request } from './client';

export type Transfer = TransferFieldsFragment;
export type EvidenceItem = EvidenceFieldsFragment;

export function useMeta() {
  return useQuery({ queryKey: ['meta'], queryFn: ({ signal }) => request(MetaDocument, {}, signal), staleTime: Infinity });
}

type OrgPages = AllPages<OrganizationsPageQuery['organizations']['edges'][number]['node']>;

// a stable select function, so the derived lists keep their identity between renders
function selectOrganizations(all: OrgPages) {
  const list = [...all.nodes].sort((a, b) => a.name.localeCompare(b.name));
  return {
    list,
    truncated: all.truncated,
    names: new Map(list.map((o) => [o.id, o.name])),
    clients: list.filter((o) => o.roles.includes('CLIENT')),
  };
}

export function useOrganizations() {
  return useQuery({
    queryKey: ['organizations'],
    queryFn: ({ signal }): Promise<OrgPages> =>
      fetchAllPages(async (after) => {
        const d = await request(OrganizationsPageDocument, { first: PAGE_SIZE, after }, signal);
        return { ...d.organizations, nodes: d.organizations.edges.map((e) => e.node) };
      }),
    select: selectOrganizations,
  });
}

/** Every transfer on a date (with paths and findings): the overview, findings and chains all read it. */
export function transfersQuery(asOf: string) {
  return queryOptions({
    queryKey: ['transfers', asOf],
    queryFn: ({ signal }) =>
      fetchAllPages(async (after) => {
        const d = await request(TransfersPageDocument, { asOf, first: PAGE_SIZE, after }, signal);
        return { ...d.transfers, nodes: d.transfers.edges.map((e) => e.node) };
      }),
  });
}

export function useTransfers(asOf: string) {
  return useQuery(transfersQuery(asOf));
}

export function useOverview(asOf: string) {
  return useQuery({ queryKey: ['overview', asOf], queryFn: ({ signal }) => request(OverviewDocument, { asOf }, signal) });
}

export function useFindings(asOf: string, organizationId: string | null) {
  return useQuery({
    queryKey: ['findings', asOf, organizationId],
    queryFn: ({ signal }) =>
      fetchAllPages(async (after) => {
        const d = await request(FindingsPageDocument, { asOf, first: PAGE_SIZE, after, organizationId }, signal);
        return { ...d.findings, nodes: d.findings.edges.map((e) => e.node) };
      }),
  });
}

export interface SubjectEvidence {
  /** What the evidence is about, in words. */
  title: string;
  evidence: EvidenceItem[];
  /** Set when the subject could not be found in the map. */
  missing?: string;
}

/** The evidence behind a finding's subject ('engagement:<id>', 'organization:<id>' or 'document:<id>'). */
export function useSubjectEvidence(subject: string, enabled: boolean) {
  return useQuery({
    queryKey: ['evidence', subject],
    enabled,
    staleTime: 10 * 60_000,
    queryFn: async ({ signal }): Promise<SubjectEvidence> => {
      const s = parseSubject(subject);
      if (s.kind === 'organization') {
        const d = await request(OrganizationEvidenceDocument, { id: s.id }, signal);
        if (!d.organization) return { title: s.id, evidence: [], missing: `No organisation ${s.id} in the map.` };
        return { title: d.organization.name, evidence: d.organization.evidence };
      }
      if (s.kind === 'engagement') {
        const exporterId = engagementExporter(s.id);
        if (!exporterId) return { title: s.id, evidence: [], missing: `Cannot tell the exporter of engagement ${s.id}.` };
        let orgName = exporterId;
        const all = await fetchAllPages(async (after) => {
          const d = await request(EngagementsOutPageDocument, { exporterId, first: PAGE_SIZE, after }, signal);
          if (!d.organization) return { pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] };
          orgName = d.organization.name;
          return { ...d.organization.engagementsOut, nodes: d.organization.engagementsOut.edges.map((e) => e.node) };
        });
        const engagement = all.nodes.find((n) => n.id === s.id);
        if (!engagement) return { title: s.id, evidence: [], missing: `Engagement ${s.id} of ${orgName} is not in the map.` };
        return { title: `${engagement.exporter.name} → ${engagement.importer.name}: ${engagement.service}`, evidence: engagement.evidence };
      }
      if (s.kind === 'document') {
        const all = await fetchAllPages(async (after) => {
          const d = await request(EvidenceIndexPageDocument, { first: PAGE_SIZE, after }, signal);
          return { ...d.organizations, nodes: d.organizations.edges.map((e) => e.node) };
        });
        const evidence = all.nodes.flatMap((o) => o.evidence).filter((e) => e.documentId === s.id);
        const title = evidence.find((e) => e.document)?.document?.title ?? s.id;
        return evidence.length ? { title, evidence } : { title, evidence: [], missing: `No quotes from document ${s.id} are on file.` };
      }
      return { title: subject, evidence: [], missing: 'This finding names no engagement, organisation or document.' };
    },
  });
}

export function useChain(clientId: string | null, asOf: string, maxDepth: number) {
  return useQuery({
    queryKey: ['chain', clientId, asOf, maxDepth],
    enabled: Boolean(clientId),
    queryFn: ({ signal }) => request(ChainDocument, { clientId: clientId ?? '', asOf, maxDepth }, signal),
  });
}

export interface ScenarioArgs {
  asOf: string;
  revoke: MechanismCode[];
  withdraw: string[];
  effective: string | null;
}

export function useScenario(args: ScenarioArgs, enabled: boolean) {
  return useQuery({
    queryKey: ['scenario', args],
    enabled,
    queryFn: async ({ signal }) => {
      const box: { head?: ScenarioQuery['scenario'] } = {};
      const rows = await fetchAllPages(async (after) => {
        const d = await request(
          ScenarioDocument,
          { asOf: args.asOf, revoke: args.revoke, withdraw: args.withdraw, effective: args.effective, first: PAGE_SIZE, after },
          signal,
        );
        box.head = d.scenario;
        return { ...d.scenario.rows, nodes: d.scenario.rows.edges.map((e) => e.node) };
      });
      if (!box.head) throw new Error('The scenario returned nothing');
      return { scenario: box.head, rows: rows.nodes, truncated: rows.truncated };
    },
  });
}

function sortCountries(d: AdequacyCountriesQuery) {
  return [...d.countries].sort((a, b) => a.name.localeCompare(b.name));
}

export function useAdequacyCountries(asOf: string) {
  return useQuery({
    queryKey: ['adequacy-countries', asOf],
    queryFn: ({ signal }) => request(AdequacyCountriesDocument, { asOf }, signal),
    select: sortCountries,
  });
}

export function useOrganization(id: string, asOf: string) {
  return useQuery({ queryKey: ['organization', id, asOf], queryFn: ({ signal }) => request(OrganizationDocument, { id, asOf }, signal) });
}
