import { DomainError } from '../common/errors';
import { ALLOWED_LABELS, MAX_UPLOAD_BYTES } from './file-rules';

export class PayloadTooLargeError extends DomainError {
  constructor() {
    super(413, 'PAYLOAD_TOO_LARGE', `The file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB; upload a smaller one.`);
  }
}

export class UnsupportedMediaTypeError extends DomainError {
  constructor() {
    super(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      `Only ${ALLOWED_LABELS.join(', ')} files can be uploaded, and the content of this file is none of these.`,
    );
  }
}
