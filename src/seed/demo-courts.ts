import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { quarterOf } from '../../workflows';
import { AuditService } from '../audit/audit.service';
import { Clock, dateIn } from '../common/clock';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { DatabaseService } from '../database/database.service';
import { CourtsService } from '../courts/courts.service';
import { Court } from '../identity/court.entity';
import { publicUser, Role, User } from '../identity/user.entity';
import { Branch } from '../organisation/branch.entity';
import { Partner, PartnerKind } from '../organisation/partner.entity';
import { agreementAndPlan, DemoPairingsSeeder, DemoPlan, meeting, quarterDay, quarterSteps, Step } from './demo-pairings';

/** The intermediate court above the demo court: it compares the courts below it (§11). */
export const DEMO_SUPERVISING_COURT = { code: 'JX', name: '嘉兴市中级人民法院' };
/** A second court below 嘉兴中院, with a few pairings of its own, so the comparison has two sides. */
export const DEMO_SISTER_COURT = { code: 'HY', name: '海盐县人民法院' };

const SISTER_BRANCHES = ['立案庭党支部', '民事审判庭党支部'];
const SISTER_PARTNERS: { name: string; kind: PartnerKind }[] = [
  { name: '海盐县司法局机关党支部', kind: 'government' },
  { name: '海盐县社会治理中心党支部', kind: 'public_institution' },
];
export const DEMO_COURT_USERS: { username: string; displayName: string; roles: Role[]; court: 'JX' | 'HY'; branch: string | null }[] = [
  { username: 'supervisor', displayName: '钱中院（嘉兴中院机关党委，上级法院）', roles: ['supervisor'], court: 'JX', branch: null },
  { username: 'hy-secretary', displayName: '海盐立案庭党支部书记', roles: ['secretary'], court: 'HY', branch: '立案庭党支部' },
  { username: 'hy-secretary2', displayName: '海盐民事审判庭党支部书记', roles: ['secretary'], court: 'HY', branch: '民事审判庭党支部' },
  { username: 'hy-committee', displayName: '海盐法院机关党委', roles: ['committee'], court: 'HY', branch: null },
];

/** A quarter whose activity day did not happen: reported with the reason, scored lower. */
function shortQuarter(year: number, quarter: number, score: number, today: string): Step[] {
  return [
    meeting(year, quarter, today),
    {
      as: 'lead',
      type: 'SUBMIT_QUARTER_REPORT',
      summary: `第${quarter}季度召开联席会议一次。`,
      shortfallReason: '共建单位本季度集中开展专项工作，共建活动日顺延。',
    },
    { as: 'committee', type: 'SCORE_QUARTER', score, comment: '共建活动日未开展，扣分' },
  ];
}

/**
 * The demo's other courts: 嘉兴中院 (JX) with its supervisor, and 海盐法院 (HY) beside the demo court, with
 * its own branches (one named as one of the demo court's: names are unique within a court), partners,
 * people and pairings driven through the engine like the demo court's.
 */
@Injectable()
export class DemoCourtsSeeder {
  constructor(
    private readonly db: DatabaseService,
    private readonly audit: AuditService,
    private readonly pairings: DemoPairingsSeeder,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly courtRecords: CourtsService,
  ) {}

  /** The supervising court, created before the demo court so that the demo court can sit below it. */
  async supervisingCourt(m: EntityManager, now: string): Promise<Court> {
    return this.createCourt(m, { ...DEMO_SUPERVISING_COURT, parentCourtId: null }, now);
  }

  async createCourt(m: EntityManager, fields: Pick<Court, 'code' | 'name' | 'parentCourtId'>, now: string): Promise<Court> {
    return this.courtRecords.insert(m, fields, now, null, { demo: true });
  }

  /** The sister court and the people of both; returns the demo logins it made. */
  async seed(m: EntityManager, supervising: Court, passwordHash: string, now: string): Promise<{ username: string; roles: Role[] }[]> {
    const sister = await this.createCourt(m, { ...DEMO_SISTER_COURT, parentCourtId: supervising.id }, now);
    const inCourt = (courtId: number, type: string, payload: unknown) =>
      this.audit.appendForCourt(m, courtId, { actorId: null, type, payload });
    const branchIds = new Map<string, number>();
    for (const name of SISTER_BRANCHES) {
      const branch = m.create(Branch, { courtId: sister.id, name, secretaryUserId: null, active: true, createdAt: now, updatedAt: now });
      await m.insert(Branch, branch);
      branchIds.set(name, branch.id);
      await inCourt(sister.id, 'BRANCH_CREATED', { id: branch.id, name, secretaryUserId: null });
    }
    for (const partner of SISTER_PARTNERS) {
      const row = m.create(Partner, { ...partner, contact: null, courtId: sister.id, active: true, createdAt: now, updatedAt: now });
      await m.insert(Partner, row);
      await inCourt(sister.id, 'PARTNER_CREATED', { id: row.id, ...partner, contact: null });
    }
    for (const demo of DEMO_COURT_USERS) {
      const courtId = demo.court === 'JX' ? supervising.id : sister.id;
      const user = m.create(User, {
        courtId,
        username: demo.username,
        displayName: demo.displayName,
        passwordHash,
        roles: demo.roles,
        branchId: demo.branch ? branchIds.get(demo.branch)! : null,
        active: true,
        tokenVersion: 0,
        createdAt: now,
        updatedAt: now,
      });
      await m.insert(User, user);
      await inCourt(courtId, 'USER_CREATED', { user: publicUser(user), demo: true });
      if (demo.roles.includes('secretary') && user.branchId) {
        await m.update(Branch, { id: user.branchId }, { secretaryUserId: user.id });
        await inCourt(courtId, 'BRANCH_CHANGED', { id: user.branchId, changes: { secretaryUserId: { from: null, to: user.id } } });
      }
    }
    return DEMO_COURT_USERS.map(({ username, roles }) => ({ username, roles }));
  }

  /** The sister court's pairings: last year's scored, this year's under way with one quarter short. */
  async seedPairings(): Promise<number> {
    const today = dateIn(this.config.timezone, this.clock.now());
    const thisYear = Number(today.slice(0, 4));
    const lastYear = thisYear - 1;
    const quarter = quarterOf(today);
    const plans: DemoPlan[] = [
      {
        lead: 'hy-secretary',
        committee: 'hy-committee',
        partners: ['海盐县社会治理中心党支部'],
        year: lastYear,
        title: '海盐立案庭—县社会治理中心诉调对接结对共建',
        theme: '诉调对接',
        problem: '诉前调解分流不畅',
        steps: [
          { as: 'lead', type: 'SUBMIT' },
          ...agreementAndPlan(lastYear, 1, today),
          ...quarterSteps(lastYear, 1, 85, today),
          ...shortQuarter(lastYear, 2, 78, today),
          ...quarterSteps(lastYear, 3, 86, today),
          ...quarterSteps(lastYear, 4, 88, today),
          {
            as: 'lead',
            type: 'SUBMIT_REVIEW',
            summary: '全年召开联席会议4次、共建活动日3次。',
            problemSolved: true,
            problemResolution: '建立诉前调解分流机制。',
            outcomes: [],
          },
          { as: 'committee', type: 'APPROVE_REVIEW', score: 85, comment: '完成年度目标' },
        ],
      },
      {
        lead: 'hy-secretary2',
        committee: 'hy-committee',
        partners: ['海盐县司法局机关党支部'],
        year: thisYear,
        title: '海盐民事审判庭—县司法局人民调解协作结对',
        theme: '人民调解协作',
        problem: '民间借贷纠纷调解成功率偏低',
        steps: [
          { as: 'lead', type: 'SUBMIT' },
          ...agreementAndPlan(thisYear, 1, today),
          ...[1, 2, 3]
            .filter((q) => q < quarter)
            .flatMap((q) => (q === 1 ? shortQuarter(thisYear, q, 80, today) : quarterSteps(thisYear, q, 87, today))),
          {
            ...meeting(thisYear, quarter, today),
            as: 'lead',
            heldOn: quarterDay(thisYear, quarter, 10, today),
            location: '海盐县人民法院',
          },
        ],
      },
    ];
    return this.pairings.run(plans);
  }
}
