import { ApiProperty } from '@nestjs/swagger';
import { IsInt } from 'class-validator';
import type { MigratePayload } from '../../../workflows';
import { EventHandler, EventWithRequiredComment } from './event-handler';

export class MigrateEventDto extends EventWithRequiredComment implements MigratePayload {
  @ApiProperty({ example: 2, description: 'The workflow version to move the pairing to' }) @IsInt() toVersion!: number;
}

/**
 * 迁移流程版本 (SPEC §12): the committee moves a pairing to a newer machine version, state and context as they
 * are. The audit event says from which version to which; the row's workflowVersion follows.
 */
export const MIGRATE_WORKFLOW: EventHandler<'MIGRATE_WORKFLOW'> = {
  payload: MigrateEventDto,
  write: ({ pairing, payload }) => ({
    audit: { fromVersion: pairing.workflowVersion, toVersion: payload.toVersion },
    pairing: { workflowVersion: payload.toVersion },
  }),
};
