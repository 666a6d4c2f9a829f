// A rule's failing rows, every one of them (the result keeps 20 samples), as CSV written by
// polars from the rule's own filter over the table the run checked: `rule=<n>` (1-based, as
// the cell lists its rules) or `rule=<its name>`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RuleError } from '../../rules/checks.ts';
import { writeFailingRows } from '../../rules/failing-rows.ts';
import { CellError, type DownloadArgs, type KindDownload } from '../kind.ts';
import type { RuleConfig, RuleResult } from './index.ts';
import { checkedTable } from './index.ts';

function ruleIndex(args: DownloadArgs<RuleConfig, RuleResult>): number {
  const wanted = args.query('rule');
  const names = args.result.rules.map((r) => r.name);
  if (!wanted) throw new CellError('bad_request', `"rule" must name a rule: its number (1 to ${names.length}) or its name`, { field: 'rule' });
  const byName = names.indexOf(wanted);
  if (byName >= 0) return byName;
  if (/^\d+$/.test(wanted) && Number(wanted) >= 1 && Number(wanted) <= names.length) return Number(wanted) - 1;
  throw new CellError('bad_request', `no rule "${wanted}" in this cell; its rules: ${names.map((n, i) => `${i + 1} ${n}`).join(', ')}`, { field: 'rule' });
}

export const ruleDownloads: Record<string, KindDownload<RuleConfig, RuleResult>> = {
  'failing-rows.csv': {
    about: {
      summary: 'every row one rule of a rule cell fails on, as CSV: the row number, then every column (409 before a result)',
      holds: 'the rows', type: 'text/csv', query: { rule: 'the rule: its number (1 first) or its name' },
    },
    async make(args) {
      const index = ruleIndex(args);
      const outcome = args.result.rules[index]!;
      // The rules as that run read them, on the tables it read.
      const { tablePath, rules, table } = await checkedTable(args.config, await args.inputs())
        .catch(() => { throw new CellError('no_table', `the table rule cell "${args.cellName}" checked is gone; run the notebook again`); });
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-failing-'));
      const target = path.join(dir, 'failing.csv');
      try {
        await writeFailingRows(tablePath, rules[index], table, target);
      } catch (err) {
        fs.rmSync(dir, { recursive: true, force: true });
        if (err instanceof RuleError) throw new CellError('bad_request', `rule ${index + 1} "${outcome.name}": ${err.message}`, { field: 'rule' });
        throw err;
      }
      return {
        type: 'text/csv; charset=utf-8', fileName: `${args.cellName}-${outcome.name}-failing.csv`,
        path: target, done: () => fs.rmSync(dir, { recursive: true, force: true }),
      };
    },
  },
};
