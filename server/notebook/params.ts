// Values given to a run for the notebook's input cells (a rerun's `params`, the CLI's
// `--param`, a schedule's): each names an input cell and must fit its type, range and
// options. The run plans those cells with `value:` set (so their fingerprints, and exactly
// their dependents', change) and the saved notebook stays as it was. Pure: the planner, the
// headless runner and the API's validation share it.
import { CellError } from '../../cells/kind.ts';
import { kindOf } from '../../cells/registry.ts';
import { closest } from '../../cells/shared/closest.ts';

export type RunParams = Record<string, unknown>;

/** A value the run cannot take: which name, and why. */
export class ParamError extends Error {
  readonly param: string;
  constructor(param: string, message: string) {
    super(message);
    this.param = param;
  }
}

interface Row { name: string; kind: string; config: string }

/** The cells that take a value (input cells), by name. */
function parameterCells<R extends Row>(rows: R[]): Map<string, R> {
  return new Map(rows.filter((r) => kindOf(r.kind)?.parameter).map((r) => [r.name, r]));
}

/**
 * `rows` with each named input cell's config holding its given value; throws ParamError for a
 * name that is no input cell ("did you mean") or a value that does not fit it.
 */
export function applyParams<R extends Row>(rows: R[], params: RunParams): R[] {
  const inputs = parameterCells(rows);
  const set = new Map<string, string>();
  for (const [name, value] of Object.entries(params)) {
    const cell = inputs.get(name);
    if (!cell) {
      const known = [...inputs.keys()];
      throw new ParamError(name, `"${name}" is not an input cell of this notebook${closest(name, known)}${known.length ? ` (its input cells: ${known.join(', ')})` : ' (it has none)'}`);
    }
    try {
      set.set(name, kindOf(cell.kind)!.parameter!.withValue(cell.config, value));
    } catch (err) {
      if (err instanceof CellError) throw new ParamError(name, `params.${name}: ${err.message.replace(/^"value" /, '')}`);
      throw err;
    }
  }
  return rows.map((r) => (set.has(r.name) ? { ...r, config: set.get(r.name)! } : r));
}

