import type { AuditEvent, Page } from './types';

/** GET /api/audit/events: a page of events exactly as hashed, and who and what they are about. */
export interface AuditPage extends Page<AuditEvent> {
  timeZone?: string;
  names?: {
    pairings: Record<string, { id: number; code: string; title: string }>;
    actors: Record<string, { displayName: string; username: string }>;
  };
}

/** What POST /api/audit/verify (and …/verify/checkpoint) says about a checkpoint. */
export interface CheckpointCheck {
  signatureValid: boolean;
  at?: string;
  /** Chains the checkpoint lists. */
  chains?: number;
  /** Of those, unchanged since (possibly grown by later events). */
  asBefore?: number;
  grown?: number;
  truncated: { chain: string; checkpointSeq: number; currentSeq: number }[];
  rewritten: { chain: string; seq: number }[];
  /** Only the first failures are listed when there are very many. */
  truncatedCount?: number;
  rewrittenCount?: number;
}

export interface VerifyAnswer {
  ok: boolean;
  chains?: number;
  events?: number;
  failures?: { chain: string; seq: number; reason: string }[];
  checkpoint?: CheckpointCheck;
}
