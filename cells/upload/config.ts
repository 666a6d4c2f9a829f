import { closest } from '../shared/closest.ts';
import { parseConfigWith, z } from '../shared/config-schema.ts';
import type { ColumnType, DateOrder, Encoding, UploadConfig } from './types.ts';

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
  '# header_rows: 2          # two header rows (a survey\'s question and answer): "Question / Answer"',
  '# skip_rows: 1            # rows after the header that are not data',
  '',
].join('\n');

const DELIMITER_RULE = '"delimiter" must be one character other than a quote or line break, e.g. "," or ";" or "\\t"';
const QUOTE_RULE = '"quote" must be one character other than the delimiter or a line break, e.g. "\'"';
const HEADER_ROWS_RULE = '"header_rows" must be 1 or 2';
/** Rows after the header must lie in the sniffed sample, where their width is checked. */
export const MAX_SKIP_ROWS = 100;
const SKIP_ROWS_RULE = `"skip_rows" must be a whole number from 0 to ${MAX_SKIP_ROWS}`;
const oneChar = (c: string) => [...c].length === 1 && c !== '\n' && c !== '\r';

/** A `{column: type}` mapping (`types`, `schema`), each type checked. */
const columnTypes = (key: 'types' | 'schema', help: string) => z.record(z.string(), z.enum(TYPES), {
  error: (iss) => iss.code === 'invalid_type' && iss.expected === 'record' ? `"${key}" must map column names to types, e.g. {zip: string}` : undefined,
}).meta({ description: help });

/** The upload cell's config, declared once: validation, /api/kinds' reference and the editor's help. */
export const uploadConfigSchema = z.strictObject({
  delimiter: z.string()
    .transform((d) => (d === '\\t' || d.toLowerCase() === 'tab' ? '\t' : d))
    .refine((d) => oneChar(d) && d !== '"', { error: DELIMITER_RULE })
    .optional().meta({ description: 'one character: "," ";" "\\t" "|"; detected when absent' }),
  quote: z.string().refine(oneChar, { error: QUOTE_RULE }).optional()
    .meta({ description: 'the quoting character, when it is not the double quote' }),
  encoding: z.string()
    .transform((e, ctx) => {
      const known = ENCODING_ALIASES[e.trim().toLowerCase()];
      if (known) return known;
      ctx.issues.push({ code: 'custom', input: e, message: `"encoding" must be one of ${ENCODINGS.join(', ')} (or latin-1)${closest(e, Object.keys(ENCODING_ALIASES))}` });
      return z.NEVER;
    })
    .optional().meta({ description: `${ENCODINGS.join(', ')} (or latin-1); detected when absent` }),
  header: z.boolean().optional().meta({ description: 'false: the first line is data (columns become column_1, ...)' }),
  nulls: z.array(z.string()).optional().meta({ description: 'extra missing-value markers for number and date columns, e.g. [n.a., "--"]' }),
  dateOrder: z.string().transform((d) => d.trim().toUpperCase()).pipe(z.enum(DATE_ORDERS)).optional()
    .meta({ description: 'DMY, MDY or YMD, for dates like 03/04/2020' }),
  types: columnTypes('types', `force a column type, e.g. {zip: string}: ${TYPES.join(', ')}`).optional(),
  skipBadRows: z.boolean().optional().meta({ description: 'drop rows with more fields than the header instead of failing' }),
  schema: columnTypes('schema', 'the schema lock: the columns and types every file must read as').optional(),
  header_rows: z.union([z.literal(1), z.literal(2)], { error: HEADER_ROWS_RULE }).optional()
    .meta({ description: '2: the first two rows name the columns (a survey export\'s question and answer rows), joined as "Question / Answer"' }),
  skip_rows: z.int({ error: SKIP_ROWS_RULE }).min(0, { error: SKIP_ROWS_RULE }).max(MAX_SKIP_ROWS, { error: SKIP_ROWS_RULE }).optional()
    .meta({ description: `rows after the header that are not data (notes, units), skipped: 0 to ${MAX_SKIP_ROWS}` }),
}).superRefine((c, ctx) => {
  if (c.header === false && (c.header_rows === 2 || c.skip_rows)) {
    ctx.addIssue({ code: 'custom', path: [c.header_rows === 2 ? 'header_rows' : 'skip_rows'], message: `"${c.header_rows === 2 ? 'header_rows' : 'skip_rows'}" needs a header; remove "header: false"` });
  }
  if (c.quote !== undefined && c.quote === c.delimiter) ctx.addIssue({ code: 'custom', path: ['quote'], message: QUOTE_RULE });
});

/** Validates an upload cell's YAML mapping; every error names its key (and its line, read from YAML). */
export function parseUploadConfig(raw: Record<string, unknown>): UploadConfig {
  return parseConfigWith(uploadConfigSchema, raw) as UploadConfig;
}
