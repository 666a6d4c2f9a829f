import { createHash } from 'node:crypto';

/** JSON with object keys sorted, so key order and YAML comments never change a fingerprint. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return v;
  });
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The identity of a cell's result: same kind and code version, same meaning of config, same inputs → same result. */
export function cellFingerprint(kind: { kind: string; version: number }, config: unknown, inputs: Record<string, string>, fileSha256?: string): string {
  return sha256(canonicalJson({ v: 1, kind: kind.kind, version: kind.version, config, inputs, file: fileSha256 ?? null }));
}
