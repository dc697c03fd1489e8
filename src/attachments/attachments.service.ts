import { openAsBlob } from 'node:fs';
import { Clock } from '../common/clock';
import { Injectable } from '@nestjs/common';
import { fileTypeFromBlob } from 'file-type/core';
import type { RequestUser } from '../identity/current-user.decorator';
import { CourtScope } from '../identity/court-scope';
import { NotFoundError, ValidationFailedError } from '../common/errors';
import { DatabaseService } from '../database/database.service';
import { UnsupportedMediaTypeError } from './attachment.errors';
import { Attachment } from './attachment.entity';
import { AttachmentStore, IncomingFile } from './attachment-store';
import { AttachmentsRepository } from './attachments.repository';
import { PairingVisibility } from './pairing-visibility';
import { PublishedEvidence } from './published-evidence';
import { allowedType, storedFilename } from './file-rules';
import { UPLOAD_FIELD } from './upload.interceptor';

export interface AttachmentView {
  id: number;
  filename: string;
  size: number;
  sha256: string;
  mime: string;
}

export interface AttachmentDownload {
  filename: string;
  mime: string;
  size: number;
  stream: ReturnType<AttachmentStore['open']>;
}

const view = (a: Attachment): AttachmentView => ({ id: a.id, filename: a.filename, size: a.size, sha256: a.sha256, mime: a.mime });

@Injectable()
export class AttachmentsService {
  constructor(
    private readonly db: DatabaseService,
    private readonly repository: AttachmentsRepository,
    private readonly store: AttachmentStore,
    private readonly visibility: PairingVisibility,
    private readonly published: PublishedEvidence,
    private readonly clock: Clock,
  ) {}

  async upload(user: RequestUser, file: IncomingFile | undefined): Promise<AttachmentView> {
    if (!file) {
      throw new ValidationFailedError(
        [{ field: UPLOAD_FIELD, messages: [`Send the document as multipart/form-data in the field "${UPLOAD_FIELD}".`] }],
        'No file was uploaded.',
      );
    }
    try {
      if (file.size === 0) throw new ValidationFailedError([{ field: UPLOAD_FIELD, messages: ['The file is empty.'] }]);
      const type = allowedType((await fileTypeFromBlob(await openAsBlob(file.path)))?.mime);
      if (!type) throw new UnsupportedMediaTypeError();
      await this.store.keep(file);
      const row = await this.db.transaction((m) =>
        this.repository.insert(m, {
          sha256: file.sha256,
          filename: storedFilename(file.originalname, type),
          mime: type.mime,
          size: file.size,
          courtId: user.courtId,
          uploadedBy: user.id,
          pairingId: null,
          createdAt: this.clock.now().toISOString(),
        }),
      );
      return view(row);
    } finally {
      // Gone already when kept; an upload refused above is removed here.
      await this.store.discard(file.path);
    }
  }

  /**
   * The uploader sees an attachment until an event links it to a pairing; from then on whoever sees the
   * pairing (a supervisor: of a pairing in a court below theirs too, as it reads that pairing), and — once it is a
   * published good practice's photo — whoever may read that practice.
   */
  async download(user: RequestUser, id: number, reach: CourtScope = CourtScope.own(user)): Promise<AttachmentDownload> {
    const attachment = await this.db.read(async (m) => {
      const found = await this.repository.findById(m, id);
      if (!found) return null;
      if (found.pairingId === null) return found.uploadedBy === user.id ? found : null;
      if (await this.visibility.canSee(m, user, found.pairingId, reach)) return found;
      return (await this.published.canRead(m, user, found.id)) ? found : null;
    });
    if (!attachment) throw new NotFoundError('The attachment');
    const size = await this.store.sizeOf(this.store.pathOf(attachment.sha256));
    if (size === null) throw new NotFoundError('The stored file of this attachment');
    return { filename: attachment.filename, mime: attachment.mime, size, stream: this.store.open(attachment.sha256) };
  }
}
