// The note cell: Markdown with live values from other cells. The run renders it (markdown.ts)
// with the values its references read, so the page, run pages, the HTML report and the CLI all
// show the same text, and a table's rows (`data[0].cases`) are read where polars is. The cells
// it names are its inputs: it re-runs when they do.
import pl from 'nodejs-polars';
import { formatValue } from '../kit/format.ts';
import { CellError, type CellKind, type CellOutput } from '../kind.ts';
import { tableColumns } from '../shared/column-type.ts';
import { jsonSafeCell } from '../shared/json-safe.ts';
import { noteConfigSchema, parseNoteConfig, STARTER_CONFIG, yamlLine, type NoteConfig } from './config.ts';
import { noteFace, type NoteResult, type NoteValue } from './face.ts';
import { firstLine, render, scan } from './markdown.ts';
import { DATA_ROWS, follow, PathError, pathText, renameInNote } from './reference.ts';

export type { NoteConfig } from './config.ts';
export type { NoteResult } from './face.ts';

/** The first DATA_ROWS rows of a table as records, dates as dates: a table cell's `data`. */
async function tableRows(file: string): Promise<Record<string, unknown>[]> {
  const types = await tableColumns(file);
  const rows = (await pl.scanParquet(file).head(DATA_ROWS).collect()).toRecords();
  return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, jsonSafeCell(v, types[k] === 'date')])));
}

/**
 * What a reference reads: the cell's result as the API returns it; for a cell with a table
 * whose result holds no `data` of its own (an upload, a sql cell), `data` is the table's first
 * rows (a chart's `data` is its own, as aggregated).
 */
async function rootOf(input: CellOutput, wantsData: boolean): Promise<unknown> {
  const result = input.result;
  if (!wantsData || !input.table || (result && typeof result === 'object' && Object.hasOwn(result, 'data'))) return result;
  return { ...(result as object), data: await tableRows(input.table) };
}

export const note: CellKind<NoteConfig, NoteResult> = {
  ...noteFace,
  kind: 'note',
  version: 1,
  heavy: false,
  acceptsFile: false,
  starterConfig: STARTER_CONFIG,
  parseConfig: parseNoteConfig,
  configSchema: noteConfigSchema,
  // `${cell.path}` names any cell; `$name` an input cell's value, so an unknown one is "no input
  // cell" (server/notebook/analyse.ts), as in every other kind.
  inputs: (config) => [...new Set(scan(config.text).found.filter((f) => !f.shorthand).map((f) => f.reference.cell))],
  params: (config) => [...new Set(scan(config.text).found.filter((f) => f.shorthand).map((f) => f.reference.cell))],
  namesCellsIn: { key: 'text', rename: renameInNote },

  async run({ config, inputs }) {
    const { found, problems } = scan(config.text);
    if (problems[0]) throw new CellError('config_invalid', problems[0].message, { key: 'text' });
    const roots = new Map<string, unknown>();
    const shown = new Map<string, string>();
    const values: NoteValue[] = [];
    for (const { reference: { cell, path }, source, line } of found) {
      if (shown.has(source)) continue;
      const input = inputs[cell];
      if (!input) throw new CellError('missing_input', `${source} (line ${line} of the note): no result of "${cell}" to read`, { key: 'text' });
      const key = `${cell}\u0000${path[0] === 'data'}`;
      if (!roots.has(key)) roots.set(key, await rootOf(input, path[0] === 'data'));
      let value: NoteValue['value'];
      try {
        value = follow(cell, roots.get(key), path);
      } catch (err) {
        if (!(err instanceof PathError)) throw err;
        const at = yamlLine(config, line);
        throw new CellError('note_path', `${err.message} (${source}, line ${line} of the note)`, { key: 'text', path: err.path, ...(at !== undefined ? { line: at } : {}) });
      }
      const text = formatValue(value);
      shown.set(source, text);
      values.push({ ref: source, path: pathText(cell, path), value, text });
    }
    return { result: { html: render(config.text, shown), title: firstLine(config.text, shown), values } };
  },
};
