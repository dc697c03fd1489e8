import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import {
  PAIRING_EVENT_TYPES,
  PAIRING_STATES,
  PAIRING_WORKFLOW_VERSION,
  PAIRING_WORKFLOWS,
  pairingMermaid,
  WORKFLOW_MIGRATIONS,
} from '../../workflows';
import { ValidationFailedError } from '../common/errors';

@ApiTags('workflows')
@ApiBearerAuth()
@Controller('workflows')
export class WorkflowsController {
  @Get('pairing')
  @ApiQuery({ name: 'version', required: false, description: 'A machine version (1, 2 …); without it, the newest' })
  @ApiOperation({ summary: 'The pairing lifecycle of one version: states, events and a Mermaid diagram generated from the machine' })
  pairing(@Query('version') version?: string) {
    const wanted = version === undefined || version === '' ? PAIRING_WORKFLOW_VERSION : Number(version);
    const workflow = PAIRING_WORKFLOWS[wanted];
    if (!Number.isInteger(wanted) || !workflow) {
      const known = Object.keys(PAIRING_WORKFLOWS).join(', ');
      throw new ValidationFailedError([{ field: 'version', messages: [`version must be one of ${known}`] }]);
    }
    const accepted = new Set(Object.keys(workflow.actors));
    if (WORKFLOW_MIGRATIONS[wanted] !== undefined) accepted.add('MIGRATE_WORKFLOW');
    return {
      version: wanted,
      newest: PAIRING_WORKFLOW_VERSION,
      versions: Object.keys(PAIRING_WORKFLOWS).map(Number),
      migratesTo: WORKFLOW_MIGRATIONS[wanted] ?? null,
      states: PAIRING_STATES,
      events: PAIRING_EVENT_TYPES.filter((type) => accepted.has(type)),
      mermaid: pairingMermaid(workflow.machine),
    };
  }
}
