// The note cell's config, declared once: validation, /api/kinds' reference and the editor's help.
// One key, `text`, written as a YAML block (`text: |`) so Markdown needs no quoting.
import { CellError } from '../kind.ts';
import { parseConfigWith, z } from '../shared/config-schema.ts';
import { configLine } from '../yaml.ts';
import { scan } from './markdown.ts';

export interface NoteConfig {
  text: string;
}

export const noteConfigSchema = z.strictObject({
  text: z.string().meta({
    description: 'Markdown (CommonMark, GFM tables and task lists; no raw HTML) with live values: ${cell.path} (${covid.rows}, '
      + '${by_continent.data[0].cases}), $name for an input\'s value; \\${ is a literal "${"',
  }),
});

export const STARTER_CONFIG = (input?: string) => [
  'text: |',
  '  ## Notes',
  '  Markdown: **bold**, _italics_, [links](https://example.com), lists, tables and task lists (- [ ] to do).',
  '',
  '  Live values show another cell\'s result and change when it re-runs:',
  '  `${covid.rows}` (an upload\'s rows), `${covid_rules.summary.fail}` (rules that failed),',
  '  `${by_continent.data[0].cases}` (a value of a table\'s first row), `$min_cases` (an input\'s value).',
  '  A backslash keeps a dollar sign as text: `\\${covid.rows}` shows as written.',
  ...(input ? ['', `  ${input} has \${${input}.rows} rows.`] : []),
  '',
].join('\n');

// Where the text starts in the cell's YAML, by config: the run's errors point at the YAML line
// of the value they name. Kept beside the config, not in it, so it is no part of the fingerprint.
const textStarts = new WeakMap<NoteConfig, number>();

/** The YAML line of the note's `line` (1-based), when the config was read from YAML here. */
export function yamlLine(config: NoteConfig, line: number): number | undefined {
  const start = textStarts.get(config);
  return start === undefined ? undefined : start + line;
}

/** Validates a note's YAML mapping; a `${…}` that cannot be read is refused here, with its line. */
export function parseNoteConfig(raw: Record<string, unknown>): NoteConfig {
  const config = parseConfigWith(noteConfigSchema, raw) as NoteConfig;
  const keyLine = configLine(raw, ['text']);
  // A block (`text: |`) starts on the line after its key; a one-line text is on the key's line.
  if (keyLine !== undefined) textStarts.set(config, config.text.includes('\n') ? keyLine : keyLine - 1);
  const [problem] = scan(config.text).problems;
  if (problem) {
    const line = yamlLine(config, problem.line);
    throw new CellError('config_invalid', `${problem.message} (line ${problem.line} of the note)`, { key: 'text', ...(line !== undefined ? { line } : {}) });
  }
  return config;
}
