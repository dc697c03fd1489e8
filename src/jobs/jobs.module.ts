import { DynamicModule, Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bull';
import { AppConfig } from '../config/config';
import { NotificationsController } from '../notifications/notifications.controller';
import { NotificationsService } from '../notifications/notifications.service';
import { PairingsModule } from '../pairings/pairings.module';
import { DeadlineSweeper } from './deadlines/deadline.sweeper';
import { JobHandlers } from './job-handlers';
import { JOB_TIMERS, JobTimers } from './job-timers';
import { JobsController } from './jobs.controller';
import { JobsRunner } from './jobs.runner';
import { NotificationProcessor } from './notifications/notification.processor';
import { OutboxDispatcher } from './outbox.dispatcher';
import { OutboxStatus } from '../outbox/outbox.status';
import { QueueGateway } from './queue.gateway';
import { Schedules } from './schedules';
import { QUEUE_NAMES } from '../outbox/queues';

@Module({})
export class JobsModule {
  static forRoot(config: AppConfig): DynamicModule {
    const timers: JobTimers = {
      dispatchEveryMs: config.jobs.pollMs,
      sweepEveryMs: config.jobs.sweepMs,
      leaseMs: config.jobs.leaseMs,
      parkAfter: config.jobs.parkAfter,
    };
    const bull = config.redisUrl
      ? [
          BullModule.forRoot({ url: config.redisUrl, prefix: config.queuePrefix }),
          BullModule.registerQueue(...QUEUE_NAMES.map((name) => ({ name }))),
        ]
      : [];
    return {
      module: JobsModule,
      imports: [...bull, PairingsModule],
      controllers: [NotificationsController, JobsController],
      providers: [
        { provide: JOB_TIMERS, useValue: timers },
        NotificationsService,
        NotificationProcessor,
        DeadlineSweeper,
        JobHandlers,
        QueueGateway,
        OutboxDispatcher,
        OutboxStatus,
        Schedules,
        JobsRunner,
      ],
      exports: [OutboxDispatcher, DeadlineSweeper, NotificationsService, QueueGateway, JobsRunner, OutboxStatus],
    };
  }
}
