import { Module } from '@nestjs/common';
import { PairingsModule } from '../pairings/pairings.module';
import { ReportsController } from './reports.controller';
import { ReportsRepository } from './reports.repository';
import { ReportsService } from './reports.service';

@Module({
  // For the shared Clock, so tests that move time move it here too.
  imports: [PairingsModule],
  controllers: [ReportsController],
  providers: [ReportsService, ReportsRepository],
})
export class ReportsModule {}
