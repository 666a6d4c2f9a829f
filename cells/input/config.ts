// The input cell's config, declared once: validation, /api/kinds' reference and the editor's help.
import { CellError } from '../kind.ts';
import { parseConfigWith, z } from '../shared/config-schema.ts';
import { checkValue, dayText, INPUT_TYPES, isDay, type Bounds, type InputType, type InputValue } from './value.ts';

export interface InputConfig {
  type: InputType;
  default?: InputValue;
  min?: number | string;
  max?: number | string;
  label?: string;
  options?: (string | number)[];
  options_from?: { cell: string; column: string };
  value?: InputValue;
}

const scalar = z.union([z.number(), z.string(), z.boolean(), z.date()]);
const bound = z.union([z.number(), z.string(), z.date()]);

export const inputConfigSchema = z.strictObject({
  type: z.enum(INPUT_TYPES).meta({ description: 'what the value is: number, integer, text, date (YYYY-MM-DD), choice (one of options) or boolean' }),
  default: scalar.optional().meta({ description: 'the value while none is set (by the widget, or a run given values)' }),
  min: bound.optional().meta({ description: 'the smallest value allowed (a number, or a date for type: date); with max, the page shows a slider' }),
  max: bound.optional().meta({ description: 'the largest value allowed (a number, or a date for type: date)' }),
  label: z.string().max(200).optional().meta({ description: 'what the widget is called on the page (default: the cell\'s name)' }),
  options: z.array(z.union([z.string(), z.number()])).min(1).max(1000).optional()
    .meta({ description: 'for type: choice, the values to choose from, e.g. [Europe, Asia]' }),
  options_from: z.strictObject({
    cell: z.string().trim().min(1).meta({ description: 'the cell whose table holds the options' }),
    column: z.string().trim().min(1).meta({ description: 'its column whose distinct values are the options' }),
  }).optional().meta({ description: 'for type: choice, the options read from a table: {cell: covid, column: continentExp}' }),
  value: scalar.optional().meta({ description: 'the current value, set by the page\'s widget (absent: the default); other cells read it as $<this cell\'s name>' }),
});

const invalid = (message: string, key: string) => new CellError('config_invalid', message, { key });

/** Validates an input cell's YAML mapping; a value or default that does not fit its type, range or options names its key. */
export function parseInputConfig(raw: Record<string, unknown>): InputConfig {
  const parsed = parseConfigWith(inputConfigSchema, raw);
  const config: InputConfig = { ...parsed, min: dayText(parsed.min) as InputConfig['min'], max: dayText(parsed.max) as InputConfig['max'] } as InputConfig;
  const { type } = config;
  for (const key of ['min', 'max'] as const) {
    const v = config[key];
    if (v === undefined) continue;
    if ((type === 'number' || type === 'integer') && typeof v !== 'number') throw invalid(`"${key}" must be a number for type: ${type}, not ${JSON.stringify(v)}`, key);
    if (type === 'date' && !(typeof v === 'string' && isDay(v))) throw invalid(`"${key}" must be a date written YYYY-MM-DD for type: date, not ${JSON.stringify(v)}`, key);
    if (type !== 'number' && type !== 'integer' && type !== 'date') throw invalid(`"${key}" bounds only a number, integer or date input, not type: ${type}`, key);
  }
  if (config.min !== undefined && config.max !== undefined && config.min > config.max) throw invalid(`"min" (${config.min}) is above "max" (${config.max})`, 'min');
  if (type === 'choice') {
    if (config.options && config.options_from) throw invalid('give "options" or "options_from", not both', 'options_from');
    if (!config.options && !config.options_from) throw invalid('type: choice needs "options" (a list) or "options_from" ({cell, column})', 'options');
  } else {
    for (const key of ['options', 'options_from'] as const) {
      if (config[key] !== undefined) throw invalid(`"${key}" is for type: choice, not type: ${type}`, key);
    }
  }
  // options_from's values are known when the cell runs: its value is checked then.
  const bounds: Bounds = { type, min: config.min, max: config.max, options: config.options };
  for (const key of ['default', 'value'] as const) {
    if (config[key] === undefined) continue;
    const checked = checkValue(bounds, config[key], key);
    if ('problem' in checked) throw invalid(checked.problem, key);
    config[key] = checked.value;
  }
  return config;
}

export const STARTER_CONFIG = () => [
  'type: number            # number, integer, text, date, choice, boolean',
  'default: 0',
  '# min: 0',
  '# max: 100',
  '# label: Minimum cases',
  '# type: choice needs options: [Europe, Asia] or options_from: {cell: covid, column: continentExp}',
  '',
].join('\n');
