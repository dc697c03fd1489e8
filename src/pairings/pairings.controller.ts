import { CourtScope } from '../identity/court-scope';
import { Reach, Scope } from '../identity/scope.decorator';
import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { IdPipe } from '../common/id.pipe';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { PAIRING_EVENT_TYPES } from '../../workflows';
import { CurrentUser, RequestUser } from '../identity/current-user.decorator';
import { Roles } from '../identity/roles.decorator';
import { CreatePairingDto, ListPairingsQuery, UpdatePairingDto } from './pairings.dto';
import { PairingsService } from './pairings.service';

const etag = (res: Response, body: { version: number }) => {
  res.setHeader('ETag', `"${body.version}"`);
  return body;
};

@ApiTags('pairings')
@ApiBearerAuth()
@Controller('pairings')
export class PairingsController {
  constructor(private readonly pairings: PairingsService) {}

  @Post()
  @Roles('secretary', 'committee')
  @ApiOperation({ summary: 'Draft a pairing: a secretary for their own branch (voluntary), the committee for any branch (directed)' })
  async create(@CurrentUser() user: RequestUser, @Body() body: CreatePairingDto, @Res({ passthrough: true }) res: Response) {
    return etag(res, await this.pairings.create(user, body));
  }

  @Get()
  @ApiOperation({ summary: 'Pairings this user may see, filtered and paged' })
  list(@CurrentUser() user: RequestUser, @Query() query: ListPairingsQuery, @Scope() scope: CourtScope) {
    return this.pairings.list(user, query, scope);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One pairing with its records and the events this user may send now; ETag is its version' })
  async get(
    @CurrentUser() user: RequestUser,
    @Param('id', IdPipe) id: number,
    @Reach() reach: CourtScope,
    @Res({ passthrough: true }) res: Response,
  ) {
    return etag(res, await this.pairings.get(user, id, reach));
  }

  // No @Roles: 404 for a pairing this user cannot see comes before 403 (SPEC §5), so the service asks who may edit.
  @Patch(':id')
  @ApiHeader({ name: 'If-Match', required: false, description: '"<version>" from the ETag' })
  @ApiOperation({ summary: 'Edit the proposal while draft or returned (lead branch secretary)' })
  async update(
    @CurrentUser() user: RequestUser,
    @Param('id', IdPipe) id: number,
    @Body() body: UpdatePairingDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    return etag(res, await this.pairings.update(user, id, body, ifMatch));
  }

  @Post(':id/events')
  @HttpCode(200)
  @ApiHeader({ name: 'If-Match', required: false, description: '"<version>"; a mismatch is answered 412' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Replays the first response for the same key and body' })
  @ApiBody({
    description: 'The event: `type` plus its payload fields at the top level (see SPEC §5)',
    schema: {
      type: 'object',
      required: ['type'],
      properties: { type: { type: 'string', enum: [...PAIRING_EVENT_TYPES] }, comment: { type: 'string' } },
      additionalProperties: true,
    },
  })
  @ApiOperation({ summary: 'Send a lifecycle event' })
  async send(
    @CurrentUser() user: RequestUser,
    @Param('id', IdPipe) id: number,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Reach() reach: CourtScope,
    @Res({ passthrough: true }) res: Response,
  ) {
    const result = await this.pairings.send(id, user, body, { ifMatch, idempotencyKey, reach });
    res.status(result.status);
    return etag(res, result.body);
  }

  @Get(':id/history')
  @ApiOperation({ summary: 'The pairing’s audit events, oldest first, exactly as hashed' })
  history(@CurrentUser() user: RequestUser, @Param('id', IdPipe) id: number, @Reach() reach: CourtScope) {
    return this.pairings.history(user, id, reach);
  }

  @Get(':id/people')
  @ApiOperation({ summary: 'Display names of the users in the pairing’s history' })
  people(@CurrentUser() user: RequestUser, @Param('id', IdPipe) id: number, @Reach() reach: CourtScope) {
    return this.pairings.people(user, id, reach);
  }
}
