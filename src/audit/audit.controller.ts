import { Body, Controller, Get, HttpCode, Post, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Roles } from '../identity/roles.decorator';
import { AuditEventsQueryDto, ExportQueryDto, VerifyCheckpointDto, VerifyQueryDto } from './audit.dto';
import { AuditTrailService } from './audit-trail.service';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(private readonly trail: AuditTrailService) {}

  @Get('events')
  @Roles('auditor', 'committee', 'leader')
  @ApiOperation({ summary: 'Audit events, ordered by chain then seq, each exactly as hashed' })
  events(@Query() query: AuditEventsQueryDto) {
    return this.trail.listEvents(query);
  }

  @Get('verify')
  @Roles('auditor', 'committee', 'leader')
  @ApiOperation({ summary: 'Recompute every link of every chain (or of one) and name the first broken seq of each' })
  verify(@Query() query: VerifyQueryDto) {
    return this.trail.verify(query);
  }

  @Post('verify')
  @HttpCode(200)
  @Roles('auditor', 'committee', 'leader')
  @ApiOperation({ summary: 'Verify the chains and compare them with a signed checkpoint: truncated or rewritten since?' })
  verifyCheckpoint(@Body() body: VerifyCheckpointDto) {
    return this.trail.verifyCheckpoint(body.checkpoint);
  }

  @Get('export')
  @Roles('auditor')
  @ApiProduces('text/csv', 'application/x-ndjson')
  @ApiOperation({
    summary: 'The audit trail (or what the filters select), streamed: CSV for people, or format=jsonl exactly as hashed',
  })
  async export(@Query() query: ExportQueryDto) {
    const { filename, mime, stream } = await this.trail.export(query);
    return new StreamableFile(stream, { type: mime, disposition: `attachment; filename="${filename}"` });
  }

  @Get('checkpoint')
  @Roles('auditor')
  @ApiOperation({ summary: 'The head of every chain, signed with the server’s Ed25519 key' })
  checkpoint() {
    return this.trail.checkpoint();
  }
}
