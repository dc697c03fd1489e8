import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { InstantColumn } from '../database/columns';
import type { NoticeParams } from './notification-text';

@Entity('notification')
export class Notification {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ name: 'court_id', type: 'int', default: 0 }) courtId!: number;
  @Column({ name: 'user_id', type: 'int' }) userId!: number;
  @Column({ name: 'pairing_id', type: 'int', nullable: true }) pairingId!: number | null;
  @Column({ type: 'varchar', length: 40 }) kind!: string;
  @Column({ type: 'varchar', length: 200 }) title!: string;
  /** The Chinese text as first written; what the reader sees is rendered from kind + params in their language. */
  @Column({ type: 'text' }) body!: string;
  /** What the text is made of (see notification-text.ts); null on notices older than these params. */
  @Column({ type: 'simple-json', nullable: true }) params!: NoticeParams | null;
  /** The pairing event (its chain seq) this notice tells of; null for deadline notices. */
  @Column({ type: 'int', nullable: true }) seq!: number | null;
  /** It asks the reader to do something; once that is done (a later step of the pairing), doneAt is set. */
  @Column({ name: 'needs_action', type: 'boolean', default: false }) needsAction!: boolean;
  /** Unique: a replayed job finds its notification already there and creates none. */
  @Column({ name: 'dedupe_key', type: 'varchar', length: 191 }) dedupeKey!: string;
  @InstantColumn({ name: 'created_at' }) createdAt!: string;
  @InstantColumn({ name: 'read_at', nullable: true }) readAt!: string | null;
  @InstantColumn({ name: 'done_at', nullable: true }) doneAt!: string | null;
}
