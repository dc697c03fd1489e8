import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { InstantColumn } from '../database/columns';

@Entity('notification')
export class Notification {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ name: 'user_id', type: 'int' }) userId!: number;
  @Column({ name: 'pairing_id', type: 'int', nullable: true }) pairingId!: number | null;
  @Column({ type: 'varchar', length: 40 }) kind!: string;
  @Column({ type: 'varchar', length: 200 }) title!: string;
  @Column({ type: 'text' }) body!: string;
  /** Unique: a replayed job finds its notification already there and creates none. */
  @Column({ name: 'dedupe_key', type: 'varchar', length: 191 }) dedupeKey!: string;
  @InstantColumn({ name: 'created_at' }) createdAt!: string;
  @InstantColumn({ name: 'read_at', nullable: true }) readAt!: string | null;
}
