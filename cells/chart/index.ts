// The chart cell: a YAML chart spec over an upstream cell's table. The server computes the
// points with polars (aggregated, binned, or sampled to at most 10,000) and sends only those;
// the browser draws them with Observable Plot (view.ts).
import { inputTable } from '../shared/column-type.ts';
import type { CellKind } from '../kind.ts';
import { chartData } from './query.ts';
import { planChart } from './resolve.ts';
import { chartConfigSchema, parseChartConfig } from './spec.ts';
import type { ChartConfig, ChartResult } from './types.ts';
import { chartFace } from './face.ts';
import { EXPRESSION_QUOTES, paramNames, paramValues, substituteText } from '../shared/params.ts';
import { reportChart } from './report-chart.ts';

export type { ChartConfig, ChartResult } from './types.ts';

/** The input cells a chart reads as `$name`: in its title (as text) and its filter (as values). */
const chartParams = (config: ChartConfig) =>
  [...new Set([...paramNames(config.title ?? ''), ...paramNames(config.filter ?? '', { quotes: EXPRESSION_QUOTES })])];

export const chart: CellKind<ChartConfig, ChartResult> = {
  ...chartFace,
  report: reportChart,
  kind: 'chart',
  version: 1,
  // Light: a chart is one grouped query, and should not wait behind a profile.
  heavy: false,
  acceptsFile: false,
  starterConfig: (inputName?: string) => [
    `input: ${inputName ?? ''}`,
    '# mark: bar | line | area | dot | histogram | box | heatmap | rule | text (chosen from x and y when absent)',
    'x: ',
    '# y: count()              # or mean(price), sum(amount), {field: price, aggregate: median, scale: log}',
    '# color: category',
    '# filter: "amount > 0"',
    '# sort: -y',
    '# limit: 20',
    '',
  ].join('\n'),
  parseConfig: parseChartConfig,
  awaitsConfig: (config) => !config.encoding.x && !config.encoding.y,
  configSchema: chartConfigSchema,
  inputs: (config) => [config.input],
  params: chartParams,

  async run({ config, inputs, ctx }) {
    const { path, columns } = await inputTable(inputs, config.input, 'chart');
    const params = paramValues(chartParams(config), inputs);
    const plan = planChart(config.title ? { ...config, title: substituteText(config.title, params) } : config, columns);
    const result = await chartData({ path, columns, signal: ctx.signal, params }, plan);
    ctx.progress(1);
    return { result };
  },
};
