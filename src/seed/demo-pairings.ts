import { Inject, Injectable } from '@nestjs/common';
import { quarterOf } from '../../workflows';
import type { RequestUser } from '../identity/current-user.decorator';
import { Clock, dateIn } from '../common/clock';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { DatabaseService } from '../database/database.service';
import { Branch } from '../organisation/branch.entity';
import { Partner } from '../organisation/partner.entity';
import { PairingsService } from '../pairings/pairings.service';
import { User } from '../identity/user.entity';

type Step = { as: string; type: string } & Record<string, unknown>;

/** A day of a quarter's middle month, never after `today` (a date in the future would be refused). */
const quarterDay = (year: number, quarter: number, day: number, today: string) => {
  const date = `${year}-${String((quarter - 1) * 3 + 2).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return date > today ? today : date;
};
const earliest = (date: string, today: string) => (date > today ? today : date);

function meeting(year: number, quarter: number, today: string): Step {
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

function quarterSteps(year: number, quarter: number, score: number, today: string): Step[] {
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
    },
    { as: 'committee', type: 'SCORE_QUARTER', score, comment: '按时完成' },
  ];
}

function agreementAndPlan(year: number, startQuarter: number, today: string): Step[] {
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
    },
    { as: 'committee', type: 'ACCEPT_PLAN' },
  ];
}

const QUARTER_SCORES = [90, 88.5, 92];

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
    const plans = [
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
          ...agreementAndPlan(lastYear, 1, today),
          ...quarterSteps(lastYear, 1, 88.5, today),
          ...quarterSteps(lastYear, 2, 91, today),
          ...quarterSteps(lastYear, 3, 86.5, today),
          ...quarterSteps(lastYear, 4, 93, today),
          {
            as: 'lead',
            type: 'SUBMIT_REVIEW',
            summary: '全年召开联席会议4次、共建活动日4次。',
            problemSolved: true,
            problemResolution: '建立诉调对接工作室，诉前化解率明显提升。',
            outcomes: [{ indicator: '诉前化解率', value: 47.04, unit: '%', baseline: 38.2 }],
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
          ...agreementAndPlan(thisYear, 1, today),
          ...[1, 2, 3].filter((q) => q < quarter).flatMap((q) => quarterSteps(thisYear, q, QUARTER_SCORES[q - 1], today)),
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

    const users = await this.db.read((m) => m.find(User));
    const branches = await this.db.read((m) => m.find(Branch));
    const partners = await this.db.read((m) => m.find(Partner));
    const byName = (name: string) => users.find((u) => u.username === name)!;
    const branchId = (name: string) => branches.find((b) => b.name === name)!.id;
    let created = 0;
    for (const plan of plans) {
      const lead = byName(plan.lead);
      const liaison = plan.lead === 'secretary' ? byName('member') : lead;
      const pairing = await this.pairings.create(lead as RequestUser, {
        year: plan.year,
        title: plan.title,
        theme: plan.theme,
        problem: plan.problem,
        partnerIds: plan.partners.map((name) => partners.find((p) => p.name === name)!.id),
        coBranchIds: (plan.coBranches ?? []).map(branchId),
        categories: ['organization', 'activity', 'project'],
        liaisonUserId: liaison.id,
      });
      for (const { as, ...event } of plan.steps) {
        const actor = as === 'lead' ? lead : as === 'member' ? liaison : byName(as);
        await this.pairings.send(pairing.id, actor as RequestUser, event);
      }
      created++;
    }
    return created;
  }
}
