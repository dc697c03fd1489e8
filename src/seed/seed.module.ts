import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { PairingsModule } from '../pairings/pairings.module';
import { DemoCourtsSeeder } from './demo-courts';
import { DemoPairingsSeeder } from './demo-pairings';
import { SeedService } from './seed.service';

@Module({
  imports: [AuditModule, PairingsModule],
  providers: [SeedService, DemoPairingsSeeder, DemoCourtsSeeder],
  exports: [SeedService],
})
export class SeedModule {}
