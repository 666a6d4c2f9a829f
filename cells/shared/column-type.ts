// The simple type names every kind reports a column with (the upload cell's, plus `other`
// for what a CSV never yields), from a polars dtype's variant name, stable across widths.
import fs from 'node:fs';
import pl from 'nodejs-polars';
import { CellError, type CellOutput } from '../kind.ts';

export type ColumnType = 'integer' | 'float' | 'boolean' | 'date' | 'datetime' | 'string' | 'other';

// A helper column's name no CSV header is likely to hold (U+241F, the unit separator's symbol).
export const ROW_NUMBER = '\u241frow';

/** The table the input cell made, with its columns; `verb` says what this cell does with it, for the error. */
export async function inputTable(inputs: Record<string, CellOutput>, name: string, verb: string): Promise<{ path: string; columns: Record<string, ColumnType> }> {
  const path = inputs[name]?.table;
  if (!path || !fs.existsSync(path)) {
    throw new CellError('no_table', `cell "${name}" has no table to ${verb} (has it run, and does it produce a table?)`, { key: 'input' });
  }
  return { path, columns: await tableColumns(path) };
}

export function columnType(dtype: pl.DataType): ColumnType {
  const v: string = dtype.variant;
  if (/^U?Int(8|16|32|64|128)$/.test(v)) return 'integer';
  if (v === 'Float32' || v === 'Float64' || v === 'Decimal') return 'float';
  if (v === 'Bool') return 'boolean';
  if (v === 'Date') return 'date';
  if (v === 'Datetime') return 'datetime';
  if (v === 'Utf8' || v === 'String' || v === 'Categorical' || v === 'Enum') return 'string';
  return 'other';
}

// Reading a schema costs several milliseconds, and a table is read again on every edit of a
// cell downstream of it. Tables are written once under a new name (see upload/write.ts), so
// the path with its size and time says which schema it holds.
const schemas = new Map<string, Record<string, ColumnType>>();
const SCHEMAS_KEPT = 500;

/** Every column of a Parquet table with its type, read from the file's schema alone. */
export async function tableColumns(path: string): Promise<Record<string, ColumnType>> {
  const stat = fs.statSync(path);
  const key = `${path}\u0000${stat.size}\u0000${stat.mtimeMs}`;
  const known = schemas.get(key);
  if (known) return { ...known };
  const schema = (await pl.scanParquet(path).limit(0).collect()).schema;
  const columns = Object.fromEntries(Object.entries(schema).map(([name, dtype]) => [name, columnType(dtype as pl.DataType)]));
  if (schemas.size >= SCHEMAS_KEPT) schemas.delete(schemas.keys().next().value!);
  schemas.set(key, columns);
  return { ...columns };
}
