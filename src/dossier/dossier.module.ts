import { Module } from '@nestjs/common';
import { AttachmentStore } from '../attachments/attachment-store';
import { AuditSigningKey } from '../audit/audit-signing-key';
import { PairingsModule } from '../pairings/pairings.module';
import { ReportsModule } from '../reports/reports.module';
import { ArchiveController, PairingRecordController } from './dossier.controller';
import { DossierRepository } from './dossier.repository';
import { DossierService } from './dossier.service';
import { PairingNamesModule } from './pairing-names';
import { RevisionsService } from './revisions.service';

/** What is filed and compared about a pairing: its revisions, its dossier, the year's archive. */
@Module({
  imports: [PairingsModule, ReportsModule, PairingNamesModule],
  controllers: [PairingRecordController, ArchiveController],
  // The evidence store and the signing key hold no state of their own beyond the files they read.
  providers: [RevisionsService, DossierService, DossierRepository, AttachmentStore, AuditSigningKey],
})
export class DossierModule {}
