import { CourtScope } from '../identity/court-scope';
import { Scope } from '../identity/scope.decorator';
import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IdPipe } from '../common/id.pipe';
import { Roles } from '../identity/roles.decorator';
import { OutboxStatus } from '../outbox/outbox.status';

@ApiTags('jobs')
@ApiBearerAuth()
@Controller('jobs')
export class JobsController {
  constructor(private readonly outbox: OutboxStatus) {}

  @Get('outbox')
  @Roles('admin')
  @ApiOperation({ summary: 'Pending and parked outbox rows (side effects not yet recorded)' })
  async show(@Scope() scope: CourtScope) {
    return { ...(await this.outbox.summary(scope)), parkedRows: await this.outbox.parkedRows(scope) };
  }

  @Post('outbox/:id/retry')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Make a parked outbox row due again, once its cause is fixed' })
  retry(@Param('id', IdPipe) id: number, @Scope() scope: CourtScope) {
    return this.outbox.retry(scope, id);
  }
}
