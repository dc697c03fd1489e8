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
  async show() {
    return { ...(await this.outbox.summary()), parkedRows: await this.outbox.parkedRows() };
  }

  @Post('outbox/:id/retry')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Make a parked outbox row due again, once its cause is fixed' })
  retry(@Param('id', IdPipe) id: number) {
    return this.outbox.retry(id);
  }
}
