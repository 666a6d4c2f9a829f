import type { Services } from '../services.ts';
import { databaseCheck, queueDepths } from './checks.ts';
import { metrics } from './metrics.ts';
import { gauge } from './registry.ts';

const started = Date.now() / 1000;

/** This process's metrics in Prometheus' text format: its counters, and gauges read now. */
export async function exposition(services: Services): Promise<string> {
  const database = await databaseCheck(services);
  const depths = database.ok ? await queueDepths(services).catch(() => []) : [];
  const role = services.config.role;
  const parts = [
    ...Object.values(metrics).map((m) => m.render()),
    gauge('assay_sse_clients', 'SSE streams this process serves now.', [[{}, services.hub.clientCount]]),
    gauge('assay_jobs_running', 'Cell jobs this process is computing now.', [[{}, services.cancels.running]]),
    gauge('assay_queue_jobs', 'Jobs in each pg-boss queue by state, cluster-wide (pg-boss\'s cached counts, refreshed every few seconds).',
      depths.flatMap((d) => (['queued', 'active', 'deferred'] as const).map((state): [Record<string, string>, number] => [{ queue: d.queue, state }, d[state]]))),
    gauge('assay_database_up', '1 when PostgreSQL answered this scrape.', [[{}, database.ok ? 1 : 0]]),
    gauge('assay_listen_up', '1 while this process\'s LISTEN connection (events, cancels) is up.', [[{}, services.notifications.listening ? 1 : 0]]),
    gauge('assay_process_info', 'This process\'s role.', [[{ role }, 1]]),
    gauge('process_resident_memory_bytes', 'Resident memory of this process.', [[{}, process.memoryUsage.rss()]]),
    gauge('process_start_time_seconds', 'When this process started, in seconds since the epoch.', [[{}, started]]),
  ];
  return parts.join('\n') + '\n';
}
