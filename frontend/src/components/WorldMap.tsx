// The exposure choropleth: SVG country shapes (world-atlas 110m, d3-geo), each destination labelled with its status.
import { geoEqualEarth, geoPath } from 'd3-geo';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { useEffect, useMemo, useState, type KeyboardEvent } from 'react';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import type { TransferStatus } from '../gql/graphql';
import { toChoropleth, type ExposureLike } from '../lib/choropleth';
import { plural } from '../lib/format';
import { STATUS_STYLE, statusStyle } from '../lib/status';
import { StatusIcon } from './StatusBadge';

const WIDTH = 960;
const HEIGHT = 470;
const ANTARCTICA = '010';

interface Shape {
  id: string;
  name: string;
  d: string;
}

let atlas: Promise<Shape[]> | null = null;

/** The atlas is a separate chunk, fetched from our own server (never a CDN), after the KPIs have rendered. */
function loadShapes(): Promise<Shape[]> {
  atlas ??= import('world-atlas/countries-110m.json').then((mod) => {
    const topo = (mod.default ?? mod) as unknown as Topology<{ countries: GeometryCollection<{ name: string }> }>;
    const fc = feature(topo, topo.objects.countries) as FeatureCollection<Geometry, { name: string }>;
    const features = fc.features.filter((f) => String(f.id) !== ANTARCTICA);
    const projection = geoEqualEarth().fitExtent(
      [
        [4, 4],
        [WIDTH - 4, HEIGHT - 4],
      ],
      { type: 'FeatureCollection', features } as FeatureCollection,
    );
    const path = geoPath(projection);
    return features
      .map((f: Feature<Geometry, { name: string }>, i) => ({ id: f.id == null ? `x${i}` : String(f.id), name: f.properties.name, d: path(f) ?? '' }))
      .filter((s) => s.d);
  });
  return atlas;
}

export function MapPatterns() {
  return (
    <defs>
      <pattern id="pattern-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
        <rect width="6" height="6" fill={STATUS_STYLE.NON_COMPLIANT.fill} />
        <line x1="0" y1="0" x2="0" y2="6" stroke="#fff" strokeWidth="2.2" />
      </pattern>
      <pattern id="pattern-dots" width="6" height="6" patternUnits="userSpaceOnUse">
        <rect width="6" height="6" fill={STATUS_STYLE.NEEDS_REVIEW.fill} />
        <circle cx="3" cy="3" r="1.3" fill="#3d2600" />
      </pattern>
    </defs>
  );
}

function fillFor(status: TransferStatus): string {
  const s = STATUS_STYLE[status];
  return s.pattern ? `url(#${s.pattern})` : s.fill;
}

export function LegendSwatch({ status }: { status: TransferStatus }) {
  return (
    <svg width="22" height="14" aria-hidden="true" focusable="false" className="legend-swatch">
      {/* the patterns are defined once, in the map's own <defs> */}
      <rect width="22" height="14" style={{ fill: fillFor(status) }} stroke="#1f2a37" strokeWidth="0.6" />
    </svg>
  );
}

export interface MapExposure extends ExposureLike {
  importerCount: number;
}

export function WorldMap<E extends MapExposure>({
  exposure,
  selected,
  onSelect,
}: {
  exposure: ReadonlyArray<E>;
  selected: string | null;
  onSelect: (code: string | null) => void;
}) {
  const [shapes, setShapes] = useState<Shape[] | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    loadShapes().then(
      (s) => live && setShapes(s),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, []);
  const map = useMemo(() => (shapes ? toChoropleth(exposure, new Set(shapes.map((s) => s.id))) : null), [shapes, exposure]);

  if (failed) return <p className="state state--error">The world map could not be drawn; the table below lists every destination.</p>;
  if (!shapes || !map) return <div className="map-placeholder" role="status">Drawing the map…</div>;

  const activate = (code: string) => onSelect(selected === code ? null : code);
  const onKey = (e: KeyboardEvent, code: string) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      activate(code);
    }
  };

  return (
    <figure className="map-figure">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        className="world-map"
        role="group"
        aria-label={`World map: ${plural(map.areas.size, 'destination country', 'destination countries')} coloured and patterned by worst transfer status`}
        data-testid="world-map"
      >
        <MapPatterns />
        <g className="map-base">
          {shapes.map((s) => {
            const area = map.areas.get(s.id);
            if (area) return null;
            return <path key={s.id} d={s.d} className="country" aria-hidden="true" />;
          })}
        </g>
        <g className="map-exposed">
          {[...map.areas.values()].map((area) => {
            const shape = shapes.find((s) => s.id === area.featureId);
            if (!shape) return null;
            const st = statusStyle(area.status);
            const label = `${area.name}: ${st.label} (worst status), ${plural(area.exposure.transferCount, 'transfer')} from ${plural(area.exposure.clientCount, 'client')}`;
            return (
              <path
                key={area.featureId}
                d={shape.d}
                className={`country country--exposed${selected === area.code ? ' country--selected' : ''}`}
                style={{ fill: fillFor(area.status) }}
                tabIndex={0}
                role="button"
                aria-label={label}
                aria-pressed={selected === area.code}
                data-country={area.code}
                data-status={area.status}
                onClick={() => activate(area.code)}
                onKeyDown={(e) => onKey(e, area.code)}
              >
                <title>{label}</title>
              </path>
            );
          })}
        </g>
      </svg>
      <figcaption className="map-legend">
        <span className="legend-title">Worst status per destination:</span>
        {(['NON_COMPLIANT', 'NEEDS_REVIEW', 'COMPLIANT'] as const).map((s) => (
          <span key={s} className="legend-item">
            <LegendSwatch status={s} />
            <StatusIcon shape={STATUS_STYLE[s].shape} color={STATUS_STYLE[s].color} />
            {STATUS_STYLE[s].label}
          </span>
        ))}
        <span className="legend-item">
          <svg width="22" height="14" aria-hidden="true">
            <rect width="22" height="14" className="country" />
          </svg>
          No transfers
        </span>
        {map.notDrawn.length > 0 && (
          <span className="legend-note" data-testid="not-drawn">
            Too small to draw at this scale (listed in the table): {map.notDrawn.map((e) => e.destination?.name).join(', ')}.
          </span>
        )}
      </figcaption>
    </figure>
  );
}
