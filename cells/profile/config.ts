// The profile cell's config, declared once: validation (errors naming the key, its line and
// the closest word), /api/kinds' reference and the editor's help all read this schema.
import { parseConfigWith, z } from '../shared/config-schema.ts';
import type { ProfileConfig } from './types.ts';

export const DISTINCT_MODES = ['auto', 'exact', 'approx'] as const;

export const profileConfigSchema = z.strictObject({
  input: z.string().trim().min(1).meta({ description: 'the cell whose table is profiled' }),
  columns: z.array(z.string()).optional().meta({ description: 'profile only these columns, in this order, e.g. [a, b]' }),
  distinct: z.enum(DISTINCT_MODES).optional()
    .meta({ description: 'how text columns\' distinct values are counted: exact, approx (64-bit hashes), or auto (approx above 2 M rows)' }),
});

export function parseProfileConfig(raw: Record<string, unknown>): ProfileConfig {
  const { input, columns, distinct } = parseConfigWith(profileConfigSchema, raw);
  // `auto` is the default and is not stored: the same config as before the key existed.
  return { input, ...(columns ? { columns } : {}), ...(distinct && distinct !== 'auto' ? { distinct } : {}) };
}
