import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsInt, ValidateIf, ValidateNested } from 'class-validator';
import type { LiaisonsPayload, PartnerLiaison } from '../../../workflows';
import { canonicalJson } from '../../audit/canonical-json';
import { Omittable, RequiredText } from '../../common/validators';
import { EventHandler, EventWithOptionalComment } from './event-handler';

export class PartnerLiaisonDto implements PartnerLiaison {
  @ApiProperty() @IsInt() partnerId!: number;
  @RequiredText(50, 'Liaison name', '张联络') name!: string;
  @RequiredText(30, 'Phone', '0573-85000000') phone!: string;
}

/** Each side names one liaison (各确定1名联络员): a partner appears at most once in partnerLiaisons. */
export const OneLiaisonPerPartner = () =>
  ArrayUnique((liaison: Partial<PartnerLiaison> | null) => liaison?.partnerId, {
    message: 'each partner names one liaison: a partnerId may appear only once',
  });

export class LiaisonsEventDto extends EventWithOptionalComment implements LiaisonsPayload {
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'A user of the lead branch' })
  @ValidateIf((_, v) => v !== null && v !== undefined)
  @IsInt()
  liaisonUserId?: number | null;

  @ApiPropertyOptional({ type: [PartnerLiaisonDto], description: 'Replaces the whole list (one liaison per partner)' })
  @Omittable()
  @IsArray()
  @OneLiaisonPerPartner()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => PartnerLiaisonDto)
  partnerLiaisons?: PartnerLiaisonDto[];
}

/** What UPDATE_LIAISONS may change, by the API's names. */
const LIAISON_FIELDS = ['liaisonUserId', 'partnerLiaisons'] as const;

/** 更换联络员: a liaison who leaves is replaced mid-year; the lifecycle does not move. */
export const UPDATE_LIAISONS: EventHandler<'UPDATE_LIAISONS'> = {
  payload: LiaisonsEventDto,
  // SPEC §5: an accepted event changes something recorded; one that names no liaison asks for nothing (as PATCH's `{}`).
  check: ({ payload }) =>
    LIAISON_FIELDS.some((field) => payload[field] !== undefined)
      ? []
      : [{ field: 'body', messages: [`the request gives no liaison to change; give one or both of ${LIAISON_FIELDS.join(', ')}`] }],
  unchanged: ({ pairing, payload }) =>
    LIAISON_FIELDS.every((field) => payload[field] === undefined || canonicalJson(payload[field]) === canonicalJson(pairing[field])),
  facts: async ({ m, repository, pairing, payload }) => {
    let liaisonFits = true;
    if (payload.liaisonUserId !== undefined && payload.liaisonUserId !== null) {
      const liaison = await repository.userStanding(m, payload.liaisonUserId);
      liaisonFits = Boolean(liaison?.active && liaison.branchId === pairing.leadBranchId);
    }
    const partnerLiaisonsFit = (payload.partnerLiaisons ?? []).every((l) => pairing.partnerIds.includes(l.partnerId));
    return { liaisonFits, partnerLiaisonsFit };
  },
  write: ({ payload }) => ({
    audit: payload,
    pairing: {
      ...(payload.liaisonUserId !== undefined ? { liaisonUserId: payload.liaisonUserId } : {}),
      ...(payload.partnerLiaisons !== undefined ? { partnerLiaisons: payload.partnerLiaisons } : {}),
    },
  }),
};
