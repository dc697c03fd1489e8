import { Injectable, Logger, OnApplicationShutdown, Optional } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bull';
import type { Job, Queue } from 'bull';
import { connectionLost, DependencyStatus } from '../database/outage';
import type { JobHandlers } from './job-handlers';
import { NOTIFICATIONS_QUEUE } from '../outbox/queues';

const ENQUEUE_TIMEOUT_MS = 5_000;

/** Bull queues when Redis is configured; absent otherwise (jobs then run in-process). */
@Injectable()
export class QueueGateway implements OnApplicationShutdown {
  private readonly logger = new Logger(QueueGateway.name);
  private readonly queues = new Map<string, Queue>();
  private readonly redis = new DependencyStatus('Redis', 'outbox rows run in the workers themselves until it is back');

  constructor(
    // Registered only when REDIS_URL is set.
    @Optional() @InjectQueue(NOTIFICATIONS_QUEUE) notifications?: Queue,
  ) {
    if (notifications) this.queues.set(NOTIFICATIONS_QUEUE, notifications);
    // Redis going away must never take the process down: Bull reconnects, the outbox keeps the work. The
    // outage is logged once when it starts and once when Redis is back.
    for (const [name, queue] of this.queues) {
      queue.on('error', (err) => (connectionLost(err) ? this.redis.failed(err) : this.warn(name, err)));
      queue.client.on('ready', () => this.redis.answered());
    }
  }

  /**
   * Anything else Bull reports (e.g. a job whose keys vanished when Redis lost its data: its outbox row comes
   * back when its lease ends). Each distinct message once a minute at most.
   */
  private readonly warned = new Map<string, number>();
  private warn(queue: string, err: unknown): void {
    // Bull rejects some promises with no error at all (a client that ended before it ever answered).
    const message = err instanceof Error ? err.message : String(err);
    const last = this.warned.get(message) ?? 0;
    if (Date.now() - last < 60_000) return;
    this.warned.set(message, Date.now());
    if (this.warned.size > 100) this.warned.clear();
    this.logger.warn({ queue, err: message }, 'Bull reported an error; the outbox keeps the work');
  }

  get enabled(): boolean {
    return this.queues.size > 0;
  }

  queue(name: string): Queue {
    const queue = this.queues.get(name);
    if (!queue) throw new Error(`Queue ${name} is not configured`);
    return queue;
  }

  /**
   * Adds a job with a fixed string id; Bull ignores a second add of an id it still holds. One attempt only:
   * the outbox row, not Bull, decides when a failed job is tried again (and records every attempt).
   */
  async enqueue(name: string, jobName: string, data: Record<string, unknown>, jobId: string): Promise<void> {
    const add = this.queue(name).add(jobName, data, { jobId, attempts: 1, removeOnComplete: 5000, removeOnFail: 5000 });
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

  /**
   * Starts processing every queue in this process (workers), each once its Redis has answered. Bull's `process` asks
   * Redis to name the worker and leaves that promise to itself: asked of a Redis that has not answered yet, it
   * rejects, unhandled, when the queue closes first. Until Redis answers, the outbox rows run in the process itself.
   */
  startWorkers(handlers: JobHandlers, concurrency = 4): void {
    for (const [name, queue] of this.queues) {
      const start = () => {
        // Never on a queue closing: Bull would open a fresh connection for the worker, and nothing would close it.
        if (this.closing) return;
        queue
          .process('*', concurrency, (job: Job) =>
            typeof job.data?.outboxId === 'number' ? handlers.runOutboxRow(job.data.outboxId) : handlers.run(name, job.name, job.data),
          )
          .catch((err: unknown) => (connectionLost(err) ? this.redis.failed(err as Error) : this.warn(name, err)));
      };
      if (queue.client.status === 'ready') start();
      else queue.client.once('ready', start);
    }
  }

  private closing = false;

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    await Promise.all([...this.queues.values()].map((queue) => this.close(queue)));
  }

  /** A clean close, but never a hang: a queue whose Redis is gone would otherwise keep reconnecting. */
  private async close(queue: Queue): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, 2_000)));
    await Promise.race([queue.close().catch(() => undefined), gaveUp]);
    clearTimeout(timer);
    // Only clients the close did not end: disconnecting an ended client arms ioredis's 2 s timer to destroy a
    // socket that has already closed, and that timer alone keeps the process alive after app.close().
    for (const client of queue.clients ?? []) if (client.status !== 'end') client.disconnect();
  }
}
