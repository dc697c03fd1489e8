import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, EntityTarget, FindOneOptions, ObjectLiteral } from 'typeorm';

const MYSQL_RETRYABLE = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT']);

/**
 * Every database access goes through here.
 *
 * SQLite (better-sqlite3 through TypeORM) has one shared connection and one transaction depth, so
 * concurrent transactions would interleave on it: all work is queued behind one FIFO mutex, and a
 * read never sees another request's uncommitted rows. On MySQL each transaction gets its own pooled
 * connection and rows are locked with SELECT … FOR UPDATE. Nested calls reuse the open transaction.
 */
@Injectable()
export class DatabaseService {
  private readonly current = new AsyncLocalStorage<EntityManager>();
  private queue: Promise<unknown> = Promise.resolve();
  readonly engine: 'sqlite' | 'mysql';

  constructor(readonly dataSource: DataSource) {
    this.engine = dataSource.options.type === 'mysql' ? 'mysql' : 'sqlite';
  }

  async transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const open = this.current.getStore();
    if (open) return work(open);
    const run = () => this.dataSource.transaction((manager) => this.current.run(manager, () => work(manager)));
    if (this.engine === 'sqlite') return this.exclusive(run);
    for (let attempt = 1; ; attempt++) {
      try {
        return await run();
      } catch (error) {
        if (attempt >= 3 || !MYSQL_RETRYABLE.has((error as { code?: string }).code ?? '')) throw error;
      }
    }
  }

  async read<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const open = this.current.getStore();
    if (open) return work(open);
    if (this.engine === 'sqlite') return this.exclusive(() => work(this.dataSource.manager));
    return work(this.dataSource.manager);
  }

  /** Finds a row and, on MySQL, locks it until the transaction ends (SQLite already serialises writers). */
  findForUpdate<E extends ObjectLiteral>(manager: EntityManager, entity: EntityTarget<E>, options: FindOneOptions<E>) {
    return manager.findOne(entity, this.engine === 'mysql' ? { ...options, lock: { mode: 'pessimistic_write' } } : options);
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work, work);
    this.queue = result.catch(() => undefined);
    return result;
  }
}
