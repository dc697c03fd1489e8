import { Injectable } from '@nestjs/common';
import { DeadlineSweeper } from './deadlines/deadline.sweeper';
import { NotificationProcessor } from './notifications/notification.processor';
import { PairingEventJob } from './notifications/pairing-event.job';
import { DEADLINES_QUEUE, NOTIFICATIONS_QUEUE } from '../outbox/queues';

/** The processors, by queue and job name: Bull workers and the in-process runner call the same code. */
@Injectable()
export class JobHandlers {
  constructor(
    private readonly notifications: NotificationProcessor,
    private readonly deadlines: DeadlineSweeper,
  ) {}

  async run(queue: string, name: string, data: Record<string, unknown>): Promise<unknown> {
    if (queue === NOTIFICATIONS_QUEUE && name === 'pairing.event') return this.notifications.process(data as unknown as PairingEventJob);
    if (queue === DEADLINES_QUEUE && name === 'sweep') return this.deadlines.sweep();
    throw new Error(`No processor for ${queue}/${name}`);
  }
}
