// Chain hops: the basis each hop's transfers rely on (from the transfers whose path includes the hop).
import type { BasisKind, TransferStatus } from '../gql/graphql';
import { basisLabel } from './mechanisms';
import { worstStatus } from './status';

export interface TransferForChain {
  id: string;
  status: TransferStatus;
  basisKind: BasisKind;
  basisReference: string | null;
  basis: { code: string } | null;
  importer: { id: string };
  destination: { code: string } | null;
  path: ReadonlyArray<{ engagement: { id: string } }>;
}

export interface BasisUse {
  label: string;
  /** Transfers relying on it through this hop. */
  transferIds: string[];
  status: TransferStatus;
}

export interface HopBasis {
  bases: BasisUse[];
  status: TransferStatus | null;
  transferCount: number;
}

export interface EdgeLike {
  id: string;
  source: string;
  target: string;
  kind: 'ENGAGEMENT' | 'LOCATION';
  engagement: { id: string } | null;
}

function summarise(transfers: ReadonlyArray<TransferForChain>): HopBasis {
  const byLabel = new Map<string, BasisUse>();
  for (const t of transfers) {
    const label = basisLabel(t.basis, t.basisKind, t.basisReference);
    const use = byLabel.get(label);
    if (use) {
      use.transferIds.push(t.id);
      use.status = worstStatus([use.status, t.status]) ?? t.status;
    } else byLabel.set(label, { label, transferIds: [t.id], status: t.status });
  }
  return {
    bases: [...byLabel.values()].sort((a, b) => a.label.localeCompare(b.label)),
    status: worstStatus(transfers.map((t) => t.status)),
    transferCount: transfers.length,
  };
}

/**
 * For each chain edge, the bases relied on by the transfers it carries: an engagement edge carries every transfer
 * whose path includes the engagement; a location edge (importer -> country) the transfers to that importer there.
 */
export function hopBases(edges: ReadonlyArray<EdgeLike>, transfers: ReadonlyArray<TransferForChain>): Map<string, HopBasis> {
  const result = new Map<string, HopBasis>();
  for (const edge of edges) {
    let carried: TransferForChain[];
    if (edge.kind === 'ENGAGEMENT' && edge.engagement) {
      const engagementId = edge.engagement.id;
      carried = transfers.filter((t) => t.path.some((h) => h.engagement.id === engagementId));
    } else if (edge.kind === 'LOCATION') {
      const importer = edge.source.replace(/^org:/, '');
      const country = edge.target.replace(/^country:/, '');
      carried = transfers.filter((t) => t.importer.id === importer && (t.destination?.code ?? '?') === country);
    } else carried = [];
    result.set(edge.id, summarise(carried));
  }
  return result;
}
