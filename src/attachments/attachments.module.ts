import { DynamicModule, Module, Type } from '@nestjs/common';
import { AttachmentStore } from './attachment-store';
import { AttachmentsController } from './attachments.controller';
import { AttachmentsRepository } from './attachments.repository';
import { AttachmentsService } from './attachments.service';
import { PairingVisibility } from './pairing-visibility';
import { UploadInterceptor } from './upload.interceptor';

@Module({})
export class AttachmentsModule {
  /** `visibility` answers who may see a linked attachment; the composition root supplies it. */
  static forRoot(options: { imports: DynamicModule['imports']; visibility: Type<PairingVisibility> }): DynamicModule {
    return {
      module: AttachmentsModule,
      imports: options.imports,
      controllers: [AttachmentsController],
      providers: [
        AttachmentsService,
        AttachmentsRepository,
        AttachmentStore,
        UploadInterceptor,
        { provide: PairingVisibility, useExisting: options.visibility },
      ],
      exports: [AttachmentStore],
    };
  }
}
