/**
 * SVG charts through Vega-Lite: a chart spec compiles to Vega, which renders SVG headless (no DOM,
 * no canvas). Bar charts for ratios, line charts for sweeps such as the switch interval.
 */
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { Chart } from '../report.js';

function toVegaLite(chart: Chart): TopLevelSpec {
  const x = {
    field: chart.x,
    type: chart.kind === 'line' ? ('quantitative' as const) : ('nominal' as const),
    title: chart.xLabel ?? chart.x,
    sort: null,
    ...(chart.logX ? { scale: { type: 'log' as const } } : {}),
    ...(chart.kind === 'bar' ? { axis: { labelAngle: -30 } } : {}),
  };
  const y = {
    field: chart.y,
    type: 'quantitative' as const,
    title: chart.yLabel ?? chart.y,
    ...(chart.logY ? { scale: { type: 'log' as const } } : {}),
  };
  const color = chart.series
    ? { field: chart.series, type: 'nominal' as const, title: chart.series }
    : undefined;
  const encoding =
    chart.kind === 'bar' && chart.series
      ? { x, y, color, xOffset: { field: chart.series, type: 'nominal' as const } }
      : { x, y, ...(color ? { color } : {}) };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: chart.title,
    width: 480,
    height: 260,
    background: 'white',
    data: { values: chart.data },
    mark:
      chart.kind === 'bar' ? { type: 'bar', tooltip: true } : { type: 'line', point: true, tooltip: true },
    encoding,
  } as TopLevelSpec;
}

/** Renders one chart to a standalone SVG document. */
export async function renderChartSvg(chart: Chart): Promise<string> {
  const view = new View(parse(compile(toVegaLite(chart)).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
