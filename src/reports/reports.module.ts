import { Module } from '@nestjs/common';
import { PairingsModule } from '../pairings/pairings.module';
import { ReportsController } from './reports.controller';
import { ReportsRepository } from './reports.repository';
import { ReportsService } from './reports.service';

@Module({
  imports: [PairingsModule],
  controllers: [ReportsController],
  providers: [ReportsService, ReportsRepository],
  exports: [ReportsRepository, ReportsService],
})
export class ReportsModule {}
