import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, RequestHandler, Response } from 'express';
import multer, { MulterError } from 'multer';
import { Observable } from 'rxjs';
import { ValidationFailedError } from '../common/errors';
import { PayloadTooLargeError } from './attachment.errors';
import { AttachmentStore } from './attachment-store';
import { MAX_UPLOAD_BYTES } from './file-rules';

export const UPLOAD_FIELD = 'file';

/**
 * Reads the multipart body (one file in the field `file`, at most 20 MB) into the attachment store's
 * incoming folder. Runs after the auth guard, so nothing is written for a caller who may not upload.
 * Every refusal leaves as a domain error, never a 500.
 */
@Injectable()
export class UploadInterceptor implements NestInterceptor {
  private readonly upload: RequestHandler;

  constructor(store: AttachmentStore) {
    this.upload = multer({
      storage: store.engine(),
      limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 20, parts: 21, fieldSize: 64 * 1024, headerPairs: 100 },
      // Browsers send filename="证据.pdf" as raw UTF-8 bytes; busboy's default would read them as latin1.
      defParamCharset: 'utf8',
    }).single(UPLOAD_FIELD);
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    await new Promise<void>((resolve, reject) =>
      this.upload(http.getRequest<Request>(), http.getResponse<Response>(), (error?: unknown) =>
        error ? reject(toDomainError(error)) : resolve(),
      ),
    );
    return next.handle();
  }
}

function toDomainError(error: unknown): unknown {
  if (error instanceof MulterError) {
    if (error.code === 'LIMIT_FILE_SIZE') return new PayloadTooLargeError();
    const message =
      error.code === 'LIMIT_UNEXPECTED_FILE' || error.code === 'LIMIT_FILE_COUNT'
        ? `Send exactly one file, in the form field "${UPLOAD_FIELD}".`
        : `The upload form is not acceptable: ${error.message}.`;
    return new ValidationFailedError([{ field: UPLOAD_FIELD, messages: [message] }], message);
  }
  // busboy's parse errors ("Unexpected end of form", "Malformed part header", a missing boundary …).
  const message = error instanceof Error ? error.message : '';
  if (/form|part|boundary|multipart|header/i.test(message)) {
    return new ValidationFailedError([{ field: UPLOAD_FIELD, messages: ['The request is not a valid multipart/form-data upload.'] }]);
  }
  return error;
}
