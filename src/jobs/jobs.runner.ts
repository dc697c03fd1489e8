import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { outsideAnyContext } from '../common/async-context';
import { ServiceUnavailableError } from '../common/errors';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { DeadlineSweeper } from './deadlines/deadline.sweeper';
import { OutboxService } from '../outbox/outbox.service';
import { JobHandlers } from './job-handlers';
import { JOB_TIMERS, JobTimers } from './job-timers';
import { OutboxDispatcher } from './outbox.dispatcher';
import { QueueGateway } from './queue.gateway';
import { Schedules } from './schedules';

export { JOB_TIMERS, type JobTimers } from './job-timers';

export const DEADLINE_SWEEP = 'deadline-sweep';
/** How often a worker asks whether the sweep is due (at most; a shorter period asks as often as it runs). */
const SCHEDULE_CHECK_MS = 15_000;

/**
 * In processes that do background work (PROCESS_ROLE worker or all): drives the outbox, starts the Bull
 * workers when Redis is configured, and runs the deadline sweep when its schedule in the database says so.
 */
@Injectable()
export class JobsRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(JobsRunner.name);
  private readonly timers: NodeJS.Timeout[] = [];
  private draining: Promise<unknown> | null = null;
  /** Rows were committed while a round ran, perhaps after its last claim: another round follows it. */
  private again = false;
  private stopped = false;
  private unsubscribe: (() => void) | null = null;
  private sweeping: Promise<boolean> | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(JOB_TIMERS) private readonly timing: JobTimers,
    private readonly dispatcher: OutboxDispatcher,
    private readonly queues: QueueGateway,
    private readonly handlers: JobHandlers,
    private readonly sweeper: DeadlineSweeper,
    private readonly schedules: Schedules,
    private readonly outbox: OutboxService,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.processRole === 'api') return;
    if (this.queues.enabled) this.queues.startWorkers(this.handlers);
    if (this.timing.dispatchEveryMs > 0) {
      this.every(this.timing.dispatchEveryMs, () => this.dispatch());
      // A transition's notices go out as soon as it commits, not at the next poll (up to JOB_POLL_MS later);
      // the poll stays for rows of other processes, retries and anything a nudge missed.
      // The round is the process's, not the committing request's (its logs, its statements).
      this.unsubscribe = this.outbox.onCommitted(() => outsideAnyContext(() => this.nudge()));
    }
    if (this.timing.sweepEveryMs > 0) this.every(Math.min(this.timing.sweepEveryMs, SCHEDULE_CHECK_MS), () => this.sweepIfDue());
  }

  /** One dispatch round at a time per process. */
  dispatch(): Promise<unknown> {
    this.draining ??= this.dispatcher.drain().finally(() => {
      this.draining = null;
      if (this.again) this.nudge();
    });
    return this.draining;
  }

  /** Rows were committed here: a round now, or one more after the round that runs. */
  private nudge(): void {
    if (this.stopped) return;
    if (this.draining) {
      this.again = true;
      return;
    }
    this.again = false;
    void this.dispatch().catch((error) => this.failed(error));
  }

  /** Sweeps deadlines when this worker wins the sweep's current period; true when it swept. */
  sweepIfDue(): Promise<boolean> {
    this.sweeping ??= (async () => {
      if (!(await this.schedules.claim(DEADLINE_SWEEP, this.timing.sweepEveryMs))) return false;
      await this.sweeper.sweep();
      return true;
    })().finally(() => (this.sweeping = null));
    return this.sweeping;
  }

  private every(ms: number, work: () => Promise<unknown>): void {
    const timer = setInterval(() => void work().catch((error) => this.failed(error)), ms);
    timer.unref();
    this.timers.push(timer);
  }

  private failed(error: unknown): void {
    // An outage is logged once, by whoever met it first; the next round tries again.
    if (!(error instanceof ServiceUnavailableError)) this.logger.error({ err: error }, 'Background job failed');
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    this.timers.forEach(clearInterval);
    await Promise.all([this.draining?.catch(() => undefined), this.sweeping?.catch(() => undefined)]);
  }
}
