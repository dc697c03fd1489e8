import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Pairing } from '../pairings/pairing.entity';
import { Attachment } from './attachment.entity';

export type NewAttachment = Omit<Attachment, 'id'>;

/** Named queries on attachments; no rules here. */
@Injectable()
export class AttachmentsRepository {
  async insert(m: EntityManager, row: NewAttachment): Promise<Attachment> {
    const entity = m.create(Attachment, row);
    await m.insert(Attachment, entity);
    return entity;
  }

  findById(m: EntityManager, id: number) {
    return m.findOne(Attachment, { where: { id } });
  }

  /** What visibility of a linked attachment depends on: the branches of its pairing. */
  pairingBranches(m: EntityManager, pairingId: number) {
    return m.findOne(Pairing, { where: { id: pairingId }, select: { id: true, leadBranchId: true, coBranchIds: true } });
  }
}
