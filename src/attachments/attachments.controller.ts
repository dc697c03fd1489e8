import { Controller, Get, Header, Param, Post, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import { IdPipe } from '../common/id.pipe';
import { ReadsOwnBody } from '../common/json-body';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, RequestUser } from '../identity/current-user.decorator';
import { CourtScope } from '../identity/court-scope';
import { Reach } from '../identity/scope.decorator';
import { Roles } from '../identity/roles.decorator';
import type { IncomingFile } from './attachment-store';
import { AttachmentDownload, AttachmentsService } from './attachments.service';
import { contentDisposition } from './file-rules';
import { UploadInterceptor } from './upload.interceptor';

const asFile = (d: AttachmentDownload) =>
  new StreamableFile(d.stream, { type: d.mime, length: d.size, disposition: contentDisposition(d.filename) });

@ApiTags('attachments')
@ApiBearerAuth()
@Controller('attachments')
export class AttachmentsController {
  constructor(private readonly attachments: AttachmentsService) {}

  @Post()
  @ReadsOwnBody()
  @Roles('secretary', 'member', 'committee')
  @UseInterceptors(UploadInterceptor)
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiOperation({ summary: 'Upload evidence (PDF, JPG, PNG, DOCX, XLSX by content; at most 20 MB); link it by naming it in an event' })
  upload(@CurrentUser() user: RequestUser, @UploadedFile() file: IncomingFile | undefined) {
    return this.attachments.upload(user, file);
  }

  @Get(':id')
  @Header('X-Content-Type-Options', 'nosniff')
  @Header('Cache-Control', 'private, no-store')
  @ApiOperation({ summary: 'Download: the uploader until it is linked, then whoever may see its pairing' })
  async download(@CurrentUser() user: RequestUser, @Param('id', IdPipe) id: number, @Reach() reach: CourtScope) {
    return asFile(await this.attachments.download(user, id, reach));
  }
}
