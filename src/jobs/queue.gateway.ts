import { Injectable, Logger, OnApplicationShutdown, Optional } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bull';
import type { Job, Queue } from 'bull';
import type { JobHandlers } from './job-handlers';
import { DEADLINES_QUEUE, NOTIFICATIONS_QUEUE } from '../outbox/queues';

const ENQUEUE_TIMEOUT_MS = 5_000;

/** Bull queues when Redis is configured; absent otherwise (jobs then run in-process). */
@Injectable()
export class QueueGateway implements OnApplicationShutdown {
  private readonly logger = new Logger(QueueGateway.name);
  private readonly queues = new Map<string, Queue>();

  constructor(
    // Registered only when REDIS_URL is set.
    @Optional() @InjectQueue(NOTIFICATIONS_QUEUE) notifications?: Queue,
    @Optional() @InjectQueue(DEADLINES_QUEUE) deadlines?: Queue,
  ) {
    if (notifications) this.queues.set(NOTIFICATIONS_QUEUE, notifications);
    if (deadlines) this.queues.set(DEADLINES_QUEUE, deadlines);
    // Redis going away must never take the process down: Bull reconnects, the outbox keeps the work.
    for (const [name, queue] of this.queues) queue.on('error', (err) => this.warnOnce(name, err));
  }

  private lastWarning = 0;
  private warnOnce(queue: string, err: Error): void {
    if (Date.now() - this.lastWarning < 10_000) return;
    this.lastWarning = Date.now();
    this.logger.warn({ queue, err: err.message }, 'Redis is not answering; jobs wait in the outbox until it is back');
  }

  get enabled(): boolean {
    return this.queues.size > 0;
  }

  queue(name: string): Queue {
    const queue = this.queues.get(name);
    if (!queue) throw new Error(`Queue ${name} is not configured`);
    return queue;
  }

  /** Adds a job with a fixed string id; Bull ignores a second add of an id it still holds. */
  async enqueue(name: string, jobName: string, data: Record<string, unknown>, jobId: string): Promise<void> {
    const add = this.queue(name).add(jobName, data, {
      jobId,
      attempts: 8,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: 5000,
      removeOnFail: 5000,
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('Redis did not accept the job in time')), ENQUEUE_TIMEOUT_MS);
    });
    try {
      await Promise.race([add, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Starts processing every queue in this process (workers). */
  startWorkers(handlers: JobHandlers, concurrency = 4): void {
    for (const [name, queue] of this.queues) {
      queue.process('*', concurrency, (job: Job) => handlers.run(name, job.name, job.data)).catch((err: Error) => this.warnOnce(name, err));
      queue.on('failed', (job, err) =>
        this.logger.warn({ queue: name, jobId: job.id, attempts: job.attemptsMade, err: err.message }, 'Job failed'),
      );
    }
  }

  async scheduleSweep(everyMs: number): Promise<void> {
    await this.queue(DEADLINES_QUEUE).add(
      'sweep',
      {},
      { repeat: { every: everyMs }, jobId: 'deadline-sweep', removeOnComplete: 100, removeOnFail: 100 },
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => this.close(queue)));
  }

  /** A clean close, but never a hang: a queue whose Redis is gone would otherwise keep reconnecting. */
  private async close(queue: Queue): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, 2_000)));
    await Promise.race([queue.close().catch(() => undefined), gaveUp]);
    clearTimeout(timer);
    for (const client of (queue as unknown as { clients: { disconnect(): void }[] }).clients ?? []) client.disconnect();
  }
}
