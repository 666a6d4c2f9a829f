// The input cell: a named value other cells read as `$name` (cells/shared/params.ts). It does no
// data work, except reading a choice's options from a table (`options_from`); its result is the
// value, checked against its type, range and options, which dependents receive as their input.
import pl from 'nodejs-polars';
import { CellError, type CellKind } from '../kind.ts';
import { inputTable } from '../shared/column-type.ts';
import { closest } from '../shared/closest.ts';
import { parseCellYaml } from '../yaml.ts';
import { inputConfigSchema, parseInputConfig, STARTER_CONFIG, type InputConfig } from './config.ts';
import { inputFace, type InputResult } from './face.ts';
import { checkValue, startValue, type Bounds } from './value.ts';
import { withValueText } from './value-text.ts';

export type { InputConfig } from './config.ts';
export type { InputResult } from './face.ts';

// A choice lists at most this many options read from a table: a select of more helps nobody.
const MAX_OPTIONS = 1000;

/** The distinct values of a column, sorted, as a choice's options. */
async function optionsFrom(inputs: Parameters<CellKind['run']>[0]['inputs'], from: { cell: string; column: string }): Promise<(string | number)[]> {
  const table = await inputTable(inputs, from.cell, 'read options from');
  if (!Object.hasOwn(table.columns, from.column)) {
    throw new CellError('config_invalid', `"options_from.column": cell "${from.cell}" has no column "${from.column}"${closest(from.column, Object.keys(table.columns))}`, { key: 'options_from.column' });
  }
  const numeric = table.columns[from.column] === 'integer' || table.columns[from.column] === 'float';
  const frame = await pl.scanParquet(table.path).select(pl.col(from.column)).dropNulls().unique().sort(from.column).limit(MAX_OPTIONS + 1).collect();
  const values = frame.getColumn(from.column).toArray().map((v) => (numeric ? Number(v) : String(v)));
  if (values.length > MAX_OPTIONS) throw new CellError('config_invalid', `"options_from": column "${from.column}" has more than ${MAX_OPTIONS} distinct values; a choice lists fewer`, { key: 'options_from' });
  return values;
}

export const input: CellKind<InputConfig, InputResult> = {
  ...inputFace,
  kind: 'input',
  version: 1,
  heavy: false,
  acceptsFile: false,
  starterConfig: STARTER_CONFIG,
  parseConfig: parseInputConfig,
  configSchema: inputConfigSchema,
  inputs: (config) => (config.options_from ? [config.options_from.cell] : []),
  async run({ config, inputs }) {
    const options = config.options_from ? await optionsFrom(inputs, config.options_from) : config.options;
    const bounds: Bounds = { type: config.type, min: config.min, max: config.max, options };
    const given = config.value ?? config.default;
    const value = startValue(bounds, given);
    if (given !== undefined) {
      const checked = checkValue(bounds, given, config.value !== undefined ? 'value' : 'default');
      if ('problem' in checked) throw new CellError('config_invalid', checked.problem, { key: config.value !== undefined ? 'value' : 'default' });
    }
    const result: InputResult = {
      type: config.type, value, label: config.label ?? null,
      ...(config.min !== undefined ? { min: config.min } : {}),
      ...(config.max !== undefined ? { max: config.max } : {}),
      ...(options ? { options } : {}),
    };
    return { result };
  },
  parameter: {
    withValue(config, value) {
      const parsed = parseInputConfig(parseCellYaml(config));
      const checked = checkValue({ type: parsed.type, min: parsed.min, max: parsed.max, options: parsed.options }, value, 'value');
      if ('problem' in checked) throw new CellError('config_invalid', checked.problem, { key: 'value' });
      return withValueText(config, checked.value);
    },
  },
};
