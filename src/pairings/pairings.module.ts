import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { Clock } from '../common/clock';
import { OutboxService } from '../jobs/outbox.service';
import { TasksController } from '../tasks/tasks.controller';
import { TasksService } from '../tasks/tasks.service';
import { IdempotencyService } from '../workflow-engine/idempotency.service';
import { WorkflowEngine } from '../workflow-engine/workflow-engine.service';
import { WorkflowsController } from '../workflow-engine/workflows.controller';
import { PairingsController } from './pairings.controller';
import { PairingsRepository } from './pairings.repository';
import { PairingsService } from './pairings.service';

@Module({
  imports: [AuditModule],
  controllers: [PairingsController, TasksController, WorkflowsController],
  providers: [PairingsService, PairingsRepository, WorkflowEngine, IdempotencyService, TasksService, OutboxService, Clock],
  exports: [PairingsService, WorkflowEngine, PairingsRepository, Clock, OutboxService],
})
export class PairingsModule {}
