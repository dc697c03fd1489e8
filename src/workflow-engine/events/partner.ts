import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import type { ConfirmActivityPayload, CountersignPayload, EvaluatePayload, FieldProblem, PartnerActFacts } from '../../../workflows';
import type { PairingRecords } from '../pairings.repository';
import { AttachmentIds, EventContext, EventHandler, EventWithOptionalComment, EventWithRequiredComment } from './event-handler';
import { evidenceFacts, linkEvidence } from './evidence';

export class CountersignEventDto extends EventWithOptionalComment implements CountersignPayload {
  @ApiPropertyOptional({ description: 'Only when the lead secretary records a paper countersignature: the partner it is for' })
  @IsOptional()
  @IsInt()
  partnerId?: number;

  @AttachmentIds() attachmentIds?: number[];
}

export class ConfirmActivityEventDto extends EventWithOptionalComment implements ConfirmActivityPayload {
  @ApiProperty({ description: 'The activity the partner took part in' }) @IsInt() activityId!: number;
}

export class EvaluateEventDto extends EventWithRequiredComment implements EvaluatePayload {
  @ApiProperty({ minimum: 1, maximum: 5, description: 'How the partner rates the partnership, 1–5' })
  @IsInt()
  @Min(1)
  @Max(5)
  rating!: number;
}

/** What this partner has done on the pairing so far. */
export function partnerActs(records: Pick<PairingRecords, 'countersignatures' | 'evaluations'>, partnerId: number | null): PartnerActFacts {
  return {
    countersigned: records.countersignatures.some((c) => c.partnerId === partnerId),
    evaluated: records.evaluations.some((e) => e.partnerId === partnerId),
  };
}

/** Whether this partner confirmed it took part in this activity (双方确认). */
export function confirmedBy(
  records: Pick<PairingRecords, 'confirmations'>,
  partnerId: number | null,
  activityId: number | undefined,
): boolean {
  return records.confirmations.some((c) => c.activityId === activityId && c.partnerId === partnerId);
}

/** The partner a countersignature is for: the sender's own, or the one the secretary names for a paper copy. */
function countersignedFor(context: EventContext<'COUNTERSIGN_AGREEMENT'>): number | null {
  return context.actorPartnerId ?? context.payload.partnerId ?? null;
}

/** The partner an event speaks for; only partner users send these, so it is set (the engine checked the role). */
function ownPartner(context: EventContext<'CONFIRM_ACTIVITY' | 'EVALUATE_PARTNERSHIP'>): number {
  if (context.actorPartnerId === null) throw new Error('A partner event reached its writer without the partner it speaks for');
  return context.actorPartnerId;
}

/**
 * 共建单位会签 (SPEC §12): a partner's user countersigns for their own organisation; a partner without an account
 * loses nothing, the lead secretary records its paper countersignature with the signed scan.
 */
export const COUNTERSIGN_AGREEMENT: EventHandler<'COUNTERSIGN_AGREEMENT'> = {
  payload: CountersignEventDto,
  check: ({ actorPartnerId, pairing, payload }) => {
    const problems: FieldProblem[] = [];
    if (actorPartnerId !== null) {
      if (payload.partnerId !== undefined && payload.partnerId !== actorPartnerId) {
        problems.push({ field: 'partnerId', messages: ['a partner countersigns for its own organisation only'] });
      }
      return problems;
    }
    if (payload.partnerId === undefined) {
      problems.push({ field: 'partnerId', messages: ['partnerId must name the partner whose paper countersignature this is'] });
    } else if (!pairing.partnerIds.includes(payload.partnerId)) {
      problems.push({ field: 'partnerId', messages: ['partnerId must be one of the pairing’s partners'] });
    }
    if (!payload.attachmentIds?.length) {
      problems.push({ field: 'attachmentIds', messages: ['a paper countersignature needs at least one attachment: the signed scan'] });
    }
    return problems;
  },
  facts: async (context) => ({
    partner: partnerActs(context.records, countersignedFor(context)),
    ...(await evidenceFacts(context, context.payload.attachmentIds)),
  }),
  write: async (context) => {
    const { m, repository, pairing, records, comment, actorId, actorPartnerId, now, facts } = context;
    const evidence = await linkEvidence(context, facts);
    const row = {
      pairingId: pairing.id,
      partnerId: countersignedFor(context)!,
      paper: actorPartnerId === null,
      attachmentIds: evidence.attachmentIds,
      comment,
      countersignedBy: actorId ?? 0,
      countersignedAt: now,
    };
    const id = await repository.countersignatures.insert(m, row);
    return {
      audit: { partnerId: row.partnerId, paper: row.paper, ...evidence },
      records: { ...records, countersignatures: [...records.countersignatures, { id, ...row }] },
    };
  },
};

/** 双方确认: the partner confirms it took part in an activity (a void one cannot be confirmed). */
export const CONFIRM_ACTIVITY: EventHandler<'CONFIRM_ACTIVITY'> = {
  payload: ConfirmActivityEventDto,
  facts: (context) => {
    const { records, payload } = context;
    const activity = records.activities.find((a) => a.id === payload.activityId);
    const partnerId = ownPartner(context);
    return { activity: activity ? { voided: activity.voided, confirmed: confirmedBy(records, partnerId, payload.activityId) } : null };
  },
  write: async (context) => {
    const { m, repository, pairing, records, payload, comment, actorId, now } = context;
    const row = {
      pairingId: pairing.id,
      activityId: payload.activityId,
      partnerId: ownPartner(context),
      comment,
      confirmedBy: actorId ?? 0,
      confirmedAt: now,
    };
    const id = await repository.confirmations.insert(m, row);
    return {
      audit: { activityId: row.activityId, partnerId: row.partnerId },
      records: { ...records, confirmations: [...records.confirmations, { id, ...row }] },
    };
  },
};

/** 共建单位评价: once per partner, while the year is reviewed; the committee reads it when it scores the review. */
export const EVALUATE_PARTNERSHIP: EventHandler<'EVALUATE_PARTNERSHIP'> = {
  payload: EvaluateEventDto,
  facts: (context) => ({ partner: partnerActs(context.records, ownPartner(context)) }),
  write: async (context) => {
    const { m, repository, pairing, records, payload, comment, actorId, now } = context;
    const row = {
      pairingId: pairing.id,
      partnerId: ownPartner(context),
      rating: payload.rating,
      comment: comment ?? '',
      evaluatedBy: actorId ?? 0,
      evaluatedAt: now,
    };
    const id = await repository.evaluations.insert(m, row);
    return {
      audit: { rating: row.rating, partnerId: row.partnerId },
      records: { ...records, evaluations: [...records.evaluations, { id, ...row }] },
    };
  },
};
