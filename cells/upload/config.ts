import { CellError } from '../kind.ts';
import { optionalBoolean, optionalString, optionalStringList, rejectUnknownKeys } from '../yaml.ts';
import type { ColumnType, DateOrder, Encoding, UploadConfig } from './types.ts';

const KEYS = ['delimiter', 'quote', 'encoding', 'header', 'nulls', 'dateOrder', 'types', 'skipBadRows', 'schema'] as const;
const ENCODINGS: Encoding[] = ['utf-8', 'utf-8-sig', 'utf-16le', 'utf-16be', 'windows-1252'];
const ENCODING_ALIASES: Record<string, Encoding> = {
  utf8: 'utf-8', 'utf-8': 'utf-8', 'utf-8-sig': 'utf-8-sig', 'utf-16le': 'utf-16le', 'utf-16be': 'utf-16be',
  'windows-1252': 'windows-1252', cp1252: 'windows-1252', latin1: 'windows-1252', 'latin-1': 'windows-1252', 'iso-8859-1': 'windows-1252',
};
const DATE_ORDERS: DateOrder[] = ['DMY', 'MDY', 'YMD'];
const TYPES: ColumnType[] = ['integer', 'float', 'boolean', 'date', 'datetime', 'string'];

export const STARTER_CONFIG = [
  '# Drop a CSV on this cell. Everything below is detected; uncomment to override.',
  '# delimiter: ","          # one character: "," ";" "\\t" "|"',
  '# quote: "\'"             # the quoting character, when it is not the double quote',
  '# header: true            # false: the first line is data (columns become column_1, ...)',
  '# encoding: windows-1252  # utf-8, utf-8-sig, utf-16le, utf-16be, windows-1252 (latin-1)',
  '# nulls: [n.a., "--"]     # extra missing-value markers for number and date columns',
  '# dateOrder: DMY          # DMY, MDY or YMD, for dates like 03/04/2020',
  '# types: {zip: string}    # force a column type: integer, float, boolean, date, datetime, string',
  '# skipBadRows: true       # drop rows with more fields than the header instead of failing',
  '',
].join('\n');

/** Validates an upload cell's YAML mapping; every error names its key. */
export function parseUploadConfig(raw: Record<string, unknown>): UploadConfig {
  rejectUnknownKeys(raw, KEYS);
  const config: UploadConfig = {};
  const delimiter = optionalString(raw, 'delimiter');
  if (delimiter !== undefined) {
    const d = delimiter === '\\t' || delimiter.toLowerCase() === 'tab' ? '\t' : delimiter;
    if ([...d].length !== 1 || d === '"' || d === '\n' || d === '\r') {
      throw new CellError('config_invalid', '"delimiter" must be one character other than a quote or line break, e.g. "," or ";" or "\\t"', { key: 'delimiter' });
    }
    config.delimiter = d;
  }
  const quote = optionalString(raw, 'quote');
  if (quote !== undefined) {
    if ([...quote].length !== 1 || quote === '\n' || quote === '\r' || quote === config.delimiter) {
      throw new CellError('config_invalid', '"quote" must be one character other than the delimiter or a line break, e.g. "\'"', { key: 'quote' });
    }
    config.quote = quote;
  }
  const encoding = optionalString(raw, 'encoding');
  if (encoding !== undefined) {
    const e = ENCODING_ALIASES[encoding.trim().toLowerCase()];
    if (!e) throw new CellError('config_invalid', `"encoding" must be one of ${ENCODINGS.join(', ')} (or latin-1)`, { key: 'encoding' });
    config.encoding = e;
  }
  const header = optionalBoolean(raw, 'header');
  if (header !== undefined) config.header = header;
  const nulls = optionalStringList(raw, 'nulls');
  if (nulls !== undefined) config.nulls = nulls;
  const dateOrder = optionalString(raw, 'dateOrder');
  if (dateOrder !== undefined) {
    const d = dateOrder.trim().toUpperCase() as DateOrder;
    if (!DATE_ORDERS.includes(d)) throw new CellError('config_invalid', `"dateOrder" must be one of ${DATE_ORDERS.join(', ')}`, { key: 'dateOrder' });
    config.dateOrder = d;
  }
  if (raw.types !== undefined && raw.types !== null) config.types = columnTypes(raw.types, 'types');
  if (raw.schema !== undefined && raw.schema !== null) config.schema = columnTypes(raw.schema, 'schema');
  const skipBadRows = optionalBoolean(raw, 'skipBadRows');
  if (skipBadRows !== undefined) config.skipBadRows = skipBadRows;
  return config;
}

/** A `{column: type}` mapping (`types`, `schema`), each type checked. */
function columnTypes(value: unknown, key: 'types' | 'schema'): Record<string, ColumnType> {
  if (typeof value !== 'object' || Array.isArray(value) || value === null) {
    throw new CellError('config_invalid', `"${key}" must map column names to types, e.g. {zip: string}`, { key });
  }
  const out: Record<string, ColumnType> = {};
  for (const [col, t] of Object.entries(value as Record<string, unknown>)) {
    if (!TYPES.includes(t as ColumnType)) {
      throw new CellError('config_invalid', `"${key}.${col}" must be one of ${TYPES.join(', ')}`, { key, column: col });
    }
    out[col] = t as ColumnType;
  }
  return out;
}
