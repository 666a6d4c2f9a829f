import type { Config } from './config.ts';
import type { Db, Sql } from './db/client.ts';
import type { Cancels } from './engine/cancels.ts';
import type { EventHub } from './events/hub.ts';
import type { Notifications } from './events/listen.ts';
import type { Jobs } from './jobs/queue.ts';

/** What a process holds once started; routes and jobs reach everything through it. */
export interface Services {
  config: Config;
  db: Db;
  sql: Sql;
  jobs: Jobs;
  hub: EventHub;
  /** The runs this process is computing, aborted when a newer edit supersedes them. */
  cancels: Cancels;
  /** This process's LISTEN connection (events, cancels), which reconnects by itself. */
  notifications: Notifications;
  /** Set once a shutdown began: readiness then answers 503. */
  lifecycle: { stopping: boolean };
}
