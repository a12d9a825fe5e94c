import { describe, expect, it } from 'vitest';
import { feature } from 'topojson-client';
import type { FeatureCollection } from 'geojson';
import type { GeometryCollection, Topology } from 'topojson-specification';
import atlasJson from 'world-atlas/countries-110m.json';
import { toChoropleth, type ExposureLike } from '../choropleth';
import { ISO_NUMERIC } from '../isoNumeric';

const atlas = atlasJson as unknown as Topology<{ countries: GeometryCollection<{ name: string }> }>;
const features = (feature(atlas, atlas.objects.countries) as FeatureCollection).features;
const featureIds = new Set(features.map((f) => String(f.id)));
const nameOf = (id: string) => features.find((f) => String(f.id) === id)?.properties?.name;

const row = (code: string | null, worstStatus: ExposureLike['worstStatus'], transferCount = 1, clientCount = 1): ExposureLike => ({
  destination: code ? { code, name: code } : null,
  worstStatus,
  transferCount,
  clientCount,
});

describe('toChoropleth', () => {
  it('places the US on the atlas shape of the United States', () => {
    const map = toChoropleth([row('US', 'NON_COMPLIANT', 3, 3)], featureIds);
    expect(map.areas.size).toBe(1);
    const us = map.areas.get('840');
    expect(us?.code).toBe('US');
    expect(us?.status).toBe('NON_COMPLIANT');
    expect(nameOf('840')).toBe('United States of America');
  });

  it('never puts unknown destinations on the map, and counts them apart', () => {
    const map = toChoropleth([row(null, 'NEEDS_REVIEW', 9, 4), row('US', 'COMPLIANT')], featureIds);
    expect(map.areas.size).toBe(1);
    expect(map.notStated).toEqual({ transferCount: 9, clientCount: 4, worstStatus: 'NEEDS_REVIEW' });
  });

  it('reports no unknown destinations when every one is named', () => {
    expect(toChoropleth([row('JP', 'COMPLIANT')], featureIds).notStated).toEqual({ transferCount: 0, clientCount: 0, worstStatus: null });
  });

  it('lists named destinations the 110m atlas cannot draw instead of dropping them', () => {
    const map = toChoropleth([row('SG', 'NEEDS_REVIEW'), row('XX', 'COMPLIANT'), row('IN', 'COMPLIANT')], featureIds);
    expect(map.notDrawn.map((r) => r.destination?.code)).toEqual(['SG', 'XX']);
    expect(map.areas.get('356')?.code).toBe('IN');
  });

  it('keeps the worst status when a country appears twice', () => {
    const map = toChoropleth([row('us', 'COMPLIANT'), row('US', 'NON_COMPLIANT'), row('US', 'NEEDS_REVIEW')], featureIds);
    expect(map.areas.get('840')?.status).toBe('NON_COMPLIANT');
  });

  it('has an ISO numeric code for the big destinations, matching the atlas', () => {
    for (const code of ['US', 'GB', 'IN', 'CN', 'BR', 'JP', 'CA', 'AU', 'DE', 'FR', 'IL', 'CH']) {
      const id = ISO_NUMERIC[code];
      expect(id, code).toBeDefined();
      expect(featureIds.has(id!), code).toBe(true);
    }
  });
});
