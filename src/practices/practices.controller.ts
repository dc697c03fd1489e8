import { CourtScope } from '../identity/court-scope';
import { Reach, Scope } from '../identity/scope.decorator';
import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IdPipe } from '../common/id.pipe';
import { CurrentUser, RequestUser } from '../identity/current-user.decorator';
import { Roles } from '../identity/roles.decorator';
import { PracticesQuery, PublishPracticeDto, WithdrawPracticeDto } from './practices.dto';
import { PracticesService } from './practices.service';

@ApiTags('practices')
@ApiBearerAuth()
@Controller('practices')
export class PracticesController {
  constructor(private readonly practices: PracticesService) {}

  @Get()
  @ApiOperation({
    summary: '好做法: the published good practices, newest first, with the pairing’s outcomes and photos (every signed-in user)',
  })
  list(@CurrentUser() user: RequestUser, @Query() query: PracticesQuery, @Scope() scope: CourtScope) {
    return this.practices.list(user, query, scope);
  }

  @Get(':id')
  @ApiOperation({
    summary: 'One good practice of a court the user reads (a withdrawn one only for the committee, auditors and leaders)',
  })
  get(@CurrentUser() user: RequestUser, @Param('id', IdPipe) id: number, @Reach() reach: CourtScope) {
    return this.practices.get(user, id, reach);
  }

  @Post()
  @Roles('committee')
  @ApiOperation({ summary: 'Publish a scored pairing as a good practice (one published per pairing); recorded as PRACTICE_PUBLISHED' })
  publish(@CurrentUser() user: RequestUser, @Body() body: PublishPracticeDto) {
    return this.practices.publish(user, body);
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  @Roles('committee')
  @ApiOperation({ summary: 'Withdraw a good practice with a reason; recorded as PRACTICE_WITHDRAWN' })
  withdraw(@CurrentUser() user: RequestUser, @Param('id', IdPipe) id: number, @Body() body: WithdrawPracticeDto) {
    return this.practices.withdraw(user, id, body);
  }
}
