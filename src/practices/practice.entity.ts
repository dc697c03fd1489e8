import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { InstantColumn } from '../database/columns';

export type PracticeStatus = 'published' | 'withdrawn';

/** 好做法: a scored pairing the committee holds up for others to learn from. */
@Entity('practice')
export class Practice {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ name: 'pairing_id', type: 'int' }) pairingId!: number;
  @Column({ type: 'varchar', length: 200 }) title!: string;
  @Column({ type: 'text' }) summary!: string;
  @Column({ type: 'varchar', length: 16 }) status!: PracticeStatus;
  /** 1 while published, null once withdrawn: a unique (pairing_id, live) index keeps one published practice per pairing. */
  @Column({ type: 'int', nullable: true }) live!: number | null;
  @Column({ name: 'published_by', type: 'int' }) publishedBy!: number;
  @InstantColumn({ name: 'published_at' }) publishedAt!: string;
  @Column({ name: 'withdrawn_by', type: 'int', nullable: true }) withdrawnBy!: number | null;
  @InstantColumn({ name: 'withdrawn_at', nullable: true }) withdrawnAt!: string | null;
  @Column({ name: 'withdraw_comment', type: 'text', nullable: true }) withdrawComment!: string | null;
}

/** The evidence photos a practice shows, in the order the committee chose them. */
@Entity('practice_photo')
export class PracticePhoto {
  @PrimaryColumn({ name: 'practice_id', type: 'int' }) practiceId!: number;
  @PrimaryColumn({ name: 'attachment_id', type: 'int' }) attachmentId!: number;
  @Column({ type: 'int' }) position!: number;
}
