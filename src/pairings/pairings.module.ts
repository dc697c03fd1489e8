import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { WorkflowEngineModule } from '../workflow-engine/workflow-engine.module';
import { IdempotencyService } from './idempotency.service';
import { PairingsController } from './pairings.controller';
import { PairingsService } from './pairings.service';
import { TasksController } from './tasks.controller';
import { TasksQuery } from './tasks.query';

/** The read side and the requests: idempotency, the transaction around each event, the views. */
@Module({
  imports: [AuditModule, WorkflowEngineModule],
  controllers: [PairingsController, TasksController],
  providers: [PairingsService, IdempotencyService, TasksQuery],
  exports: [PairingsService, WorkflowEngineModule],
})
export class PairingsModule {}
