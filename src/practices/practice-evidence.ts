import { CourtScope } from '../identity/court-scope';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PublishedEvidence } from '../attachments/published-evidence';
import type { RequestUser } from '../identity/current-user.decorator';
import { mayReadPractices } from './practice-access';
import { PracticesRepository } from './practices.repository';

/** A published practice's photos are readable by everyone who may read the practice. */
@Injectable()
export class PracticeEvidence extends PublishedEvidence {
  constructor(private readonly repository: PracticesRepository) {
    super();
  }

  async canRead(m: EntityManager, user: RequestUser, attachmentId: number): Promise<boolean> {
    return mayReadPractices(user) && (await this.repository.isPublishedPhoto(m, CourtScope.own(user), attachmentId));
  }
}
