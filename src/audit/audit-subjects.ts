import type { EntityManager } from 'typeorm';
import type { NameKind, NameLookup } from '../../workflows';
import type { CourtScope } from '../identity/court-scope';

const PAIRING_CHAIN = /^pairing:(\d{1,9})$/;

/** The pairing a chain belongs to (`pairing:<id>`), or null for the system chains. */
export function pairingIdOfChain(chain: string): number | null {
  const match = PAIRING_CHAIN.exec(chain);
  return match ? Number(match[1]) : null;
}

export interface PairingSubject {
  id: number;
  code: string;
  title: string;
}

/** The ids a page of events refers to, by kind. */
export type NameRequest = Partial<Record<NameKind, Set<number>>>;

/**
 * What the audit trail asks about the things its chains are about: a pairing's code and title, the
 * names behind the ids in payloads. Pairings, branches and partners live above the audit folder
 * (they append to it), so this port keeps the imports one way; the composition root supplies it.
 */
export abstract class AuditSubjects {
  /** The id of the pairing with this code (e.g. GJ-2026-004) within the scope's courts, or null. */
  abstract pairingIdOfCode(m: EntityManager, scope: CourtScope, code: string): Promise<number | null>;

  /** Code and title of each of these pairings that exists. */
  abstract pairings(m: EntityManager, ids: number[]): Promise<Map<number, PairingSubject>>;

  /** Names for the ids asked for; unknown ids are left out (the describer shows them as #id). */
  abstract names(m: EntityManager, wanted: NameRequest): Promise<NameLookup>;
}

/** Collects the ids a payload refers to, by the same field table the describer reads. */
export function collectReferences(payload: unknown, into: NameRequest, kindOf: (field: string) => NameKind | undefined): void {
  const visit = (field: string, value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(field, item);
      return;
    }
    if (typeof value === 'object' && value !== null) {
      for (const [key, inner] of Object.entries(value)) visit(key === 'from' || key === 'to' ? field : key, inner);
      return;
    }
    const kind = kindOf(field);
    const id = typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : NaN;
    if (kind && Number.isInteger(id)) (into[kind] ??= new Set()).add(id);
  };
  visit('', payload);
}
