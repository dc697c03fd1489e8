import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, Max, Min } from 'class-validator';
import { ACTIVITY_KINDS, ActivityKind, ActivityPayload, quarterOf } from '../../../workflows';
import { OptionalText, RequiredText } from '../../common/validators';
import { IsCalendarDate } from '../date.validators';
import type { Activity } from '../records.entity';
import { AttachmentIds, EventHandler, EventWithOptionalComment, EventWithRequiredComment, replaced } from './event-handler';
import { evidenceFacts, linkEvidence } from './evidence';

export class ActivityEventDto extends EventWithOptionalComment implements ActivityPayload {
  @ApiProperty({ enum: ACTIVITY_KINDS }) @IsIn(ACTIVITY_KINDS) kind!: ActivityKind;
  @ApiProperty({ example: '2026-04-18' }) @IsCalendarDate() heldOn!: string;
  @RequiredText(200, 'Title of the activity', '基层诉源治理大调研联席会议') title!: string;
  @OptionalText(200, 'Where it was held') location?: string;
  @ApiProperty({ minimum: 1 }) @IsInt() @Min(1) @Max(100000) participants!: number;
  @ApiProperty({ minimum: 0 }) @IsInt() @Min(0) @Max(100000) partnerParticipants!: number;
  @RequiredText(10000, 'What was done (活动记录)') summary!: string;
  @AttachmentIds() attachmentIds?: number[];
}

export class VoidActivityEventDto extends EventWithRequiredComment {
  @ApiProperty({ description: 'The activity to void' }) @IsInt() activityId!: number;
}

/** Activities in the order a pairing shows them: by the day they were held. */
const byDay = (a: Activity, b: Activity) => (a.heldOn < b.heldOn ? -1 : a.heldOn > b.heldOn ? 1 : a.id - b.id);

/** 活动登记: counts in the quarter that contains the day it was held. */
export const RECORD_ACTIVITY: EventHandler<'RECORD_ACTIVITY'> = {
  payload: ActivityEventDto,
  facts: (context) => evidenceFacts(context, context.payload.attachmentIds),
  write: async (context) => {
    const { m, repository, pairing, records, payload, actorId, now, facts } = context;
    const evidence = await linkEvidence(context, facts);
    const row = {
      pairingId: pairing.id,
      quarter: quarterOf(payload.heldOn),
      kind: payload.kind,
      heldOn: payload.heldOn,
      title: payload.title,
      location: payload.location ?? null,
      participants: payload.participants,
      partnerParticipants: payload.partnerParticipants,
      summary: payload.summary,
      attachmentIds: evidence.attachmentIds,
      voided: false,
      voidComment: null,
      voidedBy: null,
      voidedAt: null,
      recordedBy: actorId ?? 0,
      createdAt: now,
    };
    const id = await repository.activities.insert(m, row);
    return {
      audit: { ...payload, ...evidence, activityId: id, quarter: row.quarter },
      records: { ...records, activities: [...records.activities, { id, ...row }].sort(byDay) },
    };
  },
};

/** 作废活动: the activity stays on record, marked void, and no longer counts. */
export const VOID_ACTIVITY: EventHandler<'VOID_ACTIVITY'> = {
  payload: VoidActivityEventDto,
  facts: ({ records, payload }) => {
    const activity = records.activities.find((a) => a.id === payload.activityId);
    return { activity: activity ? { quarter: activity.quarter, voided: activity.voided } : null };
  },
  write: async ({ m, repository, pairing, records, payload, comment, actorId, now }) => {
    const activity = records.activities.find((a) => a.id === payload.activityId)!;
    const changes = { voided: true, voidComment: comment, voidedBy: actorId ?? 0, voidedAt: now };
    await repository.activities.update(m, changes, '`id` = ? AND `pairing_id` = ?', [activity.id, pairing.id]);
    return { audit: payload, records: { ...records, activities: replaced(records.activities, activity, { ...activity, ...changes }) } };
  },
};
