// The schema lock of an upload cell (config `schema:`): the file must read as these columns
// and types. Drift is the cell's error, naming every difference, before anything downstream
// runs on the wrong shape.
import { CellError } from '../kind.ts';
import type { ColumnType } from './types.ts';

interface SchemaDrift {
  missing: { name: string; type: ColumnType }[];
  added: { name: string; type: string }[];
  retyped: { name: string; locked: ColumnType; found: string }[];
}

/** How a table's columns changed: by name, order aside. Also what a comparison of two runs shows. */
export function columnDiff<T extends string>(before: { name: string; type: T }[], after: { name: string; type: string }[]) {
  const was = new Map(before.map((c) => [c.name, c.type]));
  const now = new Set(after.map((c) => c.name));
  return {
    removed: before.filter((c) => !now.has(c.name)).map((c) => ({ name: c.name, type: c.type })),
    added: after.filter((c) => !was.has(c.name)).map((c) => ({ name: c.name, type: c.type })),
    retyped: after.filter((c) => was.has(c.name) && was.get(c.name) !== c.type).map((c) => ({ name: c.name, from: was.get(c.name)!, to: c.type })),
  };
}

function schemaDrift(locked: Record<string, ColumnType>, found: { name: string; type: string }[]): SchemaDrift | undefined {
  const d = columnDiff(Object.entries(locked).map(([name, type]) => ({ name, type })), found);
  const drift: SchemaDrift = {
    missing: d.removed,
    added: d.added,
    retyped: d.retyped.map((c) => ({ name: c.name, locked: c.from, found: c.to })),
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
