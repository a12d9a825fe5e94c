// Exposure (per destination) onto the world map's country shapes.
import type { TransferStatus } from '../gql/graphql';
import { ISO_NUMERIC } from './isoNumeric';
import { statusRank } from './status';

export interface ExposureLike {
  destination: { code: string; name: string } | null;
  transferCount: number;
  clientCount: number;
  worstStatus: TransferStatus;
}

export interface MapArea<E extends ExposureLike> {
  /** The atlas feature id (ISO 3166-1 numeric). */
  featureId: string;
  code: string;
  name: string;
  status: TransferStatus;
  exposure: E;
}

export interface Choropleth<E extends ExposureLike> {
  /** Destinations drawn, by atlas feature id. */
  areas: Map<string, MapArea<E>>;
  /** Destinations the sources leave unnamed: never on the map, counted apart. */
  notStated: { transferCount: number; clientCount: number; worstStatus: TransferStatus | null };
  /** Named destinations the atlas cannot draw (too small at this scale, or no ISO numeric code). */
  notDrawn: E[];
}

/**
 * Map exposure rows to the atlas's features (by ISO numeric id). Unknown destinations are not placed anywhere; they
 * are returned as a separate count. Duplicate rows for one country keep the worst status and add up the counts.
 */
export function toChoropleth<E extends ExposureLike>(exposure: ReadonlyArray<E>, featureIds: ReadonlySet<string>): Choropleth<E> {
  const areas = new Map<string, MapArea<E>>();
  const notDrawn: E[] = [];
  const notStated: Choropleth<E>['notStated'] = { transferCount: 0, clientCount: 0, worstStatus: null };
  for (const row of exposure) {
    if (!row.destination) {
      notStated.transferCount += row.transferCount;
      notStated.clientCount = Math.max(notStated.clientCount, row.clientCount);
      if (notStated.worstStatus === null || statusRank(row.worstStatus) > statusRank(notStated.worstStatus)) notStated.worstStatus = row.worstStatus;
      continue;
    }
    const code = row.destination.code.toUpperCase();
    const featureId = ISO_NUMERIC[code];
    if (!featureId || !featureIds.has(featureId)) {
      notDrawn.push(row);
      continue;
    }
    const existing = areas.get(featureId);
    if (!existing || statusRank(row.worstStatus) > statusRank(existing.status)) {
      areas.set(featureId, { featureId, code, name: row.destination.name, status: row.worstStatus, exposure: row });
    }
  }
  return { areas, notStated, notDrawn };
}
