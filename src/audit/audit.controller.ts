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
  @ApiProduces('text/csv')
  @ApiOperation({ summary: 'The whole audit trail as CSV (UTF-8 with BOM), streamed' })
  export(@Query() _query: ExportQueryDto) {
    return csvFile(this.trail.exportCsv());
  }

  @Get('checkpoint')
  @Roles('auditor')
  @ApiOperation({ summary: 'The head of every chain, signed with the server’s Ed25519 key' })
  checkpoint() {
    return this.trail.checkpoint();
  }
}

const csvFile = ({ filename, stream }: ReturnType<AuditTrailService['exportCsv']>) =>
  new StreamableFile(stream, { type: 'text/csv; charset=utf-8', disposition: `attachment; filename="${filename}"` });
