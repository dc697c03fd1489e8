import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ReportsModule } from '../reports/reports.module';
import { PracticeEvidence } from './practice-evidence';
import { PracticesController } from './practices.controller';
import { PracticesRepository } from './practices.repository';
import { PracticesService } from './practices.service';

@Module({
  imports: [AuditModule, ReportsModule],
  controllers: [PracticesController],
  providers: [PracticesService, PracticesRepository, PracticeEvidence],
  exports: [PracticeEvidence],
})
export class PracticesModule {}
