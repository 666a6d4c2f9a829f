// Each kind's config schema: a typo'd key, a wrong type and an unknown word each give the key
// path, the YAML line and the closest known name, as the editor shows them; and the kind's
// reference (/api/kinds) carries a line of help for every key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kinds } from '../../cells/registry.ts';
import { CellError } from '../../cells/kind.ts';
import { configReference } from '../../cells/shared/config-schema.ts';
import { parseCellYaml } from '../../cells/yaml.ts';
import { optionProblem, schemaOf } from '../../rules/schema.ts';
import { CHECK_OPTIONS, COMMON_OPTIONS } from '../../rules/vocabulary.ts';
import { ENCODING_KEYS, SPEC_KEYS } from '../../cells/chart/vocabulary.ts';

function refusal(kind: string, yaml: string): { message: string; key?: unknown; line?: unknown } {
  try {
    kinds[kind]!.parseConfig(parseCellYaml(yaml));
  } catch (err) {
    assert.ok(err instanceof CellError, String(err));
    assert.equal(err.code, 'config_invalid');
    return { message: err.message, ...err.details };
  }
  assert.fail(`${kind}: ${JSON.stringify(yaml)} was accepted`);
}

const cases: [kind: string, yaml: string, key: string, line: number, message: RegExp][] = [
  ['upload', 'header: false\ndelimtr: ";"\n', 'delimtr', 2, /unknown key "delimtr"; did you mean "delimiter"\?/],
  ['upload', 'header: yes please\n', 'header', 1, /"header" must be true or false/],
  ['upload', '# types\ntypes:\n  zip: strng\n', 'types.zip', 3, /"types.zip" must be one of integer, .*; did you mean "string"\?/],
  ['upload', 'dateOrder: DYM\n', 'dateOrder', 1, /"dateOrder" must be one of DMY, MDY, YMD.*did you mean "DMY"\?/],
  ['profile', 'input: sales\ncolums: [a]\n', 'colums', 2, /unknown key "colums"; did you mean "columns"\?/],
  ['profile', 'input: sales\ncolumns: a\n', 'columns', 2, /"columns" must be a list of text values/],
  ['profile', 'input: sales\n\ndistinct: aprox\n', 'distinct', 3, /"distinct" must be one of auto, exact, approx, not "aprox"; did you mean "approx"\?/],
  ['rule', 'input: sales\nrule:\n  - check: row_count\n', 'rule', 2, /unknown key "rule"; did you mean "rules"\?/],
  ['rule', 'input: sales\nrules: not_null\n', 'rules', 2, /"rules" must be a list/],
  ['chart', 'input: sales\nx: a\ncolour: b\n', 'colour', 3, /unknown key "colour" in a chart spec; did you mean "color"\?/],
  ['chart', 'input: sales\nx: a\ny:\n  field: b\n  agregate: mean\n', 'y.agregate', 5, /unknown key "agregate" in "y"; did you mean "aggregate"\?/],
  ['chart', 'input: sales\nx: a\nlimit: lots\n', 'limit', 3, /"limit" must be a whole number from 1 to 10000/],
  ['chart', 'input: sales\nx: a\ny:\n  field: b\n  scale: lg\n', 'y.scale', 5, /unknown scale "lg"; did you mean "log"\?/],
  ['chart', 'input: sales\nmark: bars\nx: a\n', 'mark', 2, /unknown mark "bars"; did you mean "bar"\?/],
  ['chart', 'input: sales\nx:\n  field: a\n  bin: mnth\n', 'x.bin', 4, /time bucket .*did you mean "month"\?/],
  ['chart', 'input: sales\nx:\n  field: a\n  bin:\n    stp: 5\n', 'x.bin.stp', 5, /unknown key "stp" in "x.bin"; did you mean "step"\?/],
];

test('a typo\'d key, a wrong type and an unknown word: the key path, its line and the closest name, for each of the kinds', () => {
  for (const [kind, yaml, key, line, message] of cases) {
    const err = refusal(kind, yaml);
    assert.match(err.message, message, `${kind}: ${JSON.stringify(yaml)}`);
    assert.equal(err.key, key, `${kind}: ${JSON.stringify(yaml)}: ${err.message}`);
    assert.equal(err.line, line, `${kind}: ${JSON.stringify(yaml)}: ${err.message}`);
  }
});

test('any kind, a new one too: a typo of one of its keys after its starter config names the key, its line and the key meant', () => {
  for (const kind of Object.values(kinds)) {
    const ref = configReference(kind.configSchema!) as { properties: Record<string, unknown> };
    const key = Object.keys(ref.properties).find((k) => k.length >= 4)!;
    const typo = `${key.slice(0, -1)}${key.endsWith('x') ? 'y' : 'x'}`;
    const starter = kind.starterConfig('data').replace(/\n*$/, '\n');
    const yaml = `${starter}${typo}: 1\n`;
    const err = refusal(kind.kind, yaml);
    assert.equal(err.key, typo, `${kind.kind}: ${err.message}`);
    assert.equal(err.line, starter.split('\n').length, `${kind.kind}: ${err.message}`);
    assert.match(err.message, new RegExp(`did you mean "${key}"\\?`), kind.kind);
  }
});

test('a rule\'s options: a typo\'d option, a wrong type and an unknown word, with the closest name', () => {
  assert.deepEqual(optionProblem(schemaOf('range'), { check: 'range', colum: 'x', min: 0 }, 'range'),
    { message: 'unknown option "colum" for range; did you mean "column"?', key: 'colum' });
  assert.deepEqual(optionProblem(schemaOf('range'), { check: 'range', column: 'x', exclusive: 'yes' }, 'range'),
    { message: '"exclusive" must be true or false', key: 'exclusive' });
  assert.deepEqual(optionProblem(schemaOf('not_null'), { check: 'not_null', column: 'x', severity: 'wran' }, 'not_null'),
    { message: '"severity" must be one of fail, warn, not "wran"; did you mean "warn"?', key: 'severity' });
  assert.deepEqual(optionProblem(schemaOf('format'), { check: 'format', column: 'x', format: 'emial' }, 'format')?.key, 'format');
  assert.match(optionProblem(schemaOf('format'), { check: 'format', column: 'x', format: 'emial' }, 'format')!.message, /did you mean "email"\?/);
  // A wrong type says what the option takes, as the checks always did.
  assert.deepEqual(optionProblem(schemaOf('freshness'), { check: 'freshness', column: 'd', max_age: 7 }, 'freshness'),
    { message: '"max_age" must be a duration like 7d, 12h, 2w or 30m', key: 'max_age' });
  assert.equal(optionProblem(schemaOf('reference'), { check: 'reference', column: 'x', in: { cell: 'c', column: 'id' } }, 'reference'), undefined);
});

test('a null value is an absent key, and a config that is all defaults reads as {}', () => {
  assert.deepEqual(kinds.upload!.parseConfig(parseCellYaml('header:\n')), {});
  assert.deepEqual(kinds.profile!.parseConfig(parseCellYaml('input: a\ndistinct:\n')), { input: 'a' });
  assert.deepEqual(kinds.chart!.parseConfig(parseCellYaml('input: a\nx: b\ny:\n')), { input: 'a', encoding: { x: { field: 'b' } } });
});

test('each kind\'s reference: every key of its config, each with a line of help', () => {
  for (const kind of Object.values(kinds)) {
    assert.ok(kind.configSchema, `${kind.kind} declares its config schema`);
    const ref = configReference(kind.configSchema) as { type: string; properties: Record<string, { description?: string }>; additionalProperties: boolean };
    assert.equal(ref.type, 'object');
    assert.equal(ref.additionalProperties, false, `${kind.kind}: unknown keys are refused`);
    for (const [key, prop] of Object.entries(ref.properties)) assert.ok(prop.description, `${kind.kind}.${key} has help`);
  }
  const rule = configReference(kinds.rule!.configSchema!) as { properties: { rules: { items: { anyOf: { properties: { check: { const: string } } }[] } } } };
  assert.ok(rule.properties.rules.items.anyOf.some((c) => c.properties.check.const === 'freshness'), 'the rule reference lists every check');
});

test('the words the browser completes (vocabulary.ts, plain data) are the keys the schemas take', () => {
  const chart = configReference(kinds.chart!.configSchema!) as { properties: Record<string, { anyOf?: { properties?: object }[] }> };
  assert.deepEqual(Object.keys(chart.properties), [...SPEC_KEYS]);
  assert.deepEqual(Object.keys(chart.properties.x!.anyOf!.find((f) => f.properties)!.properties!), [...ENCODING_KEYS]);
  for (const check of Object.keys(CHECK_OPTIONS) as (keyof typeof CHECK_OPTIONS)[]) {
    assert.deepEqual(Object.keys(schemaOf(check).shape).sort(), [...new Set([...COMMON_OPTIONS, ...CHECK_OPTIONS[check]])].sort(), check);
  }
});
