// A client's chain as a graph (Cytoscape.js): hops styled by status with line pattern, glyph and text, not colour alone.
import cytoscape, { type Core, type ElementDefinition, type StylesheetJson } from 'cytoscape';
import { useEffect, useRef } from 'react';
import { statusStyle, type HopStatus } from '../lib/status';

export interface GraphNode {
  id: string;
  label: string;
  kind: 'client' | 'organisation' | 'country' | 'unknown';
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  status: HopStatus;
  label: string;
}

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

function stylesheet(): StylesheetJson {
  const edgeStatus = (['COMPLIANT', 'NEEDS_REVIEW', 'NON_COMPLIANT', 'NO_TRANSFER'] as const).map((s) => {
    const st = statusStyle(s);
    return {
      selector: `edge.${s}`,
      style: {
        'line-color': st.color,
        'target-arrow-color': st.color,
        'line-style': st.dash.length ? 'dashed' : 'solid',
        ...(st.dash.length ? { 'line-dash-pattern': st.dash } : {}),
        width: s === 'NON_COMPLIANT' ? 4 : s === 'NO_TRANSFER' ? 1.5 : 2.5,
        color: st.color,
      },
    };
  });
  return [
    {
      selector: 'node',
      style: {
        label: 'data(label)',
        'font-family': FONT,
        'font-size': 12,
        color: '#1f2a37',
        'text-wrap': 'wrap',
        'text-max-width': '150px',
        'text-valign': 'center',
        'text-halign': 'center',
        shape: 'round-rectangle',
        width: 170,
        height: 46,
        'background-color': '#ffffff',
        'border-width': 1.5,
        'border-color': '#4a5563',
      },
    },
    { selector: 'node.client', style: { 'border-width': 3, 'border-color': '#23527c', 'background-color': '#e8eef5', 'font-weight': 'bold' } },
    { selector: 'node.country', style: { shape: 'tag', 'background-color': '#f1f3f6', width: 130, height: 36 } },
    { selector: 'node.unknown', style: { shape: 'tag', 'border-style': 'dashed', 'background-color': '#fff7e6', width: 150, height: 36 } },
    {
      selector: 'edge',
      style: {
        'curve-style': 'bezier',
        'target-arrow-shape': 'triangle',
        'arrow-scale': 1.1,
        label: 'data(label)',
        'font-family': FONT,
        'font-size': 10.5,
        'text-wrap': 'wrap',
        'text-max-width': '180px',
        'text-background-color': '#ffffff',
        'text-background-opacity': 1,
        'text-background-padding': '2px',
        'text-border-width': 1,
        'text-border-color': '#d0d5dd',
        'text-border-opacity': 1,
      },
    },
    ...edgeStatus,
    { selector: 'edge.selected', style: { width: 6, 'z-index': 10, 'font-weight': 'bold' } },
    { selector: 'node.selected', style: { 'border-width': 4, 'border-color': '#111827' } },
  ] as StylesheetJson;
}

export function ChainGraph({
  nodes,
  edges,
  rootId,
  selected,
  onSelect,
  label,
}: {
  nodes: ReadonlyArray<GraphNode>;
  edges: ReadonlyArray<GraphEdge>;
  rootId: string;
  selected: string | null;
  onSelect: (id: string | null) => void;
  label: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const cyRef = useRef<Core | null>(null);
  const onSelectRef = useRef(onSelect);
  onSelectRef.current = onSelect;

  useEffect(() => {
    const container = ref.current;
    if (!container) return;
    const elements: ElementDefinition[] = [
      ...nodes.map((n) => ({ data: { id: n.id, label: n.label }, classes: n.kind })),
      ...edges.map((e) => ({ data: { id: e.id, source: e.source, target: e.target, label: e.label }, classes: e.status })),
    ];
    const cy = cytoscape({
      container,
      elements,
      style: stylesheet(),
      userZoomingEnabled: false,
      boxSelectionEnabled: false,
      autoungrabify: true,
    });
    // roots as a collection: ids such as 'org:a.b' are not safe in a selector
    cy.layout({
      name: 'breadthfirst',
      directed: true,
      roots: cy.getElementById(rootId),
      spacingFactor: 1.05,
      padding: 24,
      // left to right: depth along x
      transform: (_node: unknown, pos: { x: number; y: number }) => ({ x: pos.y * 1.9, y: pos.x * 0.62 }),
    } as cytoscape.LayoutOptions).run();
    cy.fit(undefined, 24);
    cy.on('tap', 'edge, node', (evt) => onSelectRef.current(evt.target.id()));
    cy.on('tap', (evt) => {
      if (evt.target === cy) onSelectRef.current(null);
    });
    cyRef.current = cy;
    const ro = new ResizeObserver(() => {
      cy.resize();
      cy.fit(undefined, 24);
    });
    ro.observe(container);
    return () => {
      ro.disconnect();
      cy.destroy();
      cyRef.current = null;
    };
  }, [nodes, edges, rootId]);

  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    cy.elements().removeClass('selected');
    if (selected) cy.getElementById(selected).addClass('selected');
  }, [selected, nodes, edges]);

  return (
    <div className="chain-graph-wrap">
      <div ref={ref} className="chain-graph" role="img" aria-label={label} data-testid="chain-graph" />
      <button type="button" className="button button--small button--secondary chain-fit no-print" onClick={() => cyRef.current?.fit(undefined, 24)}>
        Fit to view
      </button>
    </div>
  );
}

export default ChainGraph;
