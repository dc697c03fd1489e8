import { AsyncResource } from 'node:async_hooks';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { DataSource, EntityManager, EntityTarget, FindOneOptions, ObjectLiteral } from 'typeorm';
import { ContextSlot } from '../common/async-context';
import { CommitGroup, Waiting } from './commit-group';
import { ServiceUnavailableError } from '../common/errors';
import { databaseUnavailable, DependencyStatus } from './outage';
import { holdBack } from './sql';

/** The SQLite read-only connection (data-source.ts `createSqliteReader`), or null where there is none. */
export const SQLITE_READER = Symbol('SQLITE_READER');

const MYSQL_RETRYABLE = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT']);
const MYSQL_ATTEMPTS = 5;
/** On SQLite, at most this many queued transactions share one commit (see `commitTogether`). */
const SQLITE_GROUP = 8;

/**
 * Every database access goes through here.
 *
 * SQLite (better-sqlite3 through TypeORM) has one writing connection and one transaction depth, so
 * concurrent transactions would interleave on it: transactions are queued behind one FIFO mutex, and those
 * that queued up meanwhile commit together (group commit: each behind a savepoint of its own, one COMMIT for
 * all — see `commitTogether`). Plain reads go to a second, read-only connection (WAL: it sees the last commit,
 * never another request's uncommitted rows, and does not wait for the writer); without one (an in-memory
 * database) they queue behind the mutex too. On MySQL each transaction gets its own pooled
 * connection and rows are locked with SELECT … FOR UPDATE. Nested calls reuse the open transaction.
 *
 * An error that means the database cannot be reached becomes ServiceUnavailableError (503, naming the
 * database); the outage is logged once when it starts and once when the next call succeeds.
 */
/** The transaction the current call runs in: its manager, and the answers `once` keeps for it. */
interface OpenTransaction {
  manager: EntityManager;
  answers: Map<string, Promise<unknown>>;
  /** What to do once it has committed (`afterCommit`). */
  committed: Set<() => void>;
}

@Injectable()
export class DatabaseService {
  private readonly logger = new Logger(DatabaseService.name);
  private readonly current = new ContextSlot<OpenTransaction>('transaction');
  private queue: Promise<unknown> = Promise.resolve();
  /** SQLite: transactions waiting for the writer, and whether a group is on its way to take them. */
  private readonly waiting: Waiting[] = [];
  private groupQueued = false;
  readonly engine: 'sqlite' | 'mysql';
  readonly status = new DependencyStatus('The database', 'requests get 503 SERVICE_UNAVAILABLE and jobs wait until it is back');

  constructor(
    readonly dataSource: DataSource,
    @Optional() @Inject(SQLITE_READER) private readonly reader: DataSource | null = null,
  ) {
    this.engine = dataSource.options.type === 'mysql' ? 'mysql' : 'sqlite';
  }

  /**
   * `readCommitted`: on MySQL, this transaction (not nested in another) reads at READ COMMITTED — for a queue's
   * claim (`SELECT … FOR UPDATE SKIP LOCKED`), so that its scan takes no gap locks for workers finishing rows
   * to deadlock with. SQLite has one writer and needs none.
   */
  async transaction<T>(work: (manager: EntityManager) => Promise<T>, options: { readCommitted?: boolean } = {}): Promise<T> {
    const open = this.current.get();
    if (open) return work(open.manager);
    // A transaction may run more than once (a group that failed to commit, a deadlock): what the run that
    // committed asked for is done after the commit, nothing of the runs before it.
    let committed = new Set<() => void>();
    const inTransaction = async (manager: EntityManager) => {
      const asked = new Set<() => void>();
      const result = await this.current.run({ manager, answers: new Map(), committed: asked }, () => work(manager));
      committed = asked;
      return result;
    };
    const result = await this.runTransaction(inTransaction, options);
    for (const then of committed) {
      try {
        then();
      } catch (error) {
        // The transaction is committed, whatever its follower does: its caller hears of the commit.
        this.logger.error({ err: error }, 'Work after a commit failed');
      }
    }
    return result;
  }

  /**
   * Runs `then` once the transaction this call runs in has committed; never when it rolls back. For what must
   * only follow a commit and may be missed (a nudge to the outbox dispatcher, which also polls): it must not
   * throw, and nothing waits for it. False, and nothing will run, outside a transaction of this service (one
   * opened on the DataSource directly: its commit is not known here).
   */
  afterCommit(then: () => void): boolean {
    const open = this.current.get();
    open?.committed.add(then);
    return open !== undefined;
  }

  private runTransaction<T>(inTransaction: (manager: EntityManager) => Promise<T>, options: { readCommitted?: boolean }): Promise<T> {
    if (this.engine === 'sqlite') return this.watched(() => this.queued(inTransaction), true);
    // A query runner of its own, so that what needs no answer rides with the next statement (sql.ts `holdBack`).
    const run = async () => {
      const runner = this.dataSource.createQueryRunner();
      holdBack(runner);
      try {
        return await (options.readCommitted
          ? runner.manager.transaction('READ COMMITTED', inTransaction)
          : runner.manager.transaction(inTransaction));
      } finally {
        await runner.release();
      }
    };
    return this.watched(async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await run();
        } catch (error) {
          if (attempt >= MYSQL_ATTEMPTS || !MYSQL_RETRYABLE.has((error as { code?: string }).code ?? '')) throw error;
          // Racing transactions that deadlocked once do so again if retried in lockstep: wait a little, at random.
          await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 20 * attempt));
        }
      }
    }, true);
  }

  async read<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const open = this.current.get();
    if (open) return work(open.manager);
    if (this.engine === 'mysql') return this.watched(() => work(this.dataSource.manager));
    const reader = this.reader;
    if (reader) return this.watched(() => work(reader.manager));
    return this.watched(() => this.exclusive(() => work(this.dataSource.manager)));
  }

  /**
   * Inside a transaction, one read per key until the transaction ends: for reads of rows the transaction does
   * not write, asked again and again by the work it groups (the recipients of a batch of outbox rows). Its
   * answer cannot change meanwhile: SQLite has one writer, MySQL's repeatable read one snapshot. Outside a
   * transaction it simply reads.
   */
  once<T>(key: string, read: () => Promise<T>): Promise<T> {
    const answers = this.current.get()?.answers;
    if (!answers) return read();
    let answer = answers.get(key) as Promise<T> | undefined;
    if (!answer) {
      answer = read();
      answers.set(key, answer);
      answer.catch(() => answers.delete(key));
    }
    return answer;
  }

  /** Finds a row and, on MySQL, locks it until the transaction ends (SQLite already serialises writers). */
  findForUpdate<E extends ObjectLiteral>(manager: EntityManager, entity: EntityTarget<E>, options: FindOneOptions<E>) {
    return manager.findOne(entity, this.engine === 'mysql' ? { ...options, lock: { mode: 'pessimistic_write' } } : options);
  }

  private async watched<T>(work: () => Promise<T>, write = false): Promise<T> {
    try {
      const result = await work();
      this.status.answered(write);
      return result;
    } catch (error) {
      if (!databaseUnavailable(error)) {
        // A statement the database refused (a unique key, a trigger …) proves it answers; a domain error may not.
        if ((error as { driverError?: unknown }).driverError) this.status.answered(write);
        throw error;
      }
      this.status.failed(error, write);
      throw new ServiceUnavailableError('database');
    }
  }

  /** SQLite: the transaction waits for the writer, and runs in its caller's async context (logs, `once`). */
  private queued<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const caller = new AsyncResource('DatabaseTransaction');
      this.waiting.push({ work, caller, resolve: resolve as (value: unknown) => void, reject });
      if (this.groupQueued) return;
      this.groupQueued = true;
      void this.exclusive(() => this.commitTogether());
    });
  }

  /**
   * SQLite's group commit: the transactions that are waiting — up to SQLITE_GROUP — run one after the other in
   * one database transaction, each but the first behind a savepoint of its own, and commit at once: one write
   * of the WAL instead of one each. A transaction that fails rolls back to its savepoint and takes nothing of
   * the others with it. Nobody hears of the outcome before the COMMIT: should it fail (or the transaction be
   * lost), nothing of the group is kept and each of its transactions runs again alone (none was acknowledged,
   * and transactions may run again, as on MySQL after a deadlock). Alone, a transaction runs
   * as it always did: BEGIN, its statements, COMMIT. One group per turn of the mutex, so that reads queued
   * behind it (an in-memory database) are not starved.
   */
  private async commitTogether(): Promise<void> {
    this.groupQueued = false;
    const taken = this.nextGroup(SQLITE_GROUP);
    if (!taken.length) return; // taken by the group before, while it waited for joiners
    const group = new CommitGroup(taken, this.dataSource.createQueryRunner(), () => this.inTransaction());
    try {
      await group.runPending();
      // better-sqlite3 never waits on I/O: a transaction runs from start to end without letting the event loop
      // take another request, so none can queue up meanwhile. Those the requests read in the same turn of the
      // event loop bring are let in before the COMMIT.
      if (group.open && !taken[0].alone && group.members.length < SQLITE_GROUP) {
        await new Promise((resolve) => setImmediate(resolve));
        group.join(this.nextGroup(SQLITE_GROUP - group.members.length));
        await group.runPending();
      }
      await group.commit();
    } catch (error) {
      // Nothing of the group is kept. Alone, that is the end of it; in a group, each runs again alone, so that
      // one transaction's failure fails none of the others.
      await group.abandon();
      if (group.members.length === 1) group.members[0].reject(error);
      else this.waiting.unshift(...group.members.map((waiting) => ({ ...waiting, alone: true })));
      return this.more();
    }
    group.settle();
    return this.more();
  }

  /** The transactions waiting, in order, up to `size`, or one that must run alone. */
  private nextGroup(size: number): Waiting[] {
    if (this.waiting[0]?.alone) return this.waiting.splice(0, 1);
    let taken = 0;
    while (taken < this.waiting.length && taken < size && !this.waiting[taken].alone) taken++;
    return this.waiting.splice(0, taken);
  }

  private more(): void {
    if (!this.waiting.length || this.groupQueued) return;
    this.groupQueued = true;
    void this.exclusive(() => this.commitTogether());
  }

  private inTransaction(): boolean {
    return (this.dataSource.driver as unknown as { databaseConnection: { inTransaction: boolean } }).databaseConnection.inTransaction;
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work, work);
    this.queue = result.catch(() => undefined);
    return result;
  }
}
