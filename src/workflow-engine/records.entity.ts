import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ActivityKind, IndicatorValue, PlanIndicator, PlanItem, ReviewOutcome } from '../../workflows';
import { DateColumn, InstantColumn, numberTransformer } from '../database/columns';

/** 共建协议书: the SIGN_AGREEMENT payload. */
@Entity('agreement')
export class Agreement {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ name: 'pairing_id', type: 'int' }) pairingId!: number;
  @DateColumn({ name: 'signed_on' }) signedOn!: string;
  @DateColumn({ name: 'valid_from' }) validFrom!: string;
  @DateColumn({ name: 'valid_to' }) validTo!: string;
  @Column({ type: 'text' }) goals!: string;
  @Column({ type: 'text' }) content!: string;
  @Column({ type: 'text' }) requirements!: string;
  @Column({ name: 'attachment_ids', type: 'simple-json' }) attachmentIds!: number[];
  @Column({ name: 'created_by', type: 'int' }) createdBy!: number;
  @InstantColumn({ name: 'created_at' }) createdAt!: string;
}

/** 共建单位会签: a partner's countersignature of the agreement, or the secretary's record of its paper one. */
@Entity('agreement_countersignature')
export class Countersignature {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ name: 'pairing_id', type: 'int' }) pairingId!: number;
  @Column({ name: 'partner_id', type: 'int' }) partnerId!: number;
  /** Recorded by the lead secretary from the signed paper copy (the scan among the attachments). */
  @Column({ type: 'boolean' }) paper!: boolean;
  @Column({ name: 'attachment_ids', type: 'simple-json' }) attachmentIds!: number[];
  @Column({ type: 'text', nullable: true }) comment!: string | null;
  @Column({ name: 'countersigned_by', type: 'int' }) countersignedBy!: number;
  @InstantColumn({ name: 'countersigned_at' }) countersignedAt!: string;
}

/** 双方确认: a partner confirms it took part in an activity. */
@Entity('activity_confirmation')
export class ActivityConfirmation {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ name: 'pairing_id', type: 'int' }) pairingId!: number;
  @Column({ name: 'activity_id', type: 'int' }) activityId!: number;
  @Column({ name: 'partner_id', type: 'int' }) partnerId!: number;
  @Column({ type: 'text', nullable: true }) comment!: string | null;
  @Column({ name: 'confirmed_by', type: 'int' }) confirmedBy!: number;
  @InstantColumn({ name: 'confirmed_at' }) confirmedAt!: string;
}

/** 共建单位评价: a partner's one rating (1–5) of the partnership, with its reason. */
@Entity('partner_evaluation')
export class PartnerEvaluation {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ name: 'pairing_id', type: 'int' }) pairingId!: number;
  @Column({ name: 'partner_id', type: 'int' }) partnerId!: number;
  @Column({ type: 'int' }) rating!: number;
  @Column({ type: 'text' }) comment!: string;
  @Column({ name: 'evaluated_by', type: 'int' }) evaluatedBy!: number;
  @InstantColumn({ name: 'evaluated_at' }) evaluatedAt!: string;
}

/** 年度计划: each FILE_PLAN adds one; the newest not returned is current. */
@Entity('plan')
export class Plan {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ name: 'pairing_id', type: 'int' }) pairingId!: number;
  @Column({ name: 'start_quarter', type: 'int' }) startQuarter!: number;
  @Column({ type: 'simple-json' }) items!: PlanItem[];
  /** Outcome indicators; null on plans filed before plans carried them (read as none). */
  @Column({ type: 'simple-json', nullable: true }) indicators!: PlanIndicator[] | null;
  @Column({ type: 'varchar', length: 16 }) status!: 'filed' | 'accepted' | 'returned';
  @Column({ name: 'created_by', type: 'int' }) createdBy!: number;
  @InstantColumn({ name: 'created_at' }) createdAt!: string;
}

/** 活动登记: one registered activity; voided ones stay on record. */
@Entity('activity')
export class Activity {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ name: 'pairing_id', type: 'int' }) pairingId!: number;
  @Column({ type: 'int' }) quarter!: number;
  @Column({ type: 'varchar', length: 32 }) kind!: ActivityKind;
  @DateColumn({ name: 'held_on' }) heldOn!: string;
  @Column({ type: 'varchar', length: 200 }) title!: string;
  @Column({ type: 'varchar', length: 200, nullable: true }) location!: string | null;
  @Column({ type: 'int' }) participants!: number;
  @Column({ name: 'partner_participants', type: 'int' }) partnerParticipants!: number;
  @Column({ type: 'text' }) summary!: string;
  @Column({ name: 'attachment_ids', type: 'simple-json' }) attachmentIds!: number[];
  @Column({ type: 'boolean', default: false }) voided!: boolean;
  @Column({ name: 'void_comment', type: 'text', nullable: true }) voidComment!: string | null;
  @Column({ name: 'voided_by', type: 'int', nullable: true }) voidedBy!: number | null;
  @InstantColumn({ name: 'voided_at', nullable: true }) voidedAt!: string | null;
  @Column({ name: 'recorded_by', type: 'int' }) recordedBy!: number;
  @InstantColumn({ name: 'created_at' }) createdAt!: string;
}

export type SubmissionStatus = 'submitted' | 'scored' | 'approved' | 'returned';

/** What a quarter report and a year-end review share: sent by the secretary, decided by the committee. */
abstract class Submission {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ name: 'pairing_id', type: 'int' }) pairingId!: number;
  @Column({ type: 'varchar', length: 16 }) status!: SubmissionStatus;
  @Column({ type: 'double', nullable: true, transformer: numberTransformer }) score!: number | null;
  @Column({ name: 'decision_comment', type: 'text', nullable: true }) decisionComment!: string | null;
  @Column({ name: 'submitted_by', type: 'int' }) submittedBy!: number;
  @InstantColumn({ name: 'submitted_at' }) submittedAt!: string;
  @Column({ name: 'decided_by', type: 'int', nullable: true }) decidedBy!: number | null;
  @InstantColumn({ name: 'decided_at', nullable: true }) decidedAt!: string | null;
}

@Entity('quarter_report')
export class QuarterReport extends Submission {
  @Column({ type: 'int' }) quarter!: number;
  @Column({ type: 'text' }) summary!: string;
  @Column({ name: 'plan_progress', type: 'text', nullable: true }) planProgress!: string | null;
  @Column({ name: 'shortfall_reason', type: 'text', nullable: true }) shortfallReason!: string | null;
  @Column({ name: 'requirements_met', type: 'boolean' }) requirementsMet!: boolean;
  /** The plan indicators' values this quarter; null on reports sent before plans carried indicators. */
  @Column({ name: 'indicator_values', type: 'simple-json', nullable: true }) indicatorValues!: IndicatorValue[] | null;
}

/** 年终述职 */
@Entity('year_end_review')
export class YearEndReview extends Submission {
  @Column({ type: 'text' }) summary!: string;
  @Column({ name: 'problem_solved', type: 'boolean' }) problemSolved!: boolean;
  @Column({ name: 'problem_resolution', type: 'text' }) problemResolution!: string;
  @Column({ type: 'simple-json' }) outcomes!: ReviewOutcome[];
}
