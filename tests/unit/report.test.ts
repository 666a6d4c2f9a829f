// The HTML report and its SVG charts: values from CSVs and names from users are text, never HTML.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderReport } from '../../server/notebook/report.ts';
import { reportChart } from '../../cells/chart/report-chart.ts';
import type { ChartResult, ResolvedEncoding, ResolvedSpec } from '../../cells/chart/types.ts';

const EVIL = '<img src=x onerror=alert(1)>';

test('every value and name in a report is escaped, and nothing in it runs or loads', () => {
  const html = renderReport({
    title: `Sales ${EVIL}`,
    run: { createdAt: new Date('2026-01-02T03:04:05Z'), trigger: 'files', user: { email: 'a@example.com' }, files: [{ cell: 'sales', name: `${EVIL}.csv`, size: 10, sha256: 'ab'.repeat(32) }], summary: { pass: 1, warn: 0, fail: 1, error: 0 } },
    cells: [
      { name: 'sales', kind: 'upload', status: 'done', result: { rows: 2, columns: [{ name: EVIL, type: 'string' }], file: { name: EVIL } }, error: null },
      { name: 'checks', kind: 'rule', status: 'done', error: null, result: { summary: { pass: 1, warn: 0, fail: 1, error: 0 }, rows: 2, rules: [{ name: EVIL, status: 'fail', violations: 1, message: EVIL, samples: [{ row: 1, values: { [EVIL]: EVIL } }] }] } },
      { name: 'bars', kind: 'chart', status: 'done', error: null, result: { spec: { mark: 'bar', orientation: 'vertical', defaults: [], encoding: { x: { type: 'nominal', label: EVIL }, y: { type: 'quantitative', label: 'count' } } }, data: [{ x: EVIL, y: 3 }, { x: 'b', y: 1 }], pointsOut: 2 } },
      { name: 'broken', kind: 'profile', status: 'error', result: null, error: { code: 'x', message: EVIL } },
    ],
  });
  assert.doesNotMatch(html, /<img|<script/i);
  assert.match(html, /&#60;img src=x onerror=alert\(1\)&#62;/);
  assert.match(html, /2026-01-02 03:04:05 UTC/);
  assert.equal((html.match(/<svg/g) ?? []).length, 1, 'the bar chart');
});

const result = (spec: Partial<ResolvedSpec> & Pick<ResolvedSpec, 'mark'>, data: ChartResult['data']): ChartResult => ({
  spec: { orientation: 'vertical', encoding: {}, defaults: [], ...spec }, data, rowsIn: data.length, rowsFiltered: data.length, pointsOut: data.length, sampled: false, truncated: false, warnings: [],
});
const q = (label: string): ResolvedEncoding => ({ type: 'quantitative', label });
const n = (label: string): ResolvedEncoding => ({ type: 'nominal', label });

test('the report\'s chart is the page\'s drawing: its tick labels, its width rules, its legend, its marks', () => {
  // Ticks the page prints ("5,500,000"), not an abbreviation of the report's own ("5.5M").
  const tall = reportChart(result({ mark: 'bar', title: 'Cases', encoding: { x: n('country'), y: q('sum(cases)') } }, [{ x: 'A', y: 5_500_000 }, { x: 'B', y: 120_000 }]));
  assert.match(tall, />5,000,000</);
  assert.doesNotMatch(tall, /\dM</);
  assert.match(tall, />Cases</, 'the title, as the SVG download has it');
  assert.match(tall, /<svg[^>]*width="932"/, 'the report\'s width (900) and the download\'s padding');
  // A colour channel gets the page's swatch legend, names as text.
  const stacked = reportChart(result({ mark: 'bar', encoding: { x: n('x'), y: q('y'), color: n(EVIL) } }, [{ x: 'a', y: 2, color: 'p' }, { x: 'a', y: 3, color: 'q' }, { x: 'b', y: 5, color: EVIL }]));
  assert.equal((stacked.match(/aria-label="bar"[^>]*>/g) ?? []).length, 1);
  assert.equal((stacked.split('aria-label="bar"')[1]!.match(/<rect/g) ?? []).length >= 3, true, 'three stacked bars');
  assert.match(stacked, /class="assay-legend"/);
  assert.doesNotMatch(stacked, /<img/);
  // Calendar ticks on a temporal line; marks the old report left out (heatmaps) are drawn now.
  const line = reportChart(result({ mark: 'line', encoding: { x: { type: 'temporal', label: 'date' }, y: q('y') } }, [{ x: '2012-01-01', y: 1 }, { x: '2014-01-01', y: 3 }]));
  assert.match(line, /aria-label="line"/);
  assert.match(line, />2013</);
  const heat = reportChart(result({ mark: 'heatmap', encoding: { x: n('a'), y: n('b'), color: q('n') } }, [{ x: 'a', y: 'b', color: 3 }, { x: 'c', y: 'b', color: 1 }]));
  assert.match(heat, /<svg/);
  assert.doesNotMatch(heat, /could not be drawn/);
  assert.match(reportChart(result({ mark: 'bar' }, [])), /no points to draw/);
});

test('the report\'s profile prints years and codes as labels and quantities grouped, as the page does (issue 23, item 1)', () => {
  const column = (name: string, min: number, max: number) => ({ name, type: 'integer', nulls: 0, distinct: 2, min, max, mean: (min + max) / 2, quantiles: { p50: max }, alerts: [] });
  const html = renderReport({
    title: 'Cases',
    run: { createdAt: new Date(), trigger: 'edit', files: [], summary: { pass: 0, warn: 0, fail: 0, error: 0 } },
    cells: [{ name: 'stats', kind: 'profile', status: 'done', error: null, result: { rows: 28_040, columns: [column('year', 2019, 2020), column('cases', -9, 19_979)], quality: { score: 99 }, duplicateRows: 0 } }],
  });
  assert.match(html, /<td class="num">2019<\/td><td class="num">2019.5<\/td><td class="num">2020<\/td><td class="num">2020<\/td>/);
  assert.match(html, /<td class="num">19,979<\/td>/);
  assert.match(html, /28,040 rows/);
});
