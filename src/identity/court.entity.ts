import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { InstantColumn } from '../database/columns';

/** A court (法院): the outermost unit of data. Every branch, partner, user and pairing belongs to one. */
@Entity('court')
export class Court {
  @PrimaryGeneratedColumn()
  id!: number;

  /** 2–8 capital letters, unique, never changed once given: pairing codes and system chains carry it. */
  @Index('uq_court_code', { unique: true })
  @Column({ type: 'varchar', length: 8 })
  code!: string;

  @Index('uq_court_name', { unique: true })
  @Column({ type: 'varchar', length: 100 })
  name!: string;

  /** The court this one reports to (嘉兴中院 above 平湖法院); null at the top. */
  @Index('ix_court_parent')
  @Column({ name: 'parent_court_id', type: 'int', nullable: true })
  parentCourtId!: number | null;

  @InstantColumn({ name: 'created_at' })
  createdAt!: string;

  @InstantColumn({ name: 'updated_at' })
  updatedAt!: string;
}

/** Pairing codes are `<courtCode>-<year>-<seq>`, the seq counted per court and year. */
@Entity('court_code_counter')
export class CourtCodeCounter {
  @PrimaryColumn({ name: 'court_id', type: 'int' })
  courtId!: number;

  @PrimaryColumn({ type: 'int' })
  year!: number;

  @Column({ type: 'int' })
  last!: number;
}

export const COURT_CODE_PATTERN = /^[A-Z]{2,8}$/;

/** The chain of a court's own system events (logins, users, branches, partners, practices). */
export const courtChain = (code: string) => `system:${code}`;
