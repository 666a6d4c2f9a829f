// The schema lock of an upload cell (config `schema:`): the file must read as these columns
// and types. Drift is the cell's error, naming every difference, before anything downstream
// runs on the wrong shape.
import { CellError } from '../kind.ts';
import type { ColumnType } from './types.ts';

export interface SchemaDrift {
  missing: { name: string; type: ColumnType }[];
  added: { name: string; type: string }[];
  retyped: { name: string; locked: ColumnType; found: string }[];
}

export function schemaDrift(locked: Record<string, ColumnType>, found: { name: string; type: string }[]): SchemaDrift | undefined {
  const have = new Map(found.map((c) => [c.name, c.type]));
  const drift: SchemaDrift = {
    missing: Object.entries(locked).filter(([name]) => !have.has(name)).map(([name, type]) => ({ name, type })),
    added: found.filter((c) => !Object.hasOwn(locked, c.name)).map((c) => ({ name: c.name, type: c.type })),
    retyped: found.filter((c) => Object.hasOwn(locked, c.name) && locked[c.name] !== c.type).map((c) => ({ name: c.name, locked: locked[c.name]!, found: c.type })),
  };
  return drift.missing.length || drift.added.length || drift.retyped.length ? drift : undefined;
}

export function checkSchemaLock(locked: Record<string, ColumnType> | undefined, found: { name: string; type: string }[], fileName: string): void {
  if (!locked) return;
  const drift = schemaDrift(locked, found);
  if (!drift) return;
  const parts = [
    ...drift.missing.map((c) => `column "${c.name}" (${c.type}) is missing`),
    ...drift.added.map((c) => `column "${c.name}" (${c.type}) is new`),
    ...drift.retyped.map((c) => `column "${c.name}" reads as ${c.found}, locked as ${c.locked}`),
  ];
  throw new CellError('schema_drift', `${fileName} does not match the locked schema: ${parts.join('; ')}. Fix the file, or unlock the schema to accept the new shape`, {
    key: 'schema', drift,
  });
}
