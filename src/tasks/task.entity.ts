import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { PairingState, PairingTask, WaitsOn } from '../../workflows';
import { InstantColumn } from '../database/columns';

/** What a pairing waits for now, from whom, and by when. One open task per pairing at most. */
@Entity('task')
export class Task {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ name: 'pairing_id', type: 'int' }) pairingId!: number;
  @Column({ type: 'varchar', length: 32 }) kind!: PairingTask;
  @Column({ type: 'varchar', length: 40 }) state!: PairingState;
  @Column({ name: 'waits_on', type: 'varchar', length: 16 }) waitsOn!: WaitsOn;
  @Column({ type: 'int', nullable: true }) quarter!: number | null;
  @InstantColumn() since!: string;
  @InstantColumn({ name: 'due_at', nullable: true }) dueAt!: string | null;
  @InstantColumn({ name: 'reminded_at', nullable: true }) remindedAt!: string | null;
  @InstantColumn({ name: 'overdue_notified_at', nullable: true }) overdueNotifiedAt!: string | null;
  @InstantColumn({ name: 'closed_at', nullable: true }) closedAt!: string | null;
}
