import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { DeadlineSweeper } from './deadlines/deadline.sweeper';
import { JobHandlers } from './job-handlers';
import { OutboxDispatcher } from './outbox.dispatcher';
import { QueueGateway } from './queue.gateway';

export const JOB_TIMERS = Symbol('JOB_TIMERS');
export interface JobTimers {
  dispatchEveryMs: number;
  sweepEveryMs: number;
}

/**
 * In processes that do background work (PROCESS_ROLE worker or all): polls the outbox, starts the Bull
 * workers when Redis is configured, and runs the deadline sweep (a Bull repeatable job, or a timer in-process).
 */
@Injectable()
export class JobsRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(JobsRunner.name);
  private readonly timers: NodeJS.Timeout[] = [];
  private draining: Promise<unknown> | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(JOB_TIMERS) private readonly timing: JobTimers,
    private readonly dispatcher: OutboxDispatcher,
    private readonly queues: QueueGateway,
    private readonly handlers: JobHandlers,
    private readonly sweeper: DeadlineSweeper,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.processRole === 'api') return;
    if (this.timing.dispatchEveryMs > 0) this.every(this.timing.dispatchEveryMs, () => this.dispatch());
    if (this.queues.enabled) {
      this.queues.startWorkers(this.handlers);
      if (this.timing.sweepEveryMs > 0)
        await this.queues.scheduleSweep(this.timing.sweepEveryMs).catch((e) => this.logger.warn(`Sweep not scheduled: ${e.message}`));
    } else if (this.timing.sweepEveryMs > 0) {
      this.every(this.timing.sweepEveryMs, () => this.sweeper.sweep());
    }
  }

  /** One dispatch round at a time per process. */
  dispatch(): Promise<unknown> {
    this.draining ??= this.dispatcher.drain().finally(() => (this.draining = null));
    return this.draining;
  }

  private every(ms: number, work: () => Promise<unknown>): void {
    const timer = setInterval(() => void work().catch((e) => this.logger.error({ err: e }, 'Background job failed')), ms);
    timer.unref();
    this.timers.push(timer);
  }

  async onApplicationShutdown(): Promise<void> {
    this.timers.forEach(clearInterval);
    await this.draining?.catch(() => undefined);
  }
}
