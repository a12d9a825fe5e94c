// Relay connections: at most 100 per page, so lists are read page by page.

export const PAGE_SIZE = 100;
/** A safety stop: never read more than this many pages for one list. */
export const MAX_PAGES = 50;

export interface Page<N> {
  totalCount?: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: N[];
}

export interface AllPages<N> {
  nodes: N[];
  totalCount: number;
  /** True when MAX_PAGES stopped the read before the end. */
  truncated: boolean;
}

export async function fetchAllPages<N>(fetchPage: (after: string | null) => Promise<Page<N>>, maxPages = MAX_PAGES): Promise<AllPages<N>> {
  const nodes: N[] = [];
  let after: string | null = null;
  let totalCount = 0;
  for (let i = 0; i < maxPages; i += 1) {
    const page: Page<N> = await fetchPage(after);
    nodes.push(...page.nodes);
    totalCount = page.totalCount ?? nodes.length;
    if (!page.pageInfo.hasNextPage) return { nodes, totalCount, truncated: false };
    if (!page.pageInfo.endCursor || page.pageInfo.endCursor === after) throw new Error('The API returned a page without a usable cursor');
    after = page.pageInfo.endCursor;
  }
  return { nodes, totalCount, truncated: true };
}
