import { Controller, Get, Param, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { contentDisposition } from '../attachments/file-rules';
import { IdPipe } from '../common/id.pipe';
import { CourtScope } from '../identity/court-scope';
import { CurrentUser, RequestUser } from '../identity/current-user.decorator';
import { Roles } from '../identity/roles.decorator';
import { Reach } from '../identity/scope.decorator';
import { ArchiveQuery } from './dossier.dto';
import { DossierService, ZipDownload } from './dossier.service';
import { RevisionsService } from './revisions.service';

const zipFile = ({ filename, fallbackFilename, stream }: ZipDownload) =>
  new StreamableFile(stream, { type: 'application/zip', disposition: contentDisposition(filename, fallbackFilename) });

@ApiTags('pairings')
@ApiBearerAuth()
@Controller('pairings')
export class PairingRecordController {
  constructor(
    private readonly revisions: RevisionsService,
    private readonly dossiers: DossierService,
  ) {}

  @Get(':id/revisions')
  @ApiOperation({ summary: 'Each submitted revision of the proposal, with the fields changed since the one before (old and new)' })
  list(@CurrentUser() user: RequestUser, @Param('id', IdPipe) id: number, @Reach() reach: CourtScope) {
    return this.revisions.revisions(user, id, reach);
  }

  @Get(':id/dossier')
  @Roles('auditor', 'committee', 'leader', 'supervisor', 'secretary')
  @ApiProduces('application/zip')
  @ApiOperation({
    summary:
      '档案: summary.docx, evidence/ with manifest.csv, audit/chain.jsonl with a signed checkpoint and the public key, verify.mjs, README.txt — streamed ZIP',
  })
  async dossier(@CurrentUser() user: RequestUser, @Param('id', IdPipe) id: number, @Reach() reach: CourtScope) {
    return zipFile(await this.dossiers.dossier(user, id, reach));
  }
}

@ApiTags('reports')
@ApiBearerAuth()
@Controller('reports')
export class ArchiveController {
  constructor(private readonly dossiers: DossierService) {}

  @Get('archive')
  @Roles('auditor', 'committee')
  @ApiProduces('application/zip')
  @ApiOperation({ summary: '年度归档: the dossier of every pairing of the year, whatever its state, one folder each — streamed ZIP' })
  async archive(@CurrentUser() user: RequestUser, @Query() query: ArchiveQuery) {
    return zipFile(await this.dossiers.archive(user, query.year));
  }
}
