import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { kinds } from '../../cells/registry.ts';
import { parseCellYaml } from '../../cells/yaml.ts';

const CELLS = path.resolve(import.meta.dirname, '../../cells');
// kit/ is the one folder under cells/ that is no kind: the view helpers the kinds' views and the page share.
const folders = fs.readdirSync(CELLS, { withFileTypes: true }).filter((d) => d.isDirectory() && d.name !== 'kit' && d.name !== 'shared').map((d) => d.name).sort();

test('every folder under cells/ is a registered kind with a view, and nothing else is', () => {
  assert.deepEqual(Object.keys(kinds).sort(), folders);
  // views.ts runs in the browser (Lit), so it is checked as text here.
  const views = fs.readFileSync(path.join(CELLS, 'views.ts'), 'utf8');
  for (const kind of folders) {
    assert.ok(fs.existsSync(path.join(CELLS, kind, 'view.ts')), `cells/${kind}/view.ts is missing`);
    assert.match(views, new RegExp(`['"]?${kind}['"]?\\s*:`), `cells/views.ts does not list ${kind}`);
  }
});

test('every kind names itself by its folder and starts from a config it accepts', () => {
  for (const [name, kind] of Object.entries(kinds)) {
    assert.equal(kind.kind, name);
    const starter = kind.starterConfig('source');
    const raw = parseCellYaml(starter);
    assert.doesNotThrow(() => kind.parseConfig(raw), `${name}: its starter config is refused`);
  }
});

test('config YAML errors name the line; alias bombs and non-mappings are refused', () => {
  assert.throws(() => parseCellYaml('a: 1\nb: [2\n'), (e: Error & { code?: string; line?: number }) =>
    e.code === 'config_yaml' && /line \d/.test(e.message));
  const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...'bcdefghij'.split('').map((k, i) =>
    `${k}: &${k} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(',')}]`)].join('\n');
  assert.throws(() => parseCellYaml(bomb), (e: Error & { code?: string }) => e.code === 'config_yaml');
  assert.throws(() => parseCellYaml('- a\n- b\n'), (e: Error & { code?: string }) => e.code === 'config_invalid');
  assert.deepEqual(parseCellYaml('# only a comment\n'), {});
  assert.throws(() => parseCellYaml('a: 1\na: 2\n'), (e: Error & { code?: string }) => e.code === 'config_yaml');
});
