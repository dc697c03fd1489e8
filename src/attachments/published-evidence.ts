import type { EntityManager } from 'typeorm';
import type { RequestUser } from '../identity/current-user.decorator';

/**
 * Whether an attachment has been published beyond its pairing (a good practice's photo) and this user may
 * read it there. Asked by the download when the pairing itself is out of the user's sight; the practices
 * implement it, so the imports stay one way.
 */
export abstract class PublishedEvidence {
  abstract canRead(m: EntityManager, user: RequestUser, attachmentId: number): Promise<boolean>;
}

/** Nothing is published beyond its pairing. */
export class NothingPublished extends PublishedEvidence {
  canRead(): Promise<boolean> {
    return Promise.resolve(false);
  }
}
