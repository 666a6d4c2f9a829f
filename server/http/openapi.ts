// The HTTP API described for scripts: an OpenAPI 3.1 document (GET /api/openapi.json) built
// from the same zod schemas the routes check their bodies with (body.ts), so a generated
// client sends what the server takes. One row per API route: what it does, who may call it,
// its body, its success. A test holds this table and the app's routes to each other.
import { z } from 'zod';
import type { KindDownload } from '../../cells/kind.ts';
import { kinds } from '../../cells/registry.ts';
import { SESSION_COOKIE } from '../auth/middleware.ts';
import { loginBody, passwordBody, signupBody, createTokenBody } from '../auth/routes.ts';
import { personalValuesBody } from '../presentation/routes.ts';
import { duplicateBody, importBody, rerunBody, scheduleBody, schemaLockBody } from '../runs/routes.ts';
import { emailChoiceBody, webhookBody } from '../delivery/routes.ts';
import { addMemberBody, createShareBody, tokenBody } from '../sharing/routes.ts';
import { createCellBody, patchCellBody } from '../workspaces/cells.ts';
import { createWorkspaceBody, patchWorkspaceBody } from '../workspaces/routes.ts';

/** Who may call a route: anyone, any signed-in user, or a role on the workspace (or run) it names. */
type Access = 'public' | 'user' | 'view' | 'edit' | 'share' | 'owner';

interface Operation {
  summary: string;
  access: Access;
  tag: string;
  /** A JSON body, checked by this schema. */
  body?: z.ZodType;
  /** A body of another type (a CSV, a YAML document, multipart). */
  content?: Record<string, { description: string }>;
  query?: Record<string, string>;
  /** The success: its status and what it holds. */
  ok: [status: number, description: string, type?: string];
}

const json = 'application/json';

/** The files the kinds offer of a cell's result (CellKind.downloads, routed by tables/downloads.ts), as each kind describes them. */
const downloadOperations = (): Record<string, Operation> => Object.fromEntries(Object.values(kinds).flatMap((kind) =>
  Object.entries((kind.downloads ?? {}) as Record<string, KindDownload>).map(([name, { about }]) => [
    `GET /api/workspaces/:id/cells/:cellId/${name}`,
    { tag: 'cells', access: 'view', summary: about.summary, query: about.query, ok: [200, about.holds, about.type] } satisfies Operation,
  ])));

/** Every API route, as `METHOD /api/path` with Hono's `:param`s. */
export const OPERATIONS: Record<string, Operation> = {
  'GET /api/health': { tag: 'server', access: 'public', summary: 'whether the database and queue are up', ok: [200, '{"ok": true}'] },
  'GET /api/ready': { tag: 'server', access: 'public', summary: 'whether this process takes requests (503 while it starts or stops)', ok: [200, '{"ok": true}'] },
  'GET /api/openapi.json': { tag: 'server', access: 'public', summary: 'this document', ok: [200, 'the OpenAPI 3.1 document'] },
  'GET /api/kinds': { tag: 'server', access: 'public', summary: 'the cell kinds, each with its starter config and its config\'s reference (JSON Schema with help per key)', ok: [200, '[{kind, starterConfig, acceptsFile, producesTable, config}]'] },
  'GET /api/auth/options': { tag: 'auth', access: 'public', summary: 'whether signing up is open, by invitation or off', ok: [200, '{signup}'] },
  'POST /api/auth/signup': { tag: 'auth', access: 'public', summary: 'a new account, signed in (an existing account\'s own password signs in: 200)', body: signupBody, ok: [201, '{id, email}; the session cookie'] },
  'POST /api/auth/login': { tag: 'auth', access: 'public', summary: 'sign in', body: loginBody, ok: [200, '{id, email}; the session cookie'] },
  'POST /api/auth/logout': { tag: 'auth', access: 'public', summary: 'sign out: the session and its open streams end', ok: [200, '{ok: true}'] },
  'POST /api/auth/password': { tag: 'auth', access: 'user', summary: 'change the password: every other session ends (and every API token, with revokeTokens)', body: passwordBody, ok: [200, '{ok: true, tokensRevoked}'] },
  'GET /api/me': { tag: 'auth', access: 'user', summary: 'the caller', ok: [200, '{id, email}'] },
  'GET /api/session': { tag: 'auth', access: 'public', summary: 'the caller, or null when signed out', ok: [200, '{user}'] },
  'GET /api/tokens': { tag: 'auth', access: 'user', summary: 'the caller\'s live API tokens (not their secrets)', ok: [200, '[{id, name, createdAt, lastUsedAt, scope, expiresAt}]'] },
  'POST /api/tokens': { tag: 'auth', access: 'user', summary: 'a personal API token for scripts (Authorization: Bearer …), shown once; not by an API token', body: createTokenBody, ok: [201, '{id, name, createdAt, scope, expiresAt, token}'] },
  'DELETE /api/tokens/:tokenId': { tag: 'auth', access: 'user', summary: 'revoke one of the caller\'s API tokens', ok: [200, '{ok: true}'] },
  'GET /api/workspaces': { tag: 'workspaces', access: 'user', summary: 'the caller\'s workspaces and those shared with them, each with the caller\'s role, its last run and rule standing', ok: [200, '[workspace summary]'] },
  'POST /api/workspaces': { tag: 'workspaces', access: 'user', summary: 'a new workspace', body: createWorkspaceBody, ok: [201, 'the workspace'] },
  'GET /api/workspaces/:id': { tag: 'workspaces', access: 'view', summary: 'one workspace with its cells in order', ok: [200, 'the workspace'] },
  'PATCH /api/workspaces/:id': { tag: 'workspaces', access: 'edit', summary: 'rename; whether editors may share (the owner only)', body: patchWorkspaceBody, ok: [200, 'the workspace'] },
  'DELETE /api/workspaces/:id': { tag: 'workspaces', access: 'owner', summary: 'delete the workspace', ok: [200, '{ok: true}'] },
  'POST /api/workspaces/:id/run': { tag: 'runs', access: 'edit', summary: 'run every cell', ok: [202, '{runId}'] },
  'POST /api/workspaces/:id/cells': { tag: 'cells', access: 'edit', summary: 'add a cell', body: createCellBody, ok: [201, 'the cell, with workspaceVersion'] },
  'PATCH /api/workspaces/:id/cells/:cellId': { tag: 'cells', access: 'edit', summary: 'edit a cell\'s config, name or position', body: patchCellBody, ok: [200, 'the cell, with workspaceVersion (and the configs a rename rewrote)'] },
  'DELETE /api/workspaces/:id/cells/:cellId': { tag: 'cells', access: 'edit', summary: 'remove a cell', ok: [200, '{ok: true, workspaceVersion}'] },
  'POST /api/workspaces/:id/cells/:cellId/restore': { tag: 'cells', access: 'edit', summary: 'undo the delete of a cell: it comes back with its id, name, kind, config, place and file, and runs (404: no such deleted cell; 409: back already, or its name is taken)', ok: [201, '{id, name, kind, config, position, workspaceVersion}'] },
  'GET /api/workspaces/:id/cells/:cellId/result': { tag: 'cells', access: 'view', summary: 'the cell\'s latest result', ok: [200, '{status, runId, fingerprint, result, error}'] },
  'GET /api/workspaces/:id/cells/:cellId/suggestions': { tag: 'cells', access: 'view', summary: 'cells the result suggests to follow it (409 before a result)', ok: [200, '[{kind, name, config}]'] },
  'GET /api/workspaces/:id/cells/:cellId/suggested-rules': { tag: 'cells', access: 'view', summary: 'the rules a profile suggests, as a rule cell\'s YAML (409 before a result)', ok: [200, '{name, config}'] },
  'GET /api/workspaces/:id/cells/:cellId/code': { tag: 'cells', access: 'view', summary: 'the cell\'s work as code to run elsewhere: SQL for DuckDB and PostgreSQL, Python polars, and the tables it reads (400: the kind has none; 409: nothing to write yet)', ok: [200, '{sql, python, tables: [{name, cellId}]}'] },
  'GET /api/workspaces/:id/cells/:cellId/table.parquet': { tag: 'cells', access: 'view', summary: 'the cell\'s table as Parquet, <cell>.parquet, as the code reads it (409 before it has one)', ok: [200, 'the Parquet file', 'application/vnd.apache.parquet'] },
  'POST /api/workspaces/:id/cells/:cellId/upload': {
    tag: 'cells', access: 'edit', summary: 'the CSV of an upload cell: the raw body (?filename=) or the multipart field "file"',
    content: { 'text/csv': { description: 'the file itself' }, 'multipart/form-data': { description: 'the field "file"' } },
    query: { filename: 'the file\'s name, with a raw body' }, ok: [201, '{file: {id, name, size, sha256}, runId, workspaceVersion}'],
  },
  'GET /api/workspaces/:id/cells/:cellId/rows': {
    tag: 'cells', access: 'view', summary: 'a page of the cell\'s table (409 before it has one)',
    query: { offset: 'the first row', limit: 'how many rows', from: 'the first column', to: 'the column after the last', sort: 'a column index, "-" first for descending', filter: 'column filters', run: 'a run id: the table as of that run (else the newest)' },
    ok: [200, '{columns, rows, total, …}'],
  },
  ...downloadOperations(),
  'GET /api/workspaces/:id/events': { tag: 'workspaces', access: 'view', summary: 'the workspace\'s events as a server-sent event stream (honours Last-Event-ID)', ok: [200, 'text/event-stream', 'text/event-stream'] },
  'POST /api/workspaces/:id/shares': { tag: 'sharing', access: 'share', summary: 'a share link', body: createShareBody, ok: [201, '{id, token, url, role, label, expiresAt, …}'] },
  'GET /api/workspaces/:id/shares': { tag: 'sharing', access: 'share', summary: 'the workspace\'s share links (not their tokens)', ok: [200, '[share link]'] },
  'DELETE /api/workspaces/:id/shares/:shareId': { tag: 'sharing', access: 'share', summary: 'revoke a share link: its guests\' access and open streams end', ok: [200, '{ok: true}'] },
  'GET /api/workspaces/:id/members': { tag: 'sharing', access: 'share', summary: 'the people the workspace is shared with by email', ok: [200, '[{id, email, role, createdAt, hasAccount}]'] },
  'POST /api/workspaces/:id/members': { tag: 'sharing', access: 'share', summary: 'share with a person by email', body: addMemberBody, ok: [201, '{id, email, role, createdAt}'] },
  'DELETE /api/workspaces/:id/members/:memberId': { tag: 'sharing', access: 'share', summary: 'stop sharing with a person', ok: [200, '{ok: true}'] },
  'GET /api/workspaces/:id/audit': { tag: 'sharing', access: 'owner', summary: 'who did what to the workspace', ok: [200, '[audit line]'] },
  'POST /api/shares/preview': { tag: 'sharing', access: 'public', summary: 'what a live share link opens, before signing in', body: tokenBody, ok: [200, '{workspace: {id, title}, role, owner: {email}, expiresAt}'] },
  'POST /api/shares/accept': { tag: 'sharing', access: 'user', summary: 'open a share link as the caller', body: tokenBody, ok: [200, '{workspaceId, role}'] },
  'POST /api/workspaces/:id/runs': {
    tag: 'runs', access: 'edit', summary: 'rerun on new files (multipart: one file field per upload cell name; ?params= gives input cells values), or with values only (JSON {params}); a bad value is a 400 naming it and the saved notebook never changes',
    body: rerunBody, query: { params: 'with files: values for input cells as JSON text, e.g. {"min_cases":10}' },
    content: { 'multipart/form-data': { description: 'one file field per upload cell, named as the cell' } }, ok: [202, '{runId}'],
  },
  'GET /api/workspaces/:id/runs': { tag: 'runs', access: 'view', summary: 'the run history', ok: [200, '[run]'] },
  'GET /api/runs/:runId': { tag: 'runs', access: 'view', summary: 'one run with its cells\' results', ok: [200, 'the run'] },
  'GET /api/runs/:runId/report': { tag: 'runs', access: 'view', summary: 'the run as a self-contained HTML report', ok: [200, 'the report', 'text/html'] },
  'GET /api/workspaces/:id/compare': { tag: 'runs', access: 'view', summary: 'two runs of the workspace compared', query: { a: 'a run id', b: 'another run id' }, ok: [200, '{a, b, tables, profiles, rules, notes, params: [{name, a, b}], trends}'] },
  'GET /api/workspaces/:id/ledger': { tag: 'runs', access: 'view', summary: 'the failing keys of rules with `key:` across runs', ok: [200, 'the violation ledger'] },
  'GET /api/workspaces/:id/export': { tag: 'workspaces', access: 'view', summary: 'the workspace as a YAML document', ok: [200, 'the document', 'application/yaml'] },
  'POST /api/workspaces/import': {
    tag: 'workspaces', access: 'user', summary: 'a new workspace from a YAML document: the raw body, or JSON {yaml}', body: importBody,
    content: { 'application/yaml': { description: 'the document itself' } }, ok: [201, 'the workspace'],
  },
  'POST /api/workspaces/:id/duplicate': { tag: 'workspaces', access: 'view', summary: 'a copy of the workspace\'s cells and configs (no data) as the caller\'s own', body: duplicateBody, ok: [201, 'the workspace'] },
  'POST /api/workspaces/:id/schema-lock': { tag: 'workspaces', access: 'edit', summary: 'pin (or unpin) the upload cells\' schemas as they read now', body: schemaLockBody, ok: [200, 'the cells\' locks'] },
  'GET /api/workspaces/:id/schedule': { tag: 'runs', access: 'view', summary: 'the workspace\'s schedule, or null', ok: [200, 'the schedule or null'] },
  'PUT /api/workspaces/:id/schedule': { tag: 'runs', access: 'edit', summary: 'rerun on a schedule, on the files of an inbox folder', body: scheduleBody, ok: [200, 'the schedule'] },
  'DELETE /api/workspaces/:id/schedule': { tag: 'runs', access: 'edit', summary: 'stop the schedule', ok: [200, '{ok: true}'] },
  'GET /api/workspaces/:id/presentation': { tag: 'workspaces', access: 'view', summary: 'the workspace as its presentation view shows it: cells in order with their latest results (the caller\'s own where they gave the inputs values of their own), no configs', ok: [200, '{id, title, role, owner, personal, cells: [{id, name, kind, personal, status, result, error}]}'] },
  'GET /api/workspaces/:id/delivery': { tag: 'delivery', access: 'view', summary: 'how the caller gets the workspace\'s run reports by email, and its webhook (its URL for the owner only)', ok: [200, '{email: {choice, smtpConfigured}, webhook, canSetWebhook}'] },
  'PUT /api/workspaces/:id/delivery/email': { tag: 'delivery', access: 'view', summary: 'the caller\'s choice: the reports of reruns and scheduled runs by email never, always, or only when a rule fails or a cell errors', body: emailChoiceBody, ok: [200, 'the delivery settings'] },
  'PUT /api/workspaces/:id/delivery/webhook': { tag: 'delivery', access: 'owner', summary: 'the workspace\'s webhook: a Slack-compatible JSON summary POSTed when a rerun or scheduled run finishes', body: webhookBody, ok: [200, 'the delivery settings'] },
  'DELETE /api/workspaces/:id/delivery/webhook': { tag: 'delivery', access: 'owner', summary: 'remove the workspace\'s webhook', ok: [200, 'the delivery settings'] },
  'GET /api/runs/:runId/deliveries': { tag: 'delivery', access: 'view', summary: 'the run\'s deliveries: each email and webhook, its status, attempts and last error', ok: [200, '[{id, channel, target, status, attempts, lastError, createdAt, updatedAt, sentAt}]'] },
  'POST /api/runs/:runId/deliveries': { tag: 'delivery', access: 'edit', summary: 'send a finished run\'s report now to those who asked (each once per run; 409 while it runs)', ok: [202, 'the run\'s deliveries'] },
  'POST /api/workspaces/:id/presentation/values': { tag: 'workspaces', access: 'view', summary: 'the caller\'s own values for the input cells, run as a run of their own (only they see its results; the notebook does not change); 400 naming a bad value', body: personalValuesBody, ok: [202, '{runId}'] },
  'DELETE /api/workspaces/:id/presentation/values': { tag: 'workspaces', access: 'view', summary: 'back to the notebook\'s saved values: the caller\'s own runs of the workspace are removed', ok: [200, '{ok: true, runs}'] },
  'GET /api/schedules': { tag: 'runs', access: 'user', summary: 'the scheduled workspaces the caller may open, each with its last scheduled run', ok: [200, '[schedule status]'] },
};

const ACCESS: Record<Access, string> = {
  public: 'Anyone.',
  user: 'A signed-in user (session cookie or API token).',
  view: 'Anyone the workspace is shared with (view, edit or owner); others get 404 (403 when they may see it but not do this).',
  edit: 'An editor or the owner of the workspace.',
  share: 'The owner, or an editor when the owner lets editors share.',
  owner: 'The owner of the workspace.',
};

/** A schema as JSON Schema 2020-12 (OpenAPI 3.1's own dialect), as a client sends it. */
function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  return rest;
}

const errorResponse = { description: 'refused: `{"error": {"code", "message", "field"?}}`', content: { [json]: { schema: { $ref: '#/components/schemas/Error' } } } };

function operation(route: string, op: Operation): Record<string, unknown> {
  const [method, path] = route.split(' ') as [string, string];
  const params = [...path.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1]!, in: 'path', required: true, schema: { type: 'string' } }));
  const query = Object.entries(op.query ?? {}).map(([name, description]) => ({ name, in: 'query', required: false, description, schema: { type: 'string' } }));
  const content: Record<string, unknown> = {};
  if (op.body) content[json] = { schema: jsonSchema(op.body) };
  for (const [type, { description }] of Object.entries(op.content ?? {})) content[type] = { schema: { description, ...(type === 'multipart/form-data' ? { type: 'object' } : { type: 'string' }) } };
  const [status, description, type] = op.ok;
  return {
    operationId: `${method.toLowerCase()}${path.replace(/^\/api/, '').replace(/\/:(\w+)/g, (_, p: string) => `By${p[0]!.toUpperCase()}${p.slice(1)}`).replace(/[/.-](\w)/g, (_, ch: string) => ch.toUpperCase())}`,
    summary: op.summary,
    description: ACCESS[op.access],
    tags: [op.tag],
    ...(op.access === 'public' ? { security: [] } : {}),
    ...(params.length || query.length ? { parameters: [...params, ...query] } : {}),
    // A body that may be left out (a bare POST takes the defaults) is not required.
    ...(Object.keys(content).length ? { requestBody: { required: !!op.body && !op.content && !op.body.safeParse({}).success, content } } : {}),
    responses: {
      [status]: { description, ...(type ? { content: { [type]: { schema: { type: 'string' } } } } : { content: { [json]: { schema: {} } } }) },
      '4XX': errorResponse,
    },
  };
}

let built: Record<string, unknown> | undefined;

/** The OpenAPI 3.1 document, built once (the schemas do not change while the server runs). */
export function openApiDocument(): Record<string, unknown> {
  if (built) return built;
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [route, op] of Object.entries(OPERATIONS)) {
    const [method, path] = route.split(' ') as [string, string];
    (paths[path.replace(/:(\w+)/g, '{$1}')] ??= {})[method.toLowerCase()] = operation(route, op);
  }
  built = {
    openapi: '3.1.0',
    info: {
      title: 'Assay',
      version: '1',
      description: 'A self-hosted notebook server for CSV analysis. JSON everywhere; an error is `{"error": {"code", "message", "field"?}}` with a 4xx status. Writes from a browser must come from the server\'s own origin; scripts send an API token.',
    },
    servers: [{ url: '/' }],
    security: [{ token: [] }, { session: [] }],
    paths,
    components: {
      securitySchemes: {
        token: { type: 'http', scheme: 'bearer', description: 'a personal API token (POST /api/tokens)' },
        session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: { code: { type: 'string' }, message: { type: 'string' }, field: { type: 'string', description: 'the body field or query parameter at fault' } },
            },
          },
        },
      },
    },
  };
  return built;
}
