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
  /** The caller's own input values and their run; null while the page shows the notebook's saved values. */
  personal: { runId: string; values: Record<string, unknown>; createdAt: string } | null;
  cells: PresentCell[];
}

export const presentApi = {
  presentation: (id: string) => call<Presentation>('GET', `${workspacePath(id)}/presentation`),
};
