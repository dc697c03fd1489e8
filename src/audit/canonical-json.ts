import { createHash } from 'node:crypto';

/**
 * Canonical JSON (RFC 8785 style): keys sorted at every level, no whitespace, values written as
 * JSON.stringify writes them. Anyone can recompute an audit hash with a few lines of code.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    return text === undefined ? 'null' : text;
  }
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item === undefined ? null : item)).join(',')}]`;
  const entries = Object.keys(value as Record<string, unknown>)
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
  return `{${entries.join(',')}}`;
}

export const GENESIS_HASH = '0'.repeat(64);

/** The fields of an audit event that are hashed, exactly as served by the API. */
export interface HashedAuditFields {
  chain: string;
  seq: number;
  at: string;
  actorId: string | null;
  type: string;
  fromState: string | null;
  toState: string | null;
  payload: unknown;
  comment: string | null;
  prevHash: string;
}

export function auditHash(fields: HashedAuditFields): string {
  const hashed: HashedAuditFields = {
    chain: fields.chain,
    seq: fields.seq,
    at: fields.at,
    actorId: fields.actorId ?? null,
    type: fields.type,
    fromState: fields.fromState ?? null,
    toState: fields.toState ?? null,
    payload: fields.payload ?? null,
    comment: fields.comment ?? null,
    prevHash: fields.prevHash,
  };
  return createHash('sha256').update(canonicalJson(hashed), 'utf8').digest('hex');
}
