import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
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
}
