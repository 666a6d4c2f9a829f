import { sql } from 'drizzle-orm';
import {
  bigserial, bigint, boolean, index, integer, jsonb, pgTable, primaryKey, real, text, timestamp, uniqueIndex, uuid,
} from 'drizzle-orm/pg-core';

const id = () => uuid('id').primaryKey().default(sql`gen_random_uuid()`);
const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const users = pgTable('users', {
  id: id(),
  /** Stored lower-cased; the unique index is what makes signup race-free. */
  email: text('email').notNull(),
  passwordHash: text('password_hash').notNull(),
  createdAt: createdAt(),
}, (t) => [uniqueIndex('users_email_key').on(t.email)]);

/** The cookie holds a random token; only its sha256 is stored. */
export const sessions = pgTable('sessions', {
  tokenHash: text('token_hash').primaryKey(),
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  createdAt: createdAt(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
}, (t) => [index('sessions_user_idx').on(t.userId)]);

export const apiTokens = pgTable('api_tokens', {
  id: id(),
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  tokenHash: text('token_hash').notNull(),
  createdAt: createdAt(),
  lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
  /** Past this the token is refused, as a revoked one is; null: until revoked. */
  expiresAt: timestamp('expires_at', { withTimezone: true }),
  /** full: acts as the user; read: reads only (GET and HEAD), so a leaked read token changes nothing. */
  scope: text('scope').notNull().default('full'),
}, (t) => [uniqueIndex('api_tokens_hash_key').on(t.tokenHash)]);

export const workspaces = pgTable('workspaces', {
  id: id(),
  ownerId: uuid('owner_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  title: text('title').notNull(),
  /** Bumped by every change, for optimistic concurrency and for clients to notice drift. */
  version: integer('version').notNull().default(1),
  /** Whether those with edit access may create and revoke share links too (the owner decides). */
  editorsCanShare: boolean('editors_can_share').notNull().default(false),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('workspaces_owner_idx').on(t.ownerId)]);

/** A share link: the URL carries a random token, only its sha256 is stored. */
export const shares = pgTable('shares', {
  id: id(),
  workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
  tokenHash: text('token_hash').notNull(),
  /** view | edit */
  role: text('role').notNull(),
  label: text('label').notNull().default(''),
  createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: createdAt(),
  expiresAt: timestamp('expires_at', { withTimezone: true }),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
}, (t) => [uniqueIndex('shares_token_hash_key').on(t.tokenHash), index('shares_workspace_idx').on(t.workspaceId)]);

/** Who opened which link: the link's role holds for them while the link is neither revoked nor expired. */
export const shareGrants = pgTable('share_grants', {
  shareId: uuid('share_id').notNull().references(() => shares.id, { onDelete: 'cascade' }),
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  createdAt: createdAt(),
}, (t) => [primaryKey({ columns: [t.shareId, t.userId] }), index('share_grants_user_idx').on(t.userId)]);

/**
 * A workspace shared with a person by email. Kept by email, not user id, so a colleague
 * without an account yet gets access (and, with ASSAY_SIGNUP=invite, may sign up) later.
 */
export const workspaceMembers = pgTable('workspace_members', {
  id: id(),
  workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
  /** Lower-cased, as users.email. */
  email: text('email').notNull(),
  /** view | edit */
  role: text('role').notNull(),
  createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: createdAt(),
}, (t) => [uniqueIndex('workspace_members_key').on(t.workspaceId, t.email), index('workspace_members_email_idx').on(t.email)]);

/** Who did what to a workspace; the owner reads it. The actor's email is kept as it was. */
export const auditEvents = pgTable('audit_events', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
  userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
  actorEmail: text('actor_email'),
  action: text('action').notNull(),
  detail: jsonb('detail').notNull().default({}),
  createdAt: createdAt(),
}, (t) => [index('audit_events_workspace_idx').on(t.workspaceId, t.id)]);

/** Uploaded bytes live on disk, content-addressed by sha256; a row per upload keeps its name. */
export const files = pgTable('files', {
  id: id(),
  workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  size: bigint('size', { mode: 'number' }).notNull(),
  sha256: text('sha256').notNull(),
  createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: createdAt(),
}, (t) => [index('files_workspace_idx').on(t.workspaceId)]);

export const cells = pgTable('cells', {
  id: id(),
  workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  kind: text('kind').notNull(),
  position: integer('position').notNull(),
  config: text('config').notNull().default(''),
  fileId: uuid('file_id').references(() => files.id, { onDelete: 'set null' }),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  uniqueIndex('cells_workspace_name_key').on(t.workspaceId, t.name),
  index('cells_workspace_idx').on(t.workspaceId, t.position),
]);

/** One trigger (an edit, an upload, a run request, new files, a schedule) and the cell runs it caused. */
export const runs = pgTable('runs', {
  id: id(),
  workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
  trigger: text('trigger').notNull(),
  userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
  /** Values given to the notebook's input cells for this run (`{min_cases: 10}`); empty when it used their saved values. */
  params: jsonb('params').notNull().default({}),
  /**
   * Set when the run is one viewer's own (the presentation view with their input values): its
   * results are that user's alone and never become the notebook's latest.
   */
  personalFor: uuid('personal_for').references(() => users.id, { onDelete: 'cascade' }),
  createdAt: createdAt(),
}, (t) => [index('runs_workspace_idx').on(t.workspaceId, t.createdAt)]);

export const cellRuns = pgTable('cell_runs', {
  id: id(),
  runId: uuid('run_id').notNull().references(() => runs.id, { onDelete: 'cascade' }),
  workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
  cellId: uuid('cell_id').notNull().references(() => cells.id, { onDelete: 'cascade' }),
  kind: text('kind').notNull(),
  /** A hash of kind, config and inputs' fingerprints; `error:`/`stale:`/`nofile:` prefixes mark cells that cannot run. */
  fingerprint: text('fingerprint').notNull(),
  /** The config text the run was planned with: a later edit must not change a queued run. */
  config: text('config').notNull(),
  fileId: uuid('file_id').references(() => files.id, { onDelete: 'set null' }),
  /** [{name, cellId, fingerprint}]: which upstream results this run reads. */
  inputs: jsonb('inputs').notNull().default([]),
  /** queued | running | done | error | cancelled | stale */
  status: text('status').notNull(),
  progress: real('progress').notNull().default(0),
  result: jsonb('result'),
  error: jsonb('error'),
  /** Parquet file (relative to DATA_DIR) handed to dependents. */
  tablePath: text('table_path'),
  /** The cell run whose result this one reused (same fingerprint), if any. */
  reusedFrom: uuid('reused_from'),
  jobId: text('job_id'),
  createdAt: createdAt(),
  startedAt: timestamp('started_at', { withTimezone: true }),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
}, (t) => [
  index('cell_runs_cell_idx').on(t.cellId, t.createdAt),
  index('cell_runs_run_idx').on(t.runId),
  index('cell_runs_fingerprint_idx').on(t.fingerprint).where(sql`status = 'done'`),
  // What advance() looks for after every job: the workspace's runs still waiting for inputs.
  index('cell_runs_waiting_idx').on(t.workspaceId).where(sql`status = 'queued' and job_id is null`),
]);

/** Every event a client may need to replay; the SSE `id:` is this row's id. */
export const events = pgTable('events', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
  type: text('type').notNull(),
  data: jsonb('data').notNull(),
  createdAt: createdAt(),
}, (t) => [index('events_workspace_idx').on(t.workspaceId, t.id)]);

/** A workspace's scheduled rerun (issue 10): pg-boss fires it; the newest file of `folder` under DATA_DIR/inbox/ feeds it. */
export const schedules = pgTable('schedules', {
  workspaceId: uuid('workspace_id').primaryKey().references(() => workspaces.id, { onDelete: 'cascade' }),
  cron: text('cron').notNull(),
  /** A folder name under DATA_DIR/inbox/ (one segment, no path). */
  folder: text('folder').notNull(),
  /** Whose rights the scheduled runs use and who they are recorded as. */
  userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
  createdAt: createdAt(),
  /** What the last firing did: its run, or why it made none (`{code, message}`). */
  lastFiredAt: timestamp('last_fired_at', { withTimezone: true }),
  lastRunId: uuid('last_run_id'),
  lastError: jsonb('last_error'),
  /** Values for the notebook's input cells, given to every run the schedule fires. */
  params: jsonb('params').notNull().default({}),
});

/** Delivered reports (issue 22): how each person wants a workspace's run reports by email. */
export const deliveryChoices = pgTable('delivery_choices', {
  workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  /** never | always | on_fail (a rule fails or a cell errors) */
  email: text('email').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.workspaceId, t.userId] })]);

/** A workspace's webhook (Slack-compatible JSON), set by its owner. */
export const workspaceWebhooks = pgTable('workspace_webhooks', {
  workspaceId: uuid('workspace_id').primaryKey().references(() => workspaces.id, { onDelete: 'cascade' }),
  url: text('url').notNull(),
  /** always | on_fail */
  when: text('when').notNull(),
  createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * A run whose report is to be delivered when it finishes: made when the run is (reruns and
 * schedules), claimed once (`dispatchedAt`) by whichever process sees its last cell end.
 */
export const runReports = pgTable('run_reports', {
  runId: uuid('run_id').primaryKey().references(() => runs.id, { onDelete: 'cascade' }),
  workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
  createdAt: createdAt(),
  dispatchedAt: timestamp('dispatched_at', { withTimezone: true }),
}, (t) => [index('run_reports_waiting_idx').on(t.workspaceId).where(sql`dispatched_at is null`)]);

/** One report sent (or being sent) to one target: a pg-boss job each, retried; its outcome kept here. */
export const deliveries = pgTable('deliveries', {
  id: id(),
  runId: uuid('run_id').notNull().references(() => runs.id, { onDelete: 'cascade' }),
  workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
  /** email | webhook */
  channel: text('channel').notNull(),
  /** The address, or the webhook's URL as it was when the run finished. */
  target: text('target').notNull(),
  userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
  /** queued | sending | retrying | sent | failed */
  status: text('status').notNull(),
  attempts: integer('attempts').notNull().default(0),
  lastError: text('last_error'),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  sentAt: timestamp('sent_at', { withTimezone: true }),
}, (t) => [
  uniqueIndex('deliveries_run_target_key').on(t.runId, t.channel, t.target),
  index('deliveries_workspace_idx').on(t.workspaceId, t.createdAt),
]);
