import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CourtsModule } from '../courts/courts.module';
import { PairingsModule } from '../pairings/pairings.module';
import { DemoCourtsSeeder } from './demo-courts';
import { DemoPairingsSeeder } from './demo-pairings';
import { SeedService } from './seed.service';

@Module({
  imports: [AuditModule, CourtsModule, PairingsModule],
  providers: [SeedService, DemoPairingsSeeder, DemoCourtsSeeder],
  exports: [SeedService],
})
export class SeedModule {}
