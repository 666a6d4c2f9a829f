// A run of the whole notebook with values for its input cells (`{min_cases: 10}`): the rerun
// API, the CLI's server twin, schedules and a viewer's own run come through here. The values
// are checked against each input's type before anything is planned: an unknown name or a
// value that does not fit is a 400 naming it, and nothing changes.
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { cells } from '../db/schema.ts';
import type { Db } from '../db/client.ts';
import { ApiError } from '../http/errors.ts';
import { applyParams, ParamError, type RunParams } from '../notebook/params.ts';
import type { Services } from '../services.ts';
import { changeWorkspace } from '../workspaces/change.ts';
import { expectReport } from '../delivery/dispatch.ts';
import type { PlanOptions } from '../engine/plan.ts';

/** `params` in a request body: values by input cell name (numbers, text, true/false; a date as YYYY-MM-DD). */
export const paramsField = z.record(z.string(), z.union([z.number(), z.string(), z.boolean()]), {
  error: '"params" must be a mapping of input cell names to values, e.g. {"min_cases": 10}',
}).meta({ description: 'values for the notebook\'s input cells by name, e.g. {"min_cases": 10}; each is checked against its input\'s type, range and options' });

/** The error a run given a bad value answers with: 400 naming the parameter. */
export function paramRefusal(err: ParamError): ApiError {
  return new ApiError(400, 'bad_param', err.message, { field: `params.${err.param}`, param: err.param });
}

/** Checks `params` against the workspace's input cells as they are now; throws the 400. */
export async function checkParams(db: Pick<Db, 'select'>, workspaceId: string, params: RunParams): Promise<void> {
  if (!Object.keys(params).length) return;
  const rows = await db.select({ name: cells.name, kind: cells.kind, config: cells.config }).from(cells).where(eq(cells.workspaceId, workspaceId));
  try {
    applyParams(rows, params);
  } catch (err) {
    if (err instanceof ParamError) throw paramRefusal(err);
    throw err;
  }
}

/**
 * Plans a complete run (every cell gets a cell run; unchanged ones reuse their result at once)
 * with these values, recorded in runs.params; the saved notebook does not change. Answers the
 * run's id.
 */
export async function runWithParams(
  services: Services, workspaceId: string, params: RunParams,
  opts: Pick<PlanOptions, 'trigger' | 'userId' | 'personalFor'>,
): Promise<string> {
  await checkParams(services.db, workspaceId, params);
  let planned;
  try {
    // A cell edited between the check and the plan is checked again by the plan (applyParams).
    planned = await changeWorkspace(services, workspaceId, { ...opts, all: true, params });
  } catch (err) {
    if (err instanceof ParamError) throw paramRefusal(err);
    throw err;
  }
  if (!planned.runId) throw new ApiError(409, 'nothing_to_run', 'the workspace has no cells to run');
  // A rerun with values sends its report as a rerun on new files does; a viewer's own run is theirs alone.
  if (!opts.personalFor) await expectReport(services, workspaceId, planned.runId);
  return planned.runId;
}
