// The presentation view's calls: GET /api/workspaces/:id/presentation (server/presentation/).
import type { CellErrorData } from '../cell-state.ts';
import { call, workspacePath } from '../api.ts';

export interface PresentCell {
  id: string;
  name: string;
  kind: string;
  awaiting?: 'file' | 'config' | null;
  /** This state is the caller's own run's (their input values), not the notebook's. */
  personal: boolean;
  status: string | null;
  runId: string | null;
  result: unknown;
  error: CellErrorData | null;
}

export interface Presentation {
  id: string;
  title: string;
  version: number;
  lastEventId?: number;
  role: 'owner' | 'edit' | 'view';
  canEdit: boolean;
  owner: { email: string };
  /** The names of the notebook's input cells. */
  parameters: string[];
  /** The caller's own input values, the notebook's saved values of the same inputs, and their run; null while the page shows the notebook's. */
  personal: { runId: string; values: Record<string, unknown>; saved: Record<string, unknown>; createdAt: string } | null;
  cells: PresentCell[];
}

export const presentApi = {
  presentation: (id: string) => call<Presentation>('GET', `${workspacePath(id)}/presentation`),
  /** Runs the notebook with these values as the caller's own run; values left out are the saved ones. */
  setValues: (id: string, params: Record<string, unknown>) => call<{ runId: string }>('POST', `${workspacePath(id)}/presentation/values`, { params }),
  resetValues: (id: string) => call<{ ok: true }>('DELETE', `${workspacePath(id)}/presentation/values`),
};
