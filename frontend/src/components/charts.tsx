// ECharts, tree-shaken (echarts/core + the bar chart + SVG renderer only). Loaded on demand, after the KPIs.
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import type { ComposeOption } from 'echarts/core';
import type { BarSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import type { TransferStatus } from '../gql/graphql';
import type { MechanismCount } from '../lib/mechanisms';
import { STATUS_STYLE } from '../lib/status';

// No AriaComponent: each chart's container is role="img" with a full text summary, and decals are set per series.
echarts.use([BarChart, GridComponent, TooltipComponent, LegendComponent, SVGRenderer]);

type Option = ComposeOption<BarSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption>;

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

/** Decals (patterns) so series differ by more than colour, on screen and in print. */
const DECAL_HATCH = { symbol: 'rect', symbolSize: 1, dashArrayX: [1, 0], dashArrayY: [2, 3], rotation: Math.PI / 4, color: 'rgba(255,255,255,0.85)' };
const DECAL_DOTS = { symbol: 'circle', symbolSize: 0.5, dashArrayX: [[4, 4]], dashArrayY: [4, 2], color: 'rgba(61,38,0,0.8)' };

function Chart({ option, height, label, testId }: { option: Option; height: number; label: string; testId: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const chart = echarts.init(el, undefined, { renderer: 'svg' });
    chart.setOption(option);
    const ro = new ResizeObserver(() => chart.resize());
    ro.observe(el);
    const beforePrint = () => chart.resize();
    window.addEventListener('beforeprint', beforePrint);
    return () => {
      ro.disconnect();
      window.removeEventListener('beforeprint', beforePrint);
      chart.dispose();
    };
  }, [option]);
  return <div ref={ref} className="chart" style={{ height }} role="img" aria-label={label} data-testid={testId} />;
}

export function MechanismChart({ rows }: { rows: ReadonlyArray<MechanismCount> }) {
  const data = [...rows].reverse();
  const invalid = (r: MechanismCount) => r.verdict !== null && !r.verdict.usable;
  const categories = data.map((r) =>
    invalid(r)
      ? `✕ ${r.label} (not valid)`
      : r.verdict?.state === 'NOT_SIGNABLE'
        ? `! ${r.label} (old contracts only)`
        : r.verdict?.state === 'UNIDENTIFIED'
          ? `! ${r.label} (no tool named)`
          : r.label,
  );
  const bar = (name: string, pick: (r: MechanismCount) => number, color: string): BarSeriesOption => ({
    name,
    type: 'bar',
    itemStyle: { color },
    data: data.map((r) => ({
      value: pick(r),
      itemStyle: invalid(r) ? { color: STATUS_STYLE.NON_COMPLIANT.fill, decal: DECAL_HATCH, borderColor: '#5c0b0e', borderWidth: 1 } : { color },
    })),
    label: { show: true, position: 'right', fontFamily: FONT, color: '#1f2a37' },
    barMaxWidth: 16,
  });
  const option: Option = {
    textStyle: { fontFamily: FONT },
    animation: false,
    grid: { left: 8, right: 36, top: 30, bottom: 8, containLabel: true },
    legend: { top: 0, left: 0, textStyle: { fontFamily: FONT, color: '#1f2a37' } },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value', minInterval: 1, axisLabel: { color: '#4a5563' } },
    yAxis: { type: 'category', data: categories, axisLabel: { color: '#1f2a37', fontFamily: FONT, width: 260, overflow: 'truncate' } },
    series: [bar('Relied on (basis)', (r) => r.reliedOn, '#23527c'), bar('Declared on the last hop', (r) => r.declared, '#7f9cbf')],
  };
  const summary = rows.map((r) => `${r.label}: relied on by ${r.reliedOn}, declared by ${r.declared}${invalid(r) ? ' (not valid on this date)' : ''}`).join('; ');
  return <Chart option={option} height={Math.max(160, 44 * rows.length + 50)} label={`Transfers by mechanism. ${summary}`} testId="mechanism-chart" />;
}

export interface ClientStatusRow {
  client: string;
  counts: Record<TransferStatus, number>;
}

export function ClientStatusChart({ rows }: { rows: ReadonlyArray<ClientStatusRow> }) {
  const data = [...rows].reverse();
  const series = (status: TransferStatus, decal: object | null): BarSeriesOption => ({
    name: `${STATUS_STYLE[status].glyph} ${STATUS_STYLE[status].label}`,
    type: 'bar',
    stack: 'status',
    data: data.map((r) => r.counts[status]),
    itemStyle: { color: STATUS_STYLE[status].fill, borderColor: '#fff', borderWidth: 1, ...(decal ? { decal } : {}) },
    label: { show: true, formatter: (p) => (Number(p.value) > 0 ? String(p.value) : ''), color: '#fff', fontWeight: 'bold', textBorderColor: '#1f2a37', textBorderWidth: 3 },
    barMaxWidth: 22,
  });
  const option: Option = {
    textStyle: { fontFamily: FONT },
    animation: false,
    grid: { left: 8, right: 16, top: 30, bottom: 8, containLabel: true },
    legend: { top: 0, left: 0, textStyle: { fontFamily: FONT, color: '#1f2a37' } },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value', minInterval: 1, axisLabel: { color: '#4a5563' } },
    yAxis: { type: 'category', data: data.map((r) => r.client), axisLabel: { color: '#1f2a37', width: 220, overflow: 'truncate' } },
    series: [series('NON_COMPLIANT', DECAL_HATCH), series('NEEDS_REVIEW', DECAL_DOTS), series('COMPLIANT', null)],
  };
  const summary = rows
    .map((r) => `${r.client}: ${r.counts.NON_COMPLIANT} non-compliant, ${r.counts.NEEDS_REVIEW} need review, ${r.counts.COMPLIANT} compliant`)
    .join('; ');
  return <Chart option={option} height={Math.max(140, 40 * rows.length + 50)} label={`Transfers per client by status. ${summary}`} testId="client-chart" />;
}

export default MechanismChart;
