import { ApiProperty } from '@nestjs/swagger';
import type { AgreementPayload } from '../../../workflows';
import { RequiredText } from '../../common/validators';
import { IsCalendarDate } from '../date.validators';
import { AttachmentIds, EventHandler, EventWithOptionalComment } from './event-handler';
import { evidenceFacts, linkEvidence } from './evidence';

export class AgreementEventDto extends EventWithOptionalComment implements AgreementPayload {
  @ApiProperty({ example: '2026-01-10' }) @IsCalendarDate() signedOn!: string;
  @ApiProperty({ example: '2026-01-01' }) @IsCalendarDate() validFrom!: string;
  @ApiProperty({ example: '2026-12-31' }) @IsCalendarDate() validTo!: string;
  @RequiredText(5000, '共建目标') goals!: string;
  @RequiredText(10000, '共建内容') content!: string;
  @RequiredText(5000, '共建要求') requirements!: string;
  @AttachmentIds() attachmentIds?: number[];
}

/** 签订共建协议书: the agreement and its signed scans. */
export const SIGN_AGREEMENT: EventHandler<'SIGN_AGREEMENT'> = {
  payload: AgreementEventDto,
  facts: (context) => evidenceFacts(context, context.payload.attachmentIds),
  write: async (context) => {
    const { m, repository, pairing, records, payload, actorId, now, facts } = context;
    const evidence = await linkEvidence(context, facts);
    const row = {
      pairingId: pairing.id,
      signedOn: payload.signedOn,
      validFrom: payload.validFrom,
      validTo: payload.validTo,
      goals: payload.goals,
      content: payload.content,
      requirements: payload.requirements,
      attachmentIds: evidence.attachmentIds,
      createdBy: actorId ?? 0,
      createdAt: now,
    };
    const id = await repository.agreements.insert(m, row);
    return { audit: { ...payload, ...evidence }, records: { ...records, agreement: { id, ...row } } };
  },
};
