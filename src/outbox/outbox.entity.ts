import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { InstantColumn } from '../database/columns';

/** A side effect promised by a committed transaction; the dispatcher hands it to a queue (or runs it in-process). */
@Entity('outbox')
export class OutboxRow {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'varchar', length: 32 }) queue!: string;
  @Column({ type: 'varchar', length: 40 }) kind!: string;
  @Column({ type: 'simple-json' }) payload!: Record<string, unknown>;
  @InstantColumn({ name: 'created_at' }) createdAt!: string;
  @InstantColumn({ name: 'available_at' }) availableAt!: string;
  @Column({ type: 'int' }) attempts!: number;
  @InstantColumn({ name: 'claimed_until', nullable: true }) claimedUntil!: string | null;
  @InstantColumn({ name: 'dispatched_at', nullable: true }) dispatchedAt!: string | null;
  @Column({ name: 'last_error', type: 'text', nullable: true }) lastError!: string | null;
}
