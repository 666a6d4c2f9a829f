// The headless CLI (`npx assay run`), spawned as a user would run it, on the real files of
// ../shared/data: its summary, its JSON and HTML report, its exit codes, and its launcher
// re-executing under the pinned Node when the Node that starts it cannot run TypeScript.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { toYaml } from '../../server/notebook/workspace-yaml.ts';
import { DATA, RULES, WEATHER } from '../support/runs.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/assay.mjs');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-cli-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function run(args: string[], nodeFlags: string[] = []): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeFlags, BIN, ...args], { cwd: dir, env: { ...process.env, ASSAY_REEXEC: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function notebook(name: string, rules: string, extraUpload = ''): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, toYaml({
    title: 'Seattle weather',
    cells: [
      { name: 'weather', kind: 'upload', config: `# daily weather\n${extraUpload}` },
      { name: 'stats', kind: 'profile', config: 'input: weather\n' },
      { name: 'checks', kind: 'rule', config: rules },
      { name: 'monthly', kind: 'chart', config: 'input: weather\nx: {field: date, bin: month}\ny: mean(temp_max)\n' },
    ],
  }));
  return file;
}

const PASSING = RULES.replace('max: 30', 'max: 40');

test('passing rules: exit 0, a summary, the JSON results and a self-contained HTML report', async () => {
  const doc = notebook('pass.yaml', PASSING);
  const json = path.join(dir, 'pass.json');
  const report = path.join(dir, 'pass.html');
  const r = await run(['run', doc, '--input', `weather=${WEATHER}`, '--json', json, '--report', report]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /✓ weather \(upload\): 1461 rows, 6 columns/);
  assert.match(r.stdout, /Rules: 3 pass, 0 warn, 0 fail, 0 error/);
  const out = JSON.parse(fs.readFileSync(json, 'utf8'));
  assert.equal(out.exitCode, 0);
  assert.deepEqual(out.summary, { pass: 3, warn: 0, fail: 0, error: 0 });
  assert.deepEqual(out.cells.map((c: any) => [c.name, c.status]), [['weather', 'done'], ['stats', 'done'], ['checks', 'done'], ['monthly', 'done']]);
  assert.equal(out.files[0].sha256, '0845078a290b48e3149ab8639966824110a251db4e06fc144c06ebb534af23be');
  const stats = out.cells[1].result;
  const col = (n: string) => stats.columns.find((c: any) => c.name === n);
  // MANIFEST.md's facts, computed by the same run function the server uses.
  assert.equal(col('temp_max').min, -1.6);
  assert.equal(col('temp_max').max, 35.6);
  assert.equal(col('weather').distinct, 5);
  const html = fs.readFileSync(report, 'utf8');
  assert.match(html, /^<!doctype html>/);
  assert.match(html, /<svg[^>]*role="img"/, 'the chart is drawn as SVG');
  assert.match(html, /seattle-weather\.csv/);
  assert.doesNotMatch(html, /<script|<link|src="http/i, 'nothing loads from elsewhere');
});

test('a failing rule: exit 1, the failing rule named', async () => {
  const doc = notebook('fail.yaml', RULES);
  const json = path.join(dir, 'fail.json');
  const r = await run(['run', doc, `--input=weather=${WEATHER}`, `--json=${json}`]);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /FAIL hot days: [\d,]+ of 1,461 rows/);
  const out = JSON.parse(fs.readFileSync(json, 'utf8'));
  assert.equal(out.exitCode, 1);
  assert.equal(out.summary.fail, 1);
  const hot = out.cells[2].result.rules.find((x: any) => x.name === 'hot days');
  assert.ok(hot.violations > 0 && hot.samples.length > 0);
});

test('errors exit 2: a cell that fails, a schema that drifted, bad usage, a bad document', async () => {
  const doc = notebook('pass2.yaml', PASSING);
  const empty = await run(['run', doc, '--input', `weather=${path.join(DATA, 'empty.csv')}`]);
  assert.equal(empty.code, 2);
  assert.match(empty.stdout, /✗ weather \(upload\): error: /);
  assert.match(empty.stdout, /· checks \(rule\): stale: input "weather" failed/);

  const locked = notebook('locked.yaml', PASSING, 'schema: {date: date, precipitation: float, temp_max: float, temp_min: float, wind: float, weather: string}\n');
  assert.equal((await run(['run', locked, '--input', `weather=${WEATHER}`])).code, 0);
  const drift = await run(['run', locked, '--input', `weather=${path.join(DATA, 'us-unemployment-by-county.tsv')}`]);
  assert.equal(drift.code, 2);
  assert.match(drift.stdout, /does not match the locked schema: column "date" \(date\) is missing/);

  const unknown = await run(['run', doc, '--input', `sales=${WEATHER}`]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /the workspace has no upload cell "sales"; its upload cells: weather/);
  assert.equal((await run(['run', doc])).code, 2, 'an upload cell without --input');
  assert.match((await run(['run', doc, '--input', 'weather=/no/such.csv'])).stderr, /no such file/);

  const bad = path.join(dir, 'bad.yaml');
  fs.writeFileSync(bad, 'title: x\ncells:\n  - name: a\n    kind: spreadsheet\n    config: ""\n');
  const badDoc = await run(['run', bad]);
  assert.equal(badDoc.code, 2);
  assert.match(badDoc.stderr, /cells\[0\]\.kind: unknown cell kind "spreadsheet"; known kinds: upload, profile, rule, chart, sql\b[^(]* \(line 3\)/);
});

test('started by a Node that cannot run TypeScript, the launcher re-runs itself with the pinned Node', async () => {
  const doc = notebook('pass3.yaml', PASSING);
  const r = await run(['run', doc, '--input', `weather=${WEATHER}`], ['--no-experimental-strip-types']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Rules: 3 pass/);
  const failing = await run(['run', notebook('fail3.yaml', RULES), '--input', `weather=${WEATHER}`], ['--no-experimental-strip-types']);
  assert.equal(failing.code, 1, 'the exit status comes through');
});

test('--param gives an input cell a value for the run: the rules that read it change, the document does not; a bad value or name is exit 2 naming it', async () => {
  const file = path.join(dir, 'params.yaml');
  fs.writeFileSync(file, toYaml({
    title: 'Seattle weather with a threshold',
    cells: [
      { name: 'weather', kind: 'upload', config: '' },
      { name: 'max_temp', kind: 'input', config: 'type: number\ndefault: 30\nmin: -50\nmax: 60\nlabel: Hottest allowed day\n' },
      { name: 'checks', kind: 'rule', config: 'input: weather\nrules:\n  - check: range\n    column: temp_max\n    max: $max_temp\n' },
    ],
  }));
  const before = fs.readFileSync(file, 'utf8');
  const saved = await run(['run', file, '--input', `weather=${WEATHER}`]);
  assert.equal(saved.code, 1, 'temp_max reaches 35.6: the saved 30 fails');
  assert.match(saved.stdout, /max_temp \(input\): Hottest allowed day: 30/);
  const json = path.join(dir, 'params.json');
  const given = await run(['run', file, '--input', `weather=${WEATHER}`, '--param', 'max_temp=40', '--json', json]);
  assert.equal(given.code, 0, given.stdout + given.stderr);
  assert.match(given.stdout, /Hottest allowed day: 40/);
  assert.deepEqual(JSON.parse(fs.readFileSync(json, 'utf8')).params, { max_temp: '40' });
  assert.equal(fs.readFileSync(file, 'utf8'), before, 'the document is not changed');
  const bad = await run(['run', file, '--input', `weather=${WEATHER}`, '--param', 'max_temp=hot']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /max_temp: must be a number, not "hot"/);
  const unknown = await run(['run', file, '--input', `weather=${WEATHER}`, '--param', 'max_tmp=40']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /"max_tmp" is not an input cell of this notebook; did you mean "max_temp"\?/);
});

test('upload → transform → rule in the CLI: the transform\'s summary, its rows in the JSON, the rule over its table', async () => {
  const doc = path.join(dir, 'transform.yaml');
  fs.writeFileSync(doc, toYaml({
    title: 'Seattle weather by kind',
    cells: [
      { name: 'weather', kind: 'upload', config: '# daily weather\n' },
      { name: 'kinds', kind: 'transform', config: 'input: weather\nsteps:\n  - group_by: {by: weather, aggregate: {days: count, temp_max: max}}\n  - sort: {by: days, descending: true}\n' },
      { name: 'checks', kind: 'rule', config: 'input: kinds\nrules:\n  - check: row_count\n    min: 5\n    max: 5\n  - check: range\n    column: temp_max\n    max: 35.6\n' },
    ],
  }));
  const json = path.join(dir, 'transform.json');
  const r = await run(['run', doc, '--input', `weather=${WEATHER}`, '--json', json]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /✓ kinds \(transform\): 5 rows × 3 columns/);
  assert.match(r.stdout, /Rules: 2 pass, 0 warn, 0 fail, 0 error/);
  const out = JSON.parse(fs.readFileSync(json, 'utf8'));
  // MANIFEST.md: rain 641, sun 640, fog 101, drizzle 53, snow 26; the hottest day 35.6.
  const kinds = out.cells.find((c: { name: string }) => c.name === 'kinds').result;
  assert.deepEqual(kinds.preview.rows.map((r: unknown[]) => [r[0], r[1]]), [['rain', 641], ['sun', 640], ['fog', 101], ['drizzle', 53], ['snow', 26]]);
  assert.equal(Math.max(...kinds.preview.rows.map((r: number[]) => r[2])), 35.6);
});
