import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import type { PairingState } from '../../workflows';
import { CourtScope } from '../identity/court-scope';
import { Branch } from '../organisation/branch.entity';
import { Partner } from '../organisation/partner.entity';
import { Pairing } from '../workflow-engine/pairing.entity';
import { Activity, ActivityConfirmation, Plan, QuarterReport, YearEndReview } from '../workflow-engine/records.entity';

/** Named read queries for the bulletin and the ranking; no rules here. */
@Injectable()
export class ReportsRepository {
  pairingsOfYear(m: EntityManager, scope: CourtScope, year: number, states: readonly PairingState[]) {
    return m.find(Pairing, { where: { ...scope.where(), year, state: In([...states]) }, order: { id: 'ASC' } });
  }

  async branchNames(m: EntityManager, scope: CourtScope): Promise<Map<number, string>> {
    const rows = await m.find(Branch, { select: { id: true, name: true }, where: scope.where() });
    return new Map(rows.map((b) => [b.id, b.name]));
  }

  async partnerNames(m: EntityManager, scope: CourtScope): Promise<Map<number, string>> {
    const rows = await m.find(Partner, { select: { id: true, name: true }, where: scope.where() });
    return new Map(rows.map((p) => [p.id, p.name]));
  }

  /** Non-void activities that count in this quarter, each with whether a partner confirmed it (双方确认). */
  async countedActivities(m: EntityManager, pairingIds: number[], quarter: number) {
    if (!pairingIds.length) return [];
    const activities = await m.find(Activity, {
      select: { id: true, pairingId: true, kind: true },
      where: { pairingId: In(pairingIds), quarter, voided: false },
    });
    if (!activities.length) return [];
    const confirmations = await m.find(ActivityConfirmation, {
      select: { id: true, activityId: true },
      where: { activityId: In(activities.map((a) => a.id)) },
    });
    const confirmed = new Set(confirmations.map((c) => c.activityId));
    return activities.map((a) => ({ ...a, confirmed: confirmed.has(a.id) }));
  }

  quarterReports(m: EntityManager, pairingIds: number[], quarter: number) {
    if (!pairingIds.length) return Promise.resolve([]);
    return m.find(QuarterReport, {
      select: { id: true, pairingId: true, status: true, requirementsMet: true, submittedAt: true },
      where: { pairingId: In(pairingIds), quarter },
      order: { id: 'ASC' },
    });
  }

  allOfYear(m: EntityManager, scope: CourtScope, year: number) {
    return m.find(Pairing, { where: { ...scope.where(), year }, order: { id: 'ASC' } });
  }

  /** The plans the committee accepted (one standing per pairing: the newest). */
  acceptedPlans(m: EntityManager, pairingIds: number[]) {
    if (!pairingIds.length) return Promise.resolve([]);
    return m.find(Plan, {
      select: { id: true, pairingId: true, indicators: true, status: true },
      where: { pairingId: In(pairingIds), status: 'accepted' },
      order: { id: 'ASC' },
    });
  }

  /** Every quarter report of these pairings with its indicator values, any status. */
  reportValues(m: EntityManager, pairingIds: number[]) {
    if (!pairingIds.length) return Promise.resolve([]);
    return m.find(QuarterReport, {
      select: { id: true, pairingId: true, quarter: true, status: true, indicatorValues: true },
      where: { pairingId: In(pairingIds) },
      order: { id: 'ASC' },
    });
  }

  reviewOutcomes(m: EntityManager, pairingIds: number[]) {
    if (!pairingIds.length) return Promise.resolve([]);
    return m.find(YearEndReview, {
      select: { id: true, pairingId: true, status: true, outcomes: true },
      where: { pairingId: In(pairingIds) },
      order: { id: 'ASC' },
    });
  }

  /** Non-void activities of these pairings, any quarter. */
  activitiesOf(m: EntityManager, pairingIds: number[]) {
    if (!pairingIds.length) return Promise.resolve([]);
    return m.find(Activity, {
      select: { id: true, pairingId: true, kind: true, quarter: true, heldOn: true },
      where: { pairingId: In(pairingIds), voided: false },
    });
  }

  scoredPairings(m: EntityManager, scope: CourtScope, year: number) {
    return m.find(Pairing, {
      select: {
        id: true,
        courtId: true,
        code: true,
        title: true,
        leadBranchId: true,
        finalScore: true,
        quarterScores: true,
        snapshot: true,
        state: true,
      },
      where: { ...scope.where(), year, state: 'scored' },
    });
  }

  /**
   * The comparison's pairings of a year across the scope's courts: only the columns it reads, as plain rows
   * (thousands of pairings for a supervisor of many courts: no entity hydration), through (court_id, year, state).
   */
  async comparedPairings(m: EntityManager, scope: CourtScope, year: number) {
    const court = scope.sql('`court_id`');
    const rows: Record<string, unknown>[] = await m.query(
      'SELECT `id`, `court_id` AS `courtId`, `code`, `title`, `state`, `lead_branch_id` AS `leadBranchId`, `final_score` AS `finalScore`, ' +
        `\`quarter_scores\` AS \`quarterScores\`, \`snapshot\` FROM \`pairing\` WHERE ${court.sql} AND \`year\` = ? ORDER BY \`id\``,
      [...court.params, year],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      courtId: Number(r.courtId),
      code: String(r.code),
      title: String(r.title),
      state: r.state as PairingState,
      leadBranchId: Number(r.leadBranchId),
      finalScore: r.finalScore === null ? null : Number(r.finalScore),
      quarterScores: JSON.parse(String(r.quarterScores)) as { quarter: number; score: number }[],
      snapshot: String(r.snapshot),
    }));
  }

  /** Non-void activities of the pairings of a year across the scope's courts, by kind and quarter. */
  async comparedActivities(m: EntityManager, scope: CourtScope, year: number) {
    const court = scope.sql('p.`court_id`');
    const rows: Record<string, unknown>[] = await m.query(
      'SELECT a.`pairing_id` AS `pairingId`, a.`kind` AS `kind`, a.`quarter` AS `quarter` FROM `activity` a ' +
        `INNER JOIN \`pairing\` p ON p.\`id\` = a.\`pairing_id\` WHERE ${court.sql} AND p.\`year\` = ? AND a.\`voided\` = 0`,
      [...court.params, year],
    );
    return rows.map((r) => ({ pairingId: Number(r.pairingId), kind: String(r.kind), quarter: Number(r.quarter) }));
  }
}
