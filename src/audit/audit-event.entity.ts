import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** One link of a hash chain. Rows are only ever inserted: database triggers refuse UPDATE and DELETE. */
@Entity('audit_event')
@Index('uq_audit_chain_seq', ['chain', 'seq'], { unique: true })
@Index('ix_audit_type', ['type'])
@Index('ix_audit_actor', ['actorId'])
@Index('ix_audit_at', ['at'])
export class AuditEvent {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 64 })
  chain!: string;

  @Column({ type: 'int' })
  seq!: number;

  @Column({ type: 'varchar', length: 24 })
  at!: string;

  @Column({ name: 'actor_id', type: 'varchar', length: 64, nullable: true })
  actorId!: string | null;

  @Column({ type: 'varchar', length: 40 })
  type!: string;

  @Column({ name: 'from_state', type: 'varchar', length: 40, nullable: true })
  fromState!: string | null;

  @Column({ name: 'to_state', type: 'varchar', length: 40, nullable: true })
  toState!: string | null;

  /** Canonical JSON text, exactly as hashed. */
  @Column({ type: 'text', nullable: true })
  payload!: string | null;

  @Column({ type: 'text', nullable: true })
  comment!: string | null;

  @Column({ name: 'prev_hash', type: 'varchar', length: 64 })
  prevHash!: string;

  @Column({ type: 'varchar', length: 64 })
  hash!: string;
}

/** The head of each chain; locking this row serialises appends so a chain never forks. */
@Entity('audit_chain_head')
export class AuditChainHead {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  chain!: string;

  @Column({ type: 'int' })
  seq!: number;

  @Column({ type: 'varchar', length: 64 })
  hash!: string;
}
