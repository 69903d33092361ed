// Charts drawn at build time as SVG by ECharts' server-side renderer (no DOM needed, unlike Observable Plot's,
// which needs jsdom), so a page shows them without JavaScript. Each SVG is an image named by the chart's title
// and description (role="img", aria-labelledby); its numbers are in the table beside it.
import * as echarts from 'echarts';

export interface Series {
  name: string;
  /** null: no value (suppressed or not published): a gap, never a zero. */
  values: readonly (number | null)[];
  dashed?: boolean;
}

export interface ChartSpec {
  /** The id of the chart's title element; its description is `${id}-desc`. */
  id: string;
  categories: readonly string[];
  series: readonly Series[];
  percent?: boolean;
}

/** Colours with at least 3:1 contrast on white (WCAG 1.4.11), told apart by dash as well as hue. */
const PALETTE = ['#005eb8', '#212b32', '#d5281b', '#007f3b', '#7c2855', '#ed8b00'];
const TEXT = '#212b32';
const WIDTH = 640;

function render(id: string, height: number, option: echarts.EChartsCoreOption): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: WIDTH, height });
  chart.setOption({ animation: false, aria: { enabled: false }, color: PALETTE, textStyle: { color: TEXT, fontFamily: 'Arial, sans-serif', fontSize: 12 }, ...option });
  const svg = chart.renderToSVGString({ useViewBox: true });
  chart.dispose();
  // ECharts names its hover classes zr0-cls-N on every chart; a page holds several, so each gets its own.
  return svg
    .replace(/zr\d+-cls-/g, `${id}-cls-`)
    .replace(/ ecmeta_[a-z_]+="[^"]*"/g, '')
    .replace('<svg ', `<svg role="img" aria-labelledby="${id} ${id}-desc" focusable="false" `);
}

const axisText = { color: TEXT };
const legend = { top: 0, textStyle: axisText, itemWidth: 28, itemGap: 28 };

/** A line per series across the periods (the trends). */
export function lineChart(spec: ChartSpec): string {
  return render(spec.id, 320, {
    legend,
    grid: { left: 70, right: 20, top: spec.series.length > 2 ? 56 : 36, bottom: 36 },
    xAxis: { type: 'category', data: [...spec.categories], axisLabel: axisText },
    yAxis: { type: 'value', axisLabel: { ...axisText, formatter: spec.percent ? '{value} %' : '{value}' }, ...(spec.percent ? { max: 100, min: 0 } : {}) },
    series: spec.series.map((s, i) => ({
      type: 'line',
      name: s.name,
      data: [...s.values],
      connectNulls: false,
      symbol: i % 2 === 0 ? 'circle' : 'rect',
      symbolSize: 7,
      lineStyle: { width: 2, type: s.dashed ? 'dashed' : 'solid' },
    })),
  });
}

/** Horizontal bars per category (the breakdowns), one bar per series. */
export function barChart(spec: ChartSpec): string {
  const height = Math.max(160, 40 + spec.categories.length * (12 + 10 * spec.series.length));
  return render(spec.id, height, {
    legend,
    grid: { left: 230, right: 30, top: 32, bottom: 28 },
    yAxis: { type: 'category', inverse: true, data: spec.categories.map((c) => (c.length > 36 ? `${c.slice(0, 35)}…` : c)), axisLabel: axisText },
    xAxis: { type: 'value', axisLabel: { ...axisText, formatter: spec.percent ? '{value} %' : '{value}' }, ...(spec.percent ? { max: 100, min: 0 } : {}) },
    series: spec.series.map((s) => ({ type: 'bar', name: s.name, data: [...s.values], barMaxWidth: 14 })),
  });
}
