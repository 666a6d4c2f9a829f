// The sql cell's config, declared once: validation, /api/kinds' reference and the editor's help.
import { parseConfigWith, z } from '../schema.ts';
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

export const STARTER_CONFIG = (input?: string) => [
  'sql: |',
  `  SELECT * FROM ${input || 'my_table'}`,
  '  LIMIT 100',
  '',
].join('\n');

/** Validates a sql cell's YAML mapping; a query that is not one SELECT over named tables is refused here, before anything runs. */
export function parseSqlConfig(raw: Record<string, unknown>): SqlConfig {
  const config = parseConfigWith(sqlConfigSchema, raw) as SqlConfig;
  checkQuery(config.sql);
  return config;
}
