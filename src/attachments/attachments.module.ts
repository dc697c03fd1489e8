import { DynamicModule, Module, Type } from '@nestjs/common';
import { AttachmentStore } from './attachment-store';
import { AttachmentsController } from './attachments.controller';
import { AttachmentsRepository } from './attachments.repository';
import { AttachmentsService } from './attachments.service';
import { PairingVisibility } from './pairing-visibility';
import { NothingPublished, PublishedEvidence } from './published-evidence';
import { UploadInterceptor } from './upload.interceptor';

@Module({})
export class AttachmentsModule {
  /**
   * `visibility` answers who may see a linked attachment, `published` who may read one published beyond its
   * pairing (a good practice's photos); the composition root supplies them.
   */
  static forRoot(options: {
    imports: DynamicModule['imports'];
    visibility: Type<PairingVisibility>;
    published?: Type<PublishedEvidence>;
  }): DynamicModule {
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
        options.published
          ? { provide: PublishedEvidence, useExisting: options.published }
          : { provide: PublishedEvidence, useClass: NothingPublished },
      ],
      exports: [AttachmentStore],
    };
  }
}
