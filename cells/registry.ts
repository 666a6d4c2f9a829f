import type { CellKind } from './kind.ts';
import { chart } from './chart/index.ts';
import { profile } from './profile/index.ts';
import { rule } from './rule/index.ts';
import { upload } from './upload/index.ts';

/** Every cell kind, by name. Adding a kind: a folder under cells/ and a line here (and in views.ts). */
export const kinds: Record<string, CellKind> = {
  upload,
  profile,
  rule,
  chart,
};

export function kindOf(name: string): CellKind | undefined {
  return Object.hasOwn(kinds, name) ? kinds[name] : undefined;
}
