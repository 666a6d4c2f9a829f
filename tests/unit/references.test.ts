import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renameReferences } from '../../cells/references.ts';
import { kinds } from '../../cells/registry.ts';

const rule = kinds.rule!;
const profile = kinds.profile!;

test('references: a rule cell\'s input and reference checks are renamed; comments, quotes and the rest stay as written', () => {
  const before = [
    '# checks on the sales table',
    'input: sales   # the upload',
    'rules:',
    '  - check: reference',
    '    column: country',
    "    in: {cell: 'sales', column: code}",
    '  - check: allowed_values',
    '    column: region',
    '    values: [sales, support]   # a value, not a cell',
    '',
  ].join('\n');
  const after = renameReferences(rule, before, 'sales', 'orders');
  assert.equal(after, [
    '# checks on the sales table',
    'input: orders   # the upload',
    'rules:',
    '  - check: reference',
    '    column: country',
    "    in: {cell: 'orders', column: code}",
    '  - check: allowed_values',
    '    column: region',
    '    values: [sales, support]   # a value, not a cell',
    '',
  ].join('\n'));
});

test('references: a config that does not read the cell, or does not parse, is left alone', () => {
  assert.equal(renameReferences(profile, 'input: other\n', 'sales', 'orders'), undefined);
  assert.equal(renameReferences(profile, 'input: [sales\n', 'sales', 'orders'), undefined);
  assert.equal(renameReferences(profile, 'input: "sales"\ncolumns: [a]\n', 'sales', 'orders'), 'input: "orders"\ncolumns: [a]\n');
});
