// A transform cell in the headless CLI (`npx assay run`), spawned as a user would run it: the
// upload, a transform over it and a rule over the transform's table, on seattle-weather.csv.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { toYaml } from '../../server/notebook/workspace-yaml.ts';
import { WEATHER } from '../support/runs.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/assay.mjs');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-cli-transform-'));
process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, env: { ...process.env, ASSAY_REEXEC: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('upload → transform → rule in the CLI: the transform\'s summary, its rows in the JSON, the rule over its table', async () => {
  const doc = path.join(dir, 'weather.yaml');
  fs.writeFileSync(doc, toYaml({
    title: 'Seattle weather by kind',
    cells: [
      { name: 'weather', kind: 'upload', config: '# daily weather\n' },
      { name: 'kinds', kind: 'transform', config: 'input: weather\nsteps:\n  - group_by: {by: weather, aggregate: {days: count, temp_max: max}}\n  - sort: {by: days, descending: true}\n' },
      { name: 'checks', kind: 'rule', config: 'input: kinds\nrules:\n  - check: row_count\n    min: 5\n    max: 5\n  - check: range\n    column: temp_max\n    max: 35.6\n' },
    ],
  }));
  const json = path.join(dir, 'out.json');
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
