import { Module } from '@nestjs/common';
import { PairingsModule } from '../pairings/pairings.module';
import { PairingRecordController } from './dossier.controller';
import { PairingNamesModule } from './pairing-names';
import { RevisionsService } from './revisions.service';

/** What is filed and compared about a pairing: its revisions, its dossier, the year's archive. */
@Module({
  imports: [PairingsModule, PairingNamesModule],
  controllers: [PairingRecordController],
  providers: [RevisionsService],
})
export class DossierModule {}
