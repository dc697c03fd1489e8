import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { Attachment } from '../attachments/attachment.entity';
import { User } from '../identity/user.entity';
import { Branch } from '../organisation/branch.entity';
import { Partner } from '../organisation/partner.entity';
import { Pairing } from '../workflow-engine/pairing.entity';
import { YearEndReview } from '../workflow-engine/records.entity';
import { Practice, PracticePhoto } from './practice.entity';

export type NewPractice = Omit<Practice, 'id'>;

/** Named queries on good practices and what their page shows; no rules here. */
@Injectable()
export class PracticesRepository {
  async insert(m: EntityManager, row: NewPractice, photoIds: number[]): Promise<number> {
    const result = await m.insert(Practice, row);
    const id = Number(result.identifiers[0].id);
    if (photoIds.length) {
      await m.insert(
        PracticePhoto,
        photoIds.map((attachmentId, position) => ({ practiceId: id, attachmentId, position })),
      );
    }
    return id;
  }

  findById(m: EntityManager, id: number) {
    return m.findOne(Practice, { where: { id } });
  }

  livePracticeOf(m: EntityManager, pairingId: number) {
    return m.findOne(Practice, { where: { pairingId, live: 1 } });
  }

  async withdraw(m: EntityManager, id: number, changes: Pick<Practice, 'withdrawnBy' | 'withdrawnAt' | 'withdrawComment'>) {
    await m.update(Practice, { id }, { ...changes, status: 'withdrawn', live: null });
  }

  published(m: EntityManager) {
    return m.find(Practice, { where: { status: 'published' }, order: { publishedAt: 'DESC', id: 'DESC' } });
  }

  pairings(m: EntityManager, ids: number[]) {
    if (!ids.length) return Promise.resolve([]);
    return m.find(Pairing, {
      select: {
        id: true,
        code: true,
        year: true,
        title: true,
        theme: true,
        problem: true,
        state: true,
        leadBranchId: true,
        coBranchIds: true,
        partnerIds: true,
        finalScore: true,
      },
      where: { id: In(ids) },
    });
  }

  attachments(m: EntityManager, ids: number[]) {
    if (!ids.length) return Promise.resolve([]);
    return m.find(Attachment, { where: { id: In(ids) } });
  }

  photos(m: EntityManager, practiceIds: number[]) {
    if (!practiceIds.length) return Promise.resolve([]);
    return m.find(PracticePhoto, { where: { practiceId: In(practiceIds) }, order: { practiceId: 'ASC', position: 'ASC' } });
  }

  /** Whether the attachment is a photo of a practice that is published now. */
  async isPublishedPhoto(m: EntityManager, attachmentId: number): Promise<boolean> {
    const count = await m
      .createQueryBuilder(PracticePhoto, 'ph')
      .innerJoin(Practice, 'pr', 'pr.id = ph.practice_id')
      .where('ph.attachment_id = :attachmentId', { attachmentId })
      .andWhere('pr.live = 1')
      .getCount();
    return count > 0;
  }

  reviews(m: EntityManager, pairingIds: number[]) {
    if (!pairingIds.length) return Promise.resolve([]);
    return m.find(YearEndReview, { where: { pairingId: In(pairingIds) }, order: { id: 'ASC' } });
  }

  async displayNames(m: EntityManager, ids: number[]): Promise<Map<number, string>> {
    if (!ids.length) return new Map();
    const rows = await m.find(User, { select: { id: true, displayName: true }, where: { id: In([...new Set(ids)]) } });
    return new Map(rows.map((u) => [u.id, u.displayName]));
  }

  async branchNames(m: EntityManager): Promise<Map<number, string>> {
    const rows = await m.find(Branch, { select: { id: true, name: true } });
    return new Map(rows.map((b) => [b.id, b.name]));
  }

  async partnerNames(m: EntityManager): Promise<Map<number, string>> {
    const rows = await m.find(Partner, { select: { id: true, name: true } });
    return new Map(rows.map((p) => [p.id, p.name]));
  }
}
