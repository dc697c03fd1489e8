import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PAIRING_EVENT_TYPES, PAIRING_STATES, PAIRING_WORKFLOW_VERSION, pairingMachine, pairingMermaid } from '../../workflows';

@ApiTags('workflows')
@ApiBearerAuth()
@Controller('workflows')
export class WorkflowsController {
  @Get('pairing')
  @ApiOperation({ summary: 'The pairing lifecycle: version, states, events and a Mermaid diagram generated from the machine' })
  pairing() {
    return {
      version: PAIRING_WORKFLOW_VERSION,
      states: PAIRING_STATES,
      events: PAIRING_EVENT_TYPES,
      mermaid: pairingMermaid(pairingMachine),
    };
  }
}
