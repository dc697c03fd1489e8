import type { Queue } from 'bull';
import { QueueGateway } from './queue.gateway';
import { NOTIFICATIONS_QUEUE } from '../outbox/queues';

function fakeQueue(add: (...args: unknown[]) => Promise<unknown> = async () => ({})) {
  return { add: jest.fn(add), process: jest.fn(), on: jest.fn(), client: { on: jest.fn() }, close: jest.fn(async () => undefined) };
}

describe(QueueGateway.name, () => {
  afterEach(() => jest.useRealTimers());

  it('is disabled without Redis, and says so when asked for a queue', () => {
    const gateway = new QueueGateway();
    expect(gateway.enabled).toBe(false);
    expect(() => gateway.queue(NOTIFICATIONS_QUEUE)).toThrow(/not configured/);
  });

  it('adds a job under its string id, keeping completed jobs by count so the id stays remembered', async () => {
    const notifications = fakeQueue();
    const gateway = new QueueGateway(notifications as unknown as Queue);
    expect(gateway.enabled).toBe(true);
    await gateway.enqueue(NOTIFICATIONS_QUEUE, 'pairing.event', { pairingId: 1, outboxId: 42 }, 'outbox:42');
    expect(notifications.add).toHaveBeenCalledTimes(1);
    const [name, data, options] = notifications.add.mock.calls[0] as [string, unknown, Record<string, unknown>];
    expect(name).toBe('pairing.event');
    expect(data).toEqual({ pairingId: 1, outboxId: 42 });
    // One attempt: the outbox row, not Bull, decides when a failed job runs again.
    expect(options).toMatchObject({ jobId: 'outbox:42', attempts: 1 });
    expect(typeof options.jobId).toBe('string');
    // `true` would drop the job at once and let the same id run again (STACK.md, Bull job ids).
    expect(typeof options.removeOnComplete).toBe('number');
    expect(options.removeOnComplete as number).toBeGreaterThan(0);
  });

  it('gives up on a Redis that does not answer, so the dispatcher can keep the row', async () => {
    jest.useFakeTimers();
    const hanging = fakeQueue(() => new Promise(() => undefined));
    const gateway = new QueueGateway(hanging as unknown as Queue);
    const outcome = gateway.enqueue(NOTIFICATIONS_QUEUE, 'pairing.event', {}, 'outbox:1').then(
      () => 'added',
      (e: Error) => e.message,
    );
    await jest.advanceTimersByTimeAsync(5_000);
    expect(await outcome).toMatch(/did not accept the job in time/);
  });

  it('passes a refusal from Redis on', async () => {
    const refusing = fakeQueue(async () => {
      throw new Error('READONLY You can\u2019t write against a read only replica.');
    });
    const gateway = new QueueGateway(refusing as unknown as Queue);
    await expect(gateway.enqueue(NOTIFICATIONS_QUEUE, 'pairing.event', {}, 'outbox:1')).rejects.toThrow(/READONLY/);
  });

  it('on shutdown disconnects only the clients its close left open: disconnecting an ended one arms a timer that outlives the app', async () => {
    const ended = { status: 'end', disconnect: jest.fn() };
    const open = { status: 'ready', disconnect: jest.fn() };
    const queue = { ...fakeQueue(), clients: [ended, open] };
    await new QueueGateway(queue as unknown as Queue).onApplicationShutdown();
    expect(queue.close).toHaveBeenCalledTimes(1);
    expect(ended.disconnect).not.toHaveBeenCalled();
    expect(open.disconnect).toHaveBeenCalledTimes(1);
  });

  it('stops waiting for a close that hangs on a Redis that is gone, and disconnects its clients', async () => {
    jest.useFakeTimers();
    const reconnecting = { status: 'reconnecting', disconnect: jest.fn() };
    const queue = { ...fakeQueue(), close: jest.fn(() => new Promise(() => undefined)), clients: [reconnecting] };
    let done = false;
    const shutdown = new QueueGateway(queue as unknown as Queue).onApplicationShutdown().then(() => (done = true));
    await jest.advanceTimersByTimeAsync(1_999);
    expect(done).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    await shutdown;
    expect(reconnecting.disconnect).toHaveBeenCalledTimes(1);
  });
});
