import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IdPipe } from '../common/id.pipe';
import { CurrentUser, RequestUser } from '../identity/current-user.decorator';
import { RevisionsService } from './revisions.service';

@ApiTags('pairings')
@ApiBearerAuth()
@Controller('pairings')
export class PairingRecordController {
  constructor(private readonly revisions: RevisionsService) {}

  @Get(':id/revisions')
  @ApiOperation({ summary: 'Each submitted revision of the proposal, with the fields changed since the one before (old and new)' })
  list(@CurrentUser() user: RequestUser, @Param('id', IdPipe) id: number) {
    return this.revisions.revisions(user, id);
  }
}
