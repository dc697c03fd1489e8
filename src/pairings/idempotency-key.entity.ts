import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { InstantColumn } from '../database/columns';

/** A claimed Idempotency-Key and, once done, the response replayed for it. */
@Entity('idempotency_key')
export class IdempotencyKey {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ name: 'court_id', type: 'int', default: 0 }) courtId!: number;
  @Column({ name: 'user_id', type: 'int' }) userId!: number;
  @Column({ type: 'varchar', length: 128 }) key!: string;
  @Column({ name: 'request_hash', type: 'varchar', length: 64 }) requestHash!: string;
  @Column({ type: 'varchar', length: 16 }) status!: 'pending' | 'done';
  @Column({ name: 'response_status', type: 'int', nullable: true }) responseStatus!: number | null;
  @Column({ name: 'response_body', type: 'text', nullable: true }) responseBody!: string | null;
  @InstantColumn({ name: 'created_at' }) createdAt!: string;
}
