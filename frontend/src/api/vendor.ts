// The vendor check's queries. Only the vendor-check view imports them, so their documents stay in its chunk.
import { useQuery } from '@tanstack/react-query';
import { VendorCheckClientsDocument, VendorCheckDocument, type VendorCheckClientsQuery, type VendorCheckInput } from '../gql/graphql';
import { request } from './client';

function selectClients(d: VendorCheckClientsQuery) {
  const list = d.organizations.edges.map((e) => e.node).sort((a, b) => a.name.localeCompare(b.name));
  return { list, totalCount: d.organizations.totalCount };
}

/** The clients procurement may check a vendor for (organisations with the CLIENT role; the first 100). */
export function useVendorCheckClients() {
  return useQuery({
    queryKey: ['vendor-check-clients'],
    queryFn: ({ signal }) => request(VendorCheckClientsDocument, {}, signal),
    select: selectClients,
  });
}

/**
 * The vendor check of one submission (`run` numbers them), on a date. A query: the server writes nothing, so the same
 * documents are checked again when the as-of date changes, or after a token is entered (the token dialog resets queries).
 */
export function useVendorCheck(run: number, input: VendorCheckInput | null, asOf: string) {
  return useQuery({
    queryKey: ['vendor-check', run, asOf],
    enabled: input !== null,
    staleTime: Infinity,
    gcTime: 0,
    queryFn: ({ signal }) => request(VendorCheckDocument, { input: { ...(input ?? { documents: [] }), asOf } }, signal),
  });
}
