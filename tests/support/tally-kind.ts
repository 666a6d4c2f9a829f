// A kind of the tests' own, registered in the server's registry and nowhere else (not in
// cells/, not in the page's views.ts): the CLI, the report, comparisons and the page must show
// it through its face alone (cells/face.ts), which proves a kind lives in its folder.
import { after } from 'node:test';
import type { CellKind } from '../../cells/kind.ts';
import { kinds } from '../../cells/registry.ts';
import { esc } from '../../cells/report-html.ts';
import { requiredString } from '../../cells/yaml.ts';

interface TallyResult { word: string; letters: number; summary: { pass: number; warn: number; fail: number; error: number } }

// Counts a word's letters; a word of more than five letters fails its one check.
export const tally: CellKind<{ word: string }, TallyResult> = {
  kind: 'tally', version: 1, heavy: false, acceptsFile: false,
  starterConfig: () => 'word: hello\n',
  parseConfig: (raw) => ({ word: requiredString(raw, 'word') }),
  inputs: () => [],
  async run({ config }) {
    const long = config.word.length > 5;
    return { result: { word: config.word, letters: config.word.length, summary: { pass: long ? 0 : 1, warn: 0, fail: long ? 1 : 0, error: 0 } } };
  },
  checks: true,
  summarize: (r) => `${r.letters} letters in "${r.word}"`,
  problems: (r) => (r.letters > 5 ? [{ item: 'short words', status: 'fail', message: `"${r.word}" has ${r.letters} letters` }] : []),
  report: (r) => `<p class="tally">${esc(r.word)} · ${r.letters} letters</p>`,
  downloads: {
    'tally.txt': {
      about: { summary: 'a tally cell\'s word and its letters, as text', holds: 'the tally', type: 'text/plain' },
      async make({ cellName, result }) {
        return { type: 'text/plain; charset=utf-8', fileName: `${cellName}.txt`, text: `${result.word}: ${result.letters}\n` };
      },
    },
  },
  compare: (a, b, cell) => (a && b && a.letters !== b.letters ? { notes: [{ cell, kind: 'tally', text: `${a.letters} → ${b.letters} letters` }] } : {}),
};
/** Adds `tally` to this process's registry for the test file, and takes it out after. */
export function registerTally(): void {
  kinds.tally = tally;
  after(() => { delete kinds.tally; });
}
