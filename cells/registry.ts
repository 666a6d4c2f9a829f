import type { CellKind } from './kind.ts';
import { chart } from './chart/index.ts';
import { input } from './input/index.ts';
import { note } from './note/index.ts';
import { profile } from './profile/index.ts';
import { rule } from './rule/index.ts';
import { sql } from './sql/index.ts';
import { transform } from './transform/index.ts';
import { upload } from './upload/index.ts';

/** Every cell kind, by name. Adding a kind: a folder under cells/ and a line here (and in views.ts). */
export const kinds: Record<string, CellKind> = {
  upload,
  profile,
  rule,
  chart,
  sql,
  transform,
  note,
  input,
};

/** The kinds whose results count rule outcomes (KindFace.checks): a run's verdict adds them up. */
export function checkKinds(): string[] {
  return Object.values(kinds).filter((k) => k.checks).map((k) => k.kind);
}

/** The kinds whose cells take a file (CellKind.acceptsFile): an upload or a rerun's files go to them. */
export function fileKinds(): string[] {
  return Object.values(kinds).filter((k) => k.acceptsFile).map((k) => k.kind);
}

export function kindOf(name: string): CellKind | undefined {
  return Object.hasOwn(kinds, name) ? kinds[name] : undefined;
}
