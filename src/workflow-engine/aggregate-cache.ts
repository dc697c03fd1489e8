import { Injectable } from '@nestjs/common';
import { PAIRING_MACHINES, PairingSnapshot, restorePairingSnapshot } from '../../workflows';
import { LruMap } from '../common/lru';
import type { Pairing } from './pairing.entity';
import type { PairingRecords } from './pairings.repository';

/** A pairing as one whole: its row, its restored machine snapshot and the records of its year. */
export interface PairingAggregate {
  pairing: Pairing;
  snapshot: PairingSnapshot;
  records: PairingRecords;
}

interface Entry {
  version: number;
  snapshot: PairingSnapshot;
  records: PairingRecords | null;
}

/** Pairings worked on recently enough to be worth keeping; an entry is a few kilobytes. */
const CAPACITY = 2_000;

/**
 * The restored snapshot and the records of recently used pairings, by version. Every change of a pairing's
 * records or snapshot is an event or an edit that bumps `version` in the same transaction, so an entry is
 * valid exactly while its version equals the row's — whichever process made the change. An entry is only
 * ever stored for a committed version (after commit), and never mutated: writers build new records.
 */
@Injectable()
export class AggregateCache {
  private readonly entries = new LruMap<number, Entry>(CAPACITY);

  /** The pairing's snapshot under its own machine version, restored once per version. */
  snapshotOf(pairing: Pick<Pairing, 'id' | 'version' | 'snapshot' | 'workflowVersion'>): PairingSnapshot {
    const entry = this.entries.get(pairing.id);
    // The machine must be the row's too: a snapshot is served only under the version the row says it runs on.
    if (entry?.version === pairing.version && entry.snapshot.machine === PAIRING_MACHINES[pairing.workflowVersion]) return entry.snapshot;
    const snapshot = restorePairingSnapshot(JSON.parse(pairing.snapshot), pairing.workflowVersion);
    this.entries.set(pairing.id, { version: pairing.version, snapshot, records: null });
    return snapshot;
  }

  /** The records as of the pairing's version, when known here. */
  recordsOf(pairing: Pick<Pairing, 'id' | 'version'>): PairingRecords | null {
    const entry = this.entries.get(pairing.id);
    return entry?.version === pairing.version ? entry.records : null;
  }

  /** Keeps a committed state of the pairing. */
  remember({ pairing, snapshot, records }: PairingAggregate): void {
    this.entries.set(pairing.id, { version: pairing.version, snapshot, records });
  }
}
