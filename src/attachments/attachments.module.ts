import { Module } from '@nestjs/common';
import { AttachmentStore } from './attachment-store';
import { AttachmentsController } from './attachments.controller';
import { AttachmentsRepository } from './attachments.repository';
import { AttachmentsService } from './attachments.service';
import { UploadInterceptor } from './upload.interceptor';

@Module({
  controllers: [AttachmentsController],
  providers: [AttachmentsService, AttachmentsRepository, AttachmentStore, UploadInterceptor],
  exports: [AttachmentStore],
})
export class AttachmentsModule {}
