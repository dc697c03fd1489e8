import { Inject, Injectable } from '@nestjs/common';
import { quarterOf, type PlanIndicator } from '../../workflows';
import type { RequestUser } from '../identity/current-user.decorator';
import { Clock, dateIn } from '../common/clock';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { DatabaseService } from '../database/database.service';
import { Branch } from '../organisation/branch.entity';
import { Partner } from '../organisation/partner.entity';
import { PairingsService } from '../pairings/pairings.service';
import { User } from '../identity/user.entity';

export type Step = { as: string; type: string } & Record<string, unknown>;

/** One demo pairing: who leads it (a username), what it is, and the events sent through the engine. */
export interface DemoPlan {
  lead: string;
  /** Who records activities as liaison (a username of the lead branch); the lead by default. */
  liaison?: string;
  /** Who decides as the committee (a username of the same court); `committee` by default. */
  committee?: string;
  partners: string[];
  coBranches?: string[];
  year: number;
  title: string;
  theme: string;
  problem: string;
  steps: Step[];
}

/** A day of a quarter's middle month, never after `today` (a date in the future would be refused). */
export const quarterDay = (year: number, quarter: number, day: number, today: string) => {
  const date = `${year}-${String((quarter - 1) * 3 + 2).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return date > today ? today : date;
};
export const earliest = (date: string, today: string) => (date > today ? today : date);

export function meeting(year: number, quarter: number, today: string): Step {
  return {
    as: 'member',
    type: 'RECORD_ACTIVITY',
    kind: 'joint_meeting',
    heldOn: quarterDay(year, quarter, 10, today),
    title: `第${quarter}季度联席会议`,
    location: '平湖市人民法院',
    participants: 8,
    partnerParticipants: 5,
    summary: '总结交流本季度共建工作，研究下阶段计划。',
  };
}

type Values = { name: string; value: number }[];

export function quarterSteps(year: number, quarter: number, score: number, today: string, indicatorValues: Values = []): Step[] {
  return [
    meeting(year, quarter, today),
    {
      as: 'lead',
      type: 'RECORD_ACTIVITY',
      kind: 'activity_day',
      heldOn: quarterDay(year, quarter, 20, today),
      title: `第${quarter}季度共建活动日`,
      location: '社会治理中心',
      participants: 15,
      partnerParticipants: 10,
      summary: '联合开展基层诉源治理大调研。',
    },
    {
      as: 'lead',
      type: 'SUBMIT_QUARTER_REPORT',
      summary: `第${quarter}季度按计划召开联席会议、开展共建活动日。`,
      planProgress: '按计划推进',
      ...(indicatorValues.length ? { indicatorValues } : {}),
    },
    { as: 'committee', type: 'SCORE_QUARTER', score, comment: '按时完成' },
  ];
}

export function agreementAndPlan(year: number, startQuarter: number, today: string, indicators: PlanIndicator[] = []): Step[] {
  return [
    { as: 'committee', type: 'APPROVE', comment: '同意结对' },
    {
      as: 'lead',
      type: 'SIGN_AGREEMENT',
      signedOn: earliest(`${year}-01-08`, today),
      validFrom: `${year}-01-01`,
      validTo: `${year}-12-31`,
      goals: '党建共建、业务互促',
      content: '组织结对、活动结对、党员结对、项目结对',
      requirements: '每季度召开一次联席会议，确定一天为共建活动日',
    },
    {
      as: 'lead',
      type: 'FILE_PLAN',
      startQuarter,
      items: [1, 2, 3, 4]
        .filter((q) => q >= startQuarter)
        .map((q) => ({
          title: `第${q}季度联席会议与共建活动日`,
          quarter: q,
          dueDate: `${year}-${String(q * 3).padStart(2, '0')}-25`,
          owner: '支部书记',
        })),
      ...(indicators.length ? { indicators } : {}),
    },
    { as: 'committee', type: 'ACCEPT_PLAN' },
  ];
}

const QUARTER_SCORES = [90, 88.5, 92];

/** Stands for the activity recorded last: the partner confirms what the court side just recorded. */
const LATEST_ACTIVITY = 'latest';

/** The partner side (SPEC §12) of 平湖市社会治理中心党支部, whose liaison is the demo `partner` user. */
const confirmLatest: Step = { as: 'partner', type: 'CONFIRM_ACTIVITY', activityId: LATEST_ACTIVITY };

/**
 * The article's figures (平湖法院): 家事纠纷诉前化解率 59.26% (+11.16 points), 平均审理天数 55.96 days (−29.7),
 * 合同纠纷诉前化解率 47.04%, 自动履行率 +8.59 points; the baselines are those figures less their change.
 */
const FAMILY_RATE: PlanIndicator = { name: '家事纠纷诉前化解率', unit: '%', baseline: 48.1, target: 55, higherIsBetter: true };
const TRIAL_DAYS: PlanIndicator = { name: '平均审理天数', unit: '天', baseline: 85.66, target: 60, higherIsBetter: false };
const CONTRACT_RATE: PlanIndicator = { name: '合同纠纷诉前化解率', unit: '%', baseline: 38.2, target: 45, higherIsBetter: true };
const PERFORMANCE_RATE: PlanIndicator = { name: '判决案件自动履行率', unit: '%', baseline: 61.27, target: 68, higherIsBetter: true };

/** Last year's quarterly values, Q1–Q4, on the way to the year-end figures. */
const LAST_YEAR_VALUES: Record<number, Values> = {
  1: [
    { name: FAMILY_RATE.name, value: 50.3 },
    { name: TRIAL_DAYS.name, value: 78.2 },
    { name: CONTRACT_RATE.name, value: 40.15 },
  ],
  2: [
    { name: FAMILY_RATE.name, value: 53.7 },
    { name: TRIAL_DAYS.name, value: 69.5 },
    { name: CONTRACT_RATE.name, value: 42.8 },
  ],
  3: [
    { name: FAMILY_RATE.name, value: 56.8 },
    { name: TRIAL_DAYS.name, value: 61.3 },
    { name: CONTRACT_RATE.name, value: 45.1 },
  ],
  4: [
    { name: FAMILY_RATE.name, value: 58.9 },
    { name: TRIAL_DAYS.name, value: 57.1 },
    { name: CONTRACT_RATE.name, value: 46.6 },
  ],
};

/** This year's: the automatic performance rate climbing to +8.59 points by the third quarter. */
const THIS_YEAR_VALUES: Record<number, Values> = {
  1: [{ name: PERFORMANCE_RATE.name, value: 63.5 }],
  2: [{ name: PERFORMANCE_RATE.name, value: 66.12 }],
  3: [{ name: PERFORMANCE_RATE.name, value: 69.86 }],
};

/**
 * The demo pairings, each made by sending real events through the engine so its history is real, and told
 * as of the day the demo starts: last year's pairing scored (its agreement, plan and activities dated last
 * year), this year's active in the current quarter with every earlier quarter reported and scored (nothing
 * overdue), and one proposal waiting for the committee and one returned — for next year once the last
 * quarter has begun, when next year's pairings are planned. The business dates follow the story; the audit
 * trail keeps the real time each event was entered.
 */
@Injectable()
export class DemoPairingsSeeder {
  constructor(
    private readonly db: DatabaseService,
    private readonly pairings: PairingsService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async seed(): Promise<number> {
    const today = dateIn(this.config.timezone, this.clock.now());
    const thisYear = Number(today.slice(0, 4));
    const lastYear = thisYear - 1;
    const quarter = quarterOf(today);
    const proposalYear = quarter === 4 ? thisYear + 1 : thisYear;
    const plans: (DemoPlan & { branch: string })[] = [
      {
        lead: 'secretary',
        branch: '立案庭党支部',
        partners: ['平湖市社会治理中心党支部'],
        year: lastYear,
        title: '立案庭—社会治理中心“基层诉源治理大调研”结对共建',
        theme: '基层诉源治理',
        problem: '矛盾纠纷诉前化解率偏低，诉调对接不够顺畅',
        steps: [
          { as: 'lead', type: 'SUBMIT' },
          ...agreementAndPlan(lastYear, 1, today, [FAMILY_RATE, TRIAL_DAYS, CONTRACT_RATE]),
          { as: 'partner', type: 'COUNTERSIGN_AGREEMENT', comment: '已审阅协议书，同意共建' },
          ...quarterSteps(lastYear, 1, 88.5, today, LAST_YEAR_VALUES[1]),
          confirmLatest,
          ...quarterSteps(lastYear, 2, 91, today, LAST_YEAR_VALUES[2]),
          confirmLatest,
          ...quarterSteps(lastYear, 3, 86.5, today, LAST_YEAR_VALUES[3]),
          confirmLatest,
          ...quarterSteps(lastYear, 4, 93, today, LAST_YEAR_VALUES[4]),
          confirmLatest,
          { as: 'partner', type: 'EVALUATE_PARTNERSHIP', rating: 5, comment: '诉调对接工作室运转顺畅，家事纠纷诉前化解成效明显。' },
          {
            as: 'lead',
            type: 'SUBMIT_REVIEW',
            summary: '全年召开联席会议4次、共建活动日4次。',
            problemSolved: true,
            problemResolution: '建立诉调对接工作室，家事纠纷诉前化解率59.26%，同比上升11.16个百分点；平均审理天数55.96天，同比下降29.7天。',
            outcomes: [
              { indicator: FAMILY_RATE.name, value: 59.26, unit: '%', baseline: FAMILY_RATE.baseline },
              { indicator: TRIAL_DAYS.name, value: 55.96, unit: '天', baseline: TRIAL_DAYS.baseline },
              { indicator: CONTRACT_RATE.name, value: 47.04, unit: '%', baseline: CONTRACT_RATE.baseline },
            ],
          },
          { as: 'committee', type: 'APPROVE_REVIEW', score: 92, comment: '成效明显，评为优秀' },
        ],
      },
      {
        lead: 'secretary2',
        branch: '民一庭党支部',
        coBranches: ['行政庭党支部'],
        partners: ['平湖仲裁委', '嘉兴港区仲裁委'],
        year: thisYear,
        title: '民一庭、行政庭与平湖仲裁委、嘉兴港区仲裁委劳动争议裁审衔接联合结对',
        theme: '劳动争议裁审衔接',
        problem: '劳动争议裁审标准不统一，当事人重复诉累',
        steps: [
          { as: 'lead', type: 'SUBMIT' },
          ...agreementAndPlan(thisYear, 1, today, [PERFORMANCE_RATE]),
          ...[1, 2, 3]
            .filter((q) => q < quarter)
            .flatMap((q) => quarterSteps(thisYear, q, QUARTER_SCORES[q - 1], today, THIS_YEAR_VALUES[q])),
          // The current quarter has begun: its joint meeting is held, the activity day still to come.
          meeting(thisYear, quarter, today),
        ],
      },
      {
        lead: 'secretary3',
        branch: '新仓人民法庭党支部',
        partners: ['新仓社会治理办党支部'],
        year: proposalYear,
        title: '新仓法庭—新仓社会治理办“共享法庭”结对共建',
        theme: '诉源治理与共享法庭建设',
        problem: '辖区纠纷多元化解渠道分散',
        steps: [{ as: 'lead', type: 'SUBMIT' }],
      },
      {
        lead: 'secretary4',
        branch: '执行局党支部',
        partners: ['平湖综合行政执法队直属中队党支部'],
        year: proposalYear,
        title: '执行局—综合行政执法队直属中队执前督促协作结对',
        theme: '执前督促与业务协作',
        problem: '首执案件收案量大，自动履行率偏低',
        steps: [
          { as: 'lead', type: 'SUBMIT' },
          { as: 'committee', type: 'RETURN', comment: '请细化“一个实际问题”的量化目标后重新提交。' },
        ],
      },
    ];

    return this.run(plans.map((plan) => ({ ...plan, liaison: plan.lead === 'secretary' ? 'member' : plan.lead })));
  }

  /** Drives each plan through the engine as its people; names are looked up in the lead's own court. */
  async run(plans: DemoPlan[]): Promise<number> {
    const users = await this.db.read((m) => m.find(User));
    const branches = await this.db.read((m) => m.find(Branch));
    const partners = await this.db.read((m) => m.find(Partner));
    const byName = (name: string) => users.find((u) => u.username === name)!;
    let created = 0;
    for (const plan of plans) {
      const lead = byName(plan.lead);
      const ofCourt = <R extends { courtId: number; name: string }>(rows: R[], name: string) =>
        rows.find((r) => r.courtId === lead.courtId && r.name === name)!;
      const branchId = (name: string) => ofCourt(branches, name).id;
      const liaison = byName(plan.liaison ?? plan.lead);
      const pairing = await this.pairings.create(lead as RequestUser, {
        year: plan.year,
        title: plan.title,
        theme: plan.theme,
        problem: plan.problem,
        partnerIds: plan.partners.map((name) => ofCourt(partners, name).id),
        coBranchIds: (plan.coBranches ?? []).map(branchId),
        categories: ['organization', 'activity', 'project'],
        liaisonUserId: liaison.id,
      });
      let latestActivityId: number | null = null;
      for (const { as, ...event } of plan.steps) {
        const actor = as === 'lead' ? lead : as === 'member' ? liaison : byName(as === 'committee' ? (plan.committee ?? as) : as);
        const sent = event.activityId === LATEST_ACTIVITY ? { ...event, activityId: latestActivityId } : event;
        const { body } = await this.pairings.send(pairing.id, actor as RequestUser, sent);
        latestActivityId = Math.max(0, ...body.activities.map((a) => a.id)) || latestActivityId;
      }
      created++;
    }
    return created;
  }
}
