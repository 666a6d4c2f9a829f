// The sql cell's config, declared once: validation, /api/kinds' reference and the editor's help.
import { parseConfigWith, z } from '../shared/config-schema.ts';
import { PREVIEW_ROWS } from '../upload/limits.ts';
import { checkQuery } from './guard.ts';

export interface SqlConfig {
  sql: string;
  /** Rows of the result kept in its preview (the grid reads the rest from the table). */
  limit_preview?: number;
}

export const sqlConfigSchema = z.strictObject({
  sql: z.string().trim().min(1).meta({ description: 'one SELECT (or WITH … SELECT) over the workspace\'s tables, named as their cells: FROM covid JOIN regions …' }),
  limit_preview: z.number().int().min(1).max(PREVIEW_ROWS).optional()
    .meta({ description: `rows of the result shown before the grid reads the table (at most ${PREVIEW_ROWS})` }),
});

// Only comments: a new cell waits for its query (server/notebook/analyse.ts, `awaiting`)
// rather than failing on a table that does not exist.
export const STARTER_CONFIG = (input?: string) => [
  'sql: |',
  "  -- One SELECT over the workspace's tables, each named as its cell, e.g.:",
  `  -- SELECT * FROM ${input || 'my_table'} WHERE amount > 0 LIMIT 100`,
  '# limit_preview: 20   # rows kept in the preview; the grid reads the rest',
  '',
].join('\n');

/** Validates a sql cell's YAML mapping; a query that is not one SELECT over named tables is refused here, before anything runs. */
export function parseSqlConfig(raw: Record<string, unknown>): SqlConfig {
  const config = parseConfigWith(sqlConfigSchema, raw) as SqlConfig;
  checkQuery(config.sql);
  return config;
}
