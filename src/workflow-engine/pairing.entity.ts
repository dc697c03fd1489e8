import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { PairingMode, PairingState, QuarterScore } from '../../workflows';

export interface PartnerLiaison {
  partnerId: number;
  name: string;
  phone: string;
}
import { InstantColumn, numberTransformer } from '../database/columns';

export const PAIRING_CATEGORIES = ['organization', 'activity', 'member', 'project'] as const;
export type PairingCategory = (typeof PAIRING_CATEGORIES)[number];

@Entity('pairing')
export class Pairing {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 32 })
  code!: string;

  @Column({ type: 'int' })
  year!: number;

  @Column({ type: 'varchar', length: 200 })
  title!: string;

  @Column({ type: 'text' })
  theme!: string;

  @Column({ type: 'text' })
  problem!: string;

  @Column({ type: 'text', nullable: true })
  goals!: string | null;

  @Column({ type: 'varchar', length: 16 })
  mode!: PairingMode;

  @Column({ name: 'lead_branch_id', type: 'int' })
  leadBranchId!: number;

  @Column({ name: 'co_branch_ids', type: 'simple-json' })
  coBranchIds!: number[];

  @Column({ name: 'partner_ids', type: 'simple-json' })
  partnerIds!: number[];

  @Column({ type: 'simple-json' })
  categories!: PairingCategory[];

  @Column({ name: 'liaison_user_id', type: 'int', nullable: true })
  liaisonUserId!: number | null;

  @Column({ name: 'partner_liaisons', type: 'simple-json' })
  partnerLiaisons!: PartnerLiaison[];

  @Column({ type: 'varchar', length: 40 })
  state!: PairingState;

  @Column({ type: 'int', nullable: true })
  quarter!: number | null;

  @Column({ name: 'quarter_scores', type: 'simple-json' })
  quarterScores!: QuarterScore[];

  @Column({ name: 'review_score', type: 'double', nullable: true, transformer: numberTransformer })
  reviewScore!: number | null;

  @Column({ name: 'final_score', type: 'double', nullable: true, transformer: numberTransformer })
  finalScore!: number | null;

  /** The persisted XState snapshot (JSON) under `workflowVersion`. */
  @Column({ type: 'text' })
  snapshot!: string;

  @Column({ name: 'workflow_version', type: 'int' })
  workflowVersion!: number;

  /** Equals the head seq of the pairing's audit chain. */
  @Column({ type: 'int' })
  version!: number;

  @Column({ name: 'created_by', type: 'int' })
  createdBy!: number;

  @InstantColumn({ name: 'created_at' })
  createdAt!: string;

  @InstantColumn({ name: 'updated_at' })
  updatedAt!: string;
}

@Entity('pairing_branch')
export class PairingBranch {
  @PrimaryColumn({ name: 'pairing_id', type: 'int' })
  pairingId!: number;

  @PrimaryColumn({ name: 'branch_id', type: 'int' })
  branchId!: number;

  @Column({ type: 'varchar', length: 8 })
  role!: 'lead' | 'co';
}

@Entity('pairing_code_counter')
export class PairingCodeCounter {
  @PrimaryColumn({ type: 'int' })
  year!: number;

  @Column({ type: 'int' })
  last!: number;
}
