import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { InstantColumn } from '../database/columns';

/**
 * A side effect promised by a committed transaction. It is done when its effect is recorded (`doneAt`, set in
 * the same transaction as the effect), not when a queue took it: until then the dispatcher keeps driving it.
 */
@Entity('outbox')
export class OutboxRow {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ name: 'court_id', type: 'int', default: 0 }) courtId!: number;
  @Column({ type: 'varchar', length: 32 }) queue!: string;
  @Column({ type: 'varchar', length: 40 }) kind!: string;
  @Column({ type: 'simple-json' }) payload!: Record<string, unknown>;
  @InstantColumn({ name: 'created_at' }) createdAt!: string;
  /** Not to be tried before this (the backoff after a failed attempt). */
  @InstantColumn({ name: 'available_at' }) availableAt!: string;
  /** Failed attempts so far. */
  @Column({ type: 'int' }) attempts!: number;
  /** The lease of the dispatcher (or the Bull job) working on it; past it, the row is driven again. */
  @InstantColumn({ name: 'claimed_until', nullable: true }) claimedUntil!: string | null;
  /** When it was handed to Bull (once); a row not done within its lease then runs in the dispatcher's process. */
  @InstantColumn({ name: 'dispatched_at', nullable: true }) dispatchedAt!: string | null;
  @InstantColumn({ name: 'done_at', nullable: true }) doneAt!: string | null;
  /** Set when it failed so often, other than for an outage, that a person must look (GET /api/jobs/outbox). */
  @InstantColumn({ name: 'parked_at', nullable: true }) parkedAt!: string | null;
  @Column({ name: 'last_error', type: 'text', nullable: true }) lastError!: string | null;
}
