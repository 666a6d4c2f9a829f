import { Counter, Histogram } from './registry.ts';

/** What this process counts as it goes; scraped at /metrics beside the gauges read then (see exposition.ts). */
export const metrics = {
  jobs: new Counter('assay_jobs_total', 'Cell jobs this process finished, by kind and outcome (done, error, superseded, handed_back).'),
  jobSeconds: new Histogram('assay_job_duration_seconds', 'Time from a cell job starting to its outcome, by kind.',
    [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900]),
  uploads: new Counter('assay_uploads_total', 'Uploads received, by outcome (stored, too_large, disk_full, upload_interrupted).'),
  uploadBytes: new Counter('assay_upload_bytes_total', 'Bytes of uploads stored.'),
  eventsSent: new Counter('assay_sse_events_sent_total', 'Events written to this process\'s SSE clients.'),
};
