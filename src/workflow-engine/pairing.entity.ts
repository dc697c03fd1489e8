import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { PairingMode, PairingState, PairingTask, PartnerLiaison, QuarterScore, WaitsOn } from '../../workflows';
import { InstantColumn, numberTransformer } from '../database/columns';

export type { PartnerLiaison };

export const PAIRING_CATEGORIES = ['organization', 'activity', 'member', 'project'] as const;
export type PairingCategory = (typeof PAIRING_CATEGORIES)[number];

@Entity('pairing')
@Index('ix_pairing_court_id', ['courtId', 'id'])
@Index('ix_pairing_court_year_state', ['courtId', 'year', 'state'])
export class Pairing {
  @PrimaryGeneratedColumn()
  id!: number;

  /** The court the row belongs to (§11); repositories read it only through a CourtScope. */
  @Column({ name: 'court_id', type: 'int', default: 0 })
  courtId!: number;

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

  /** The hash of the head of the pairing's audit chain (`pairing:<id>`, seq = version). */
  @Column({ name: 'chain_hash', type: 'varchar', length: 64 })
  chainHash!: string;

  /** What the pairing waits for now (the machine's state meta), from whom and by when; null once nothing. */
  @Column({ name: 'task_kind', type: 'varchar', length: 32, nullable: true })
  taskKind!: PairingTask | null;

  @Column({ name: 'task_waits_on', type: 'varchar', length: 16, nullable: true })
  taskWaitsOn!: WaitsOn | null;

  @InstantColumn({ name: 'task_since', nullable: true })
  taskSince!: string | null;

  @InstantColumn({ name: 'task_due_at', nullable: true })
  taskDueAt!: string | null;

  /** Set by the deadline sweep once it reminded, or told of the overdue task; cleared with a new task. */
  @InstantColumn({ name: 'task_reminded_at', nullable: true })
  taskRemindedAt!: string | null;

  @InstantColumn({ name: 'task_overdue_notified_at', nullable: true })
  taskOverdueNotifiedAt!: string | null;

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
