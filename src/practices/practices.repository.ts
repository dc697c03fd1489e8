import { CourtScope } from '../identity/court-scope';
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

  /** The practice if its pairing lies within the scope. */
  findById(m: EntityManager, scope: CourtScope, id: number) {
    return this.inScope(m, scope).andWhere('pr.id = :id', { id }).getOne();
  }

  livePracticeOf(m: EntityManager, pairingId: number) {
    return m.findOne(Practice, { where: { pairingId, live: 1 } });
  }

  async withdraw(m: EntityManager, id: number, changes: Pick<Practice, 'withdrawnBy' | 'withdrawnAt' | 'withdrawComment'>) {
    await m.update(Practice, { id }, { ...changes, status: 'withdrawn', live: null });
  }

  published(m: EntityManager, scope: CourtScope) {
    return this.inScope(m, scope)
      .andWhere('pr.status = :status', { status: 'published' })
      .orderBy('pr.published_at', 'DESC')
      .addOrderBy('pr.id', 'DESC')
      .getMany();
  }

  /** Practices of pairings of the scope's courts (a practice belongs to its pairing's court). */
  private inScope(m: EntityManager, scope: CourtScope) {
    return m
      .createQueryBuilder(Practice, 'pr')
      .innerJoin(Pairing, 'p', 'p.id = pr.pairing_id')
      .where(...scope.qb('p'));
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
  async isPublishedPhoto(m: EntityManager, scope: CourtScope, attachmentId: number): Promise<boolean> {
    const count = await m
      .createQueryBuilder(PracticePhoto, 'ph')
      .innerJoin(Practice, 'pr', 'pr.id = ph.practice_id')
      .innerJoin(Pairing, 'p', 'p.id = pr.pairing_id')
      .where(...scope.qb('p'))
      .andWhere('ph.attachment_id = :attachmentId', { attachmentId })
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

  async branchNames(m: EntityManager, scope: CourtScope): Promise<Map<number, string>> {
    const rows = await m.find(Branch, { select: { id: true, name: true }, where: scope.where() });
    return new Map(rows.map((b) => [b.id, b.name]));
  }

  async partnerNames(m: EntityManager, scope: CourtScope): Promise<Map<number, string>> {
    const rows = await m.find(Partner, { select: { id: true, name: true }, where: scope.where() });
    return new Map(rows.map((p) => [p.id, p.name]));
  }
}
