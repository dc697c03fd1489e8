import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Attachment } from '../attachments/attachment.entity';

/** Named queries of the dossier; no rules here. */
@Injectable()
export class DossierRepository {
  /** The evidence of a pairing: every attachment an event linked to it, in upload order. */
  attachmentsOf(m: EntityManager, pairingId: number): Promise<Attachment[]> {
    return m.find(Attachment, { where: { pairingId }, order: { id: 'ASC' } });
  }
}
