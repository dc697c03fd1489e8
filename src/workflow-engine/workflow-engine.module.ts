import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { OutboxService } from '../outbox/outbox.service';
import { AggregateCache } from './aggregate-cache';
import { EnginePairingVisibility } from './pairing-access';
import { PairingsRepository } from './pairings.repository';
import { WorkflowEngine } from './workflow-engine.service';
import { WorkflowsController } from './workflows.controller';

/** The write side of the pairing aggregate: below the read side, above audit, tasks and outbox. */
@Module({
  imports: [AuditModule],
  controllers: [WorkflowsController],
  providers: [WorkflowEngine, PairingsRepository, AggregateCache, OutboxService, EnginePairingVisibility],
  exports: [WorkflowEngine, PairingsRepository, EnginePairingVisibility, OutboxService],
})
export class WorkflowEngineModule {}
