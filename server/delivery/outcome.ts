// A finished run as a delivery needs it: its outcome (verdict, counts, link) and its report.
import { eq } from 'drizzle-orm';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { workspaces } from '../db/schema.ts';
import { renderReport } from '../notebook/report.ts';
import { runDetail, ruleTrends, type RunDetail } from '../runs/history.ts';
import { outcomeOf, type RunOutcome } from './message.ts';

/** The run's page, at ASSAY_PUBLIC_URL when set (else the address this server listens on). */
export function runLink(config: Pick<Config, 'host' | 'port' | 'delivery'>, workspaceId: string, runId: string): string {
  const base = config.delivery.publicUrl ?? `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`;
  return `${base}/w/${encodeURIComponent(workspaceId)}/runs/${encodeURIComponent(runId)}`;
}

export interface FinishedRun {
  workspace: { id: string; title: string };
  detail: RunDetail;
  outcome: RunOutcome;
}

export async function finishedRun(db: Db, config: Config, runId: string): Promise<FinishedRun | undefined> {
  const detail = await runDetail(db, runId);
  if (!detail) return undefined;
  const [workspace] = await db.select({ id: workspaces.id, title: workspaces.title }).from(workspaces).where(eq(workspaces.id, detail.workspaceId));
  if (!workspace) return undefined;
  return { workspace, detail, outcome: outcomeOf(workspace.title, detail, runLink(config, workspace.id, runId)) };
}

/** The run's HTML report, as GET /api/runs/:runId/report serves it. */
export async function reportHtml(db: Db, run: FinishedRun): Promise<string> {
  const trends = await ruleTrends(db, run.workspace.id, run.detail.id);
  return renderReport({ title: run.workspace.title, run: run.detail, cells: run.detail.cells, trends });
}

/** A file name from a title: letters, digits, dots, dashes. */
