// Where a view's cell lives in the API, for its download links. A view sits in a notebook
// cell's shadow root (web/notebook/cell.ts), whose host carries the workspace and the cell;
// elsewhere (a past run's page) there is no such cell, and no link.

/** `/api/workspaces/:id/cells/:cellId` of the notebook cell holding `view`, or null. */
export function cellApiPath(view: Element): string | null {
  const root = view.getRootNode();
  const host = root instanceof ShadowRoot ? root.host as Element & { workspaceId?: unknown; cell?: { id?: unknown } } : null;
  if (!host || typeof host.workspaceId !== 'string' || !host.workspaceId || typeof host.cell?.id !== 'string') return null;
  return `/api/workspaces/${encodeURIComponent(host.workspaceId)}/cells/${encodeURIComponent(host.cell.id)}`;
}
