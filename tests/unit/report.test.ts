// The HTML report and its SVG charts: values from CSVs and names from users are text, never HTML.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderReport } from '../../server/notebook/report.ts';
import { chartSvg } from '../../cells/chart/report-svg.ts';

const EVIL = '<img src=x onerror=alert(1)>';

test('every value and name in a report is escaped, and nothing in it runs or loads', () => {
  const html = renderReport({
    title: `Sales ${EVIL}`,
    run: { createdAt: new Date('2026-01-02T03:04:05Z'), trigger: 'files', user: { email: 'a@example.com' }, files: [{ cell: 'sales', name: `${EVIL}.csv`, size: 10, sha256: 'ab'.repeat(32) }], summary: { pass: 1, warn: 0, fail: 1, error: 0 } },
    cells: [
      { name: 'sales', kind: 'upload', status: 'done', result: { rows: 2, columns: [{ name: EVIL, type: 'string' }], file: { name: EVIL } }, error: null },
      { name: 'checks', kind: 'rule', status: 'done', error: null, result: { summary: { pass: 1, warn: 0, fail: 1, error: 0 }, rows: 2, rules: [{ name: EVIL, status: 'fail', violations: 1, message: EVIL, samples: [{ row: 1, values: { [EVIL]: EVIL } }] }] } },
      { name: 'bars', kind: 'chart', status: 'done', error: null, result: { spec: { mark: 'bar', orientation: 'vertical', encoding: { x: { type: 'nominal', label: EVIL }, y: { type: 'quantitative', label: 'count' } } }, data: [{ x: EVIL, y: 3 }, { x: 'b', y: 1 }] } },
      { name: 'broken', kind: 'profile', status: 'error', result: null, error: { code: 'x', message: EVIL } },
    ],
  });
  assert.doesNotMatch(html, /<img|<script/i);
  assert.match(html, /&#60;img src=x onerror=alert\(1\)&#62;/);
  assert.match(html, /2026-01-02 03:04:05 UTC/);
  assert.equal((html.match(/<svg/g) ?? []).length, 1, 'the bar chart');
});

test('charts: bars stack by colour, histograms span their bins, lines and dots place their points, other marks are left to the app', () => {
  const stacked = chartSvg({ spec: { mark: 'bar', orientation: 'vertical', encoding: {} }, data: [{ x: 'a', y: 2, color: 'p' }, { x: 'a', y: 3, color: 'q' }, { x: 'b', y: 5, color: 'p' }] });
  assert.equal((stacked.match(/class="mark"/g) ?? []).length, 3);
  const hist = chartSvg({ spec: { mark: 'histogram', orientation: 'vertical', encoding: { x: { type: 'quantitative' } } }, data: [{ x: 0, x2: 5, y: 4 }, { x: 5, x2: 10, y: 1 }] });
  assert.equal((hist.match(/class="mark"/g) ?? []).length, 2);
  const line = chartSvg({ spec: { mark: 'line', encoding: { x: { type: 'temporal' }, y: { type: 'quantitative' } } }, data: [{ x: '2012-01-01', y: 1 }, { x: '2014-01-01', y: 3 }] });
  assert.match(line, /<path d="M[\d.]+,[\d.]+L[\d.]+,[\d.]+"/);
  assert.match(line, />2013-01-01</, 'a calendar tick');
  assert.equal(chartSvg({ spec: { mark: 'heatmap' }, data: [{ x: 'a', y: 'b' }] }), '');
  assert.equal(chartSvg({ spec: { mark: 'bar' }, data: [] }), '');
});
