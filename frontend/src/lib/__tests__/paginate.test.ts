import { describe, expect, it, vi } from 'vitest';
import { fetchAllPages, type Page } from '../paginate';

function pager(total: number, size: number) {
  return vi.fn(async (after: string | null): Promise<Page<number>> => {
    const start = after ? Number(after) : 0;
    const nodes = Array.from({ length: Math.min(size, total - start) }, (_, i) => start + i);
    const end = start + nodes.length;
    return { totalCount: total, nodes, pageInfo: { hasNextPage: end < total, endCursor: nodes.length ? String(end) : null } };
  });
}

describe('fetchAllPages', () => {
  it('reads every page in order', async () => {
    const fetchPage = pager(250, 100);
    const all = await fetchAllPages(fetchPage);
    expect(all.nodes).toHaveLength(250);
    expect(all.nodes[249]).toBe(249);
    expect(all.totalCount).toBe(250);
    expect(all.truncated).toBe(false);
    expect(fetchPage.mock.calls.map((c) => c[0])).toEqual([null, '100', '200']);
  });

  it('stops at the page limit and says so', async () => {
    const all = await fetchAllPages(pager(1000, 100), 3);
    expect(all.nodes).toHaveLength(300);
    expect(all.truncated).toBe(true);
  });

  it('refuses to loop on a cursor that does not move', async () => {
    const stuck = async (): Promise<Page<number>> => ({ nodes: [1], pageInfo: { hasNextPage: true, endCursor: null } });
    await expect(fetchAllPages(stuck)).rejects.toThrow(/cursor/);
  });

  it('handles an empty list', async () => {
    expect(await fetchAllPages(pager(0, 100))).toEqual({ nodes: [], totalCount: 0, truncated: false });
  });
});
