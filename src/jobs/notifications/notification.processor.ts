import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DatabaseService } from '../../database/database.service';
import { NewNotification, NotificationsService } from '../../notifications/notifications.service';
import { Pairing } from '../../workflow-engine/pairing.entity';
import { User } from '../../identity/user.entity';
import { EVENT_LABELS, labelOf, STATE_LABELS } from '../../../workflows';
import { PairingEventJob } from './pairing-event.job';

const DECISIONS = ['APPROVE', 'RETURN', 'REJECT', 'ACCEPT_PLAN', 'SCORE_QUARTER', 'APPROVE_REVIEW'];
/** Leaders are copied (抄送) on these. */
const LEADER_COPIES = ['APPROVE', 'REJECT', 'TERMINATE', 'APPROVE_REVIEW'];
const SECRETARY_TOLD = ['TERMINATE', 'QUARTER_OVERDUE', 'WITHDRAW'];

/**
 * Tells people what a transition means for them. Idempotent: each notification's dedupe key is
 * (pairing, seq, recipient, reason), so a replayed job creates nothing new.
 */
@Injectable()
export class NotificationProcessor {
  constructor(
    private readonly db: DatabaseService,
    private readonly notifications: NotificationsService,
  ) {}

  async process(job: PairingEventJob): Promise<number> {
    return this.db.transaction(async (m) => {
      const pairing = await m.findOne(Pairing, { where: { id: job.pairingId } });
      if (!pairing) return 0;
      const recipients = await this.recipients(m, job, pairing);
      const label = labelOf(EVENT_LABELS, job.type);
      const items: NewNotification[] = recipients.map(({ user, reason }) => ({
        userId: user.id,
        pairingId: pairing.id,
        kind: reason,
        title: titleFor(reason, pairing, label),
        body: `${pairing.code}「${pairing.title}」：${label}，当前状态：${labelOf(STATE_LABELS, job.toState)}。`,
        dedupeKey: `event:${job.pairingId}:${job.seq}:${user.id}:${reason}`,
      }));
      return this.notifications.deliver(m, items);
    });
  }

  private async recipients(m: EntityManager, job: PairingEventJob, pairing: Pairing) {
    const out: { user: User; reason: string }[] = [];
    const add = (users: User[], reason: string) => users.filter((u) => u.id !== job.actorId).forEach((user) => out.push({ user, reason }));
    const committee = () => this.notifications.usersWithRole(m, 'committee');
    const secretaries = () => this.notifications.secretariesOf(m, pairing.leadBranchId);

    if (job.type === 'URGE') add(await committee(), 'URGED');
    else if (job.fromState !== job.toState && job.waitsOn)
      add(job.waitsOn === 'committee' ? await committee() : await secretaries(), 'WAITING');
    if (DECISIONS.includes(job.type) && job.submitterId) {
      const submitter = await m.findOne(User, { where: { id: Number(job.submitterId), active: true } });
      if (submitter) add([submitter], 'DECISION');
    }
    if (SECRETARY_TOLD.includes(job.type)) add(await secretaries(), job.type === 'QUARTER_OVERDUE' ? 'OVERDUE' : 'DECISION');
    if (job.type === 'QUARTER_OVERDUE') add(await committee(), 'OVERDUE');
    if (LEADER_COPIES.includes(job.type)) add(await this.notifications.usersWithRole(m, 'leader'), 'COPY');
    // One notification per person and reason.
    return out.filter((r, i) => out.findIndex((o) => o.user.id === r.user.id && o.reason === r.reason) === i);
  }
}

function titleFor(reason: string, pairing: Pairing, label: string): string {
  switch (reason) {
    case 'WAITING':
      return `${pairing.code} 待您处理`;
    case 'URGED':
      return `${pairing.code} 催办：请尽快处理`;
    case 'DECISION':
      return `${pairing.code} ${label}`;
    case 'OVERDUE':
      return `${pairing.code} 季度报告已逾期`;
    case 'COPY':
      return `抄送：${pairing.code} ${label}`;
    default:
      return `${pairing.code} ${label}`;
  }
}
