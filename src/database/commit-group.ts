import { AsyncResource } from 'node:async_hooks';
import { EntityManager, QueryRunner } from 'typeorm';

/** A transaction waiting for SQLite's writer, with its caller's async context (its statements run in it). */
export interface Waiting {
  work: (manager: EntityManager) => Promise<unknown>;
  caller: AsyncResource;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  /** Runs in a group of its own: its group failed as a whole, and each of them runs again alone. */
  alone?: boolean;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * Queued transactions sharing one database transaction on SQLite's writer (`DatabaseService.commitTogether`):
 * they run one after the other, the first behind the BEGIN, each other behind a savepoint of its own, and end
 * with one COMMIT. A member that fails rolls back to its savepoint (the first: the whole, nothing else is in it
 * yet, and the next member begins anew) and takes nothing of the others with it. Nobody hears of an outcome
 * before `settle`, after the COMMIT.
 */
export class CommitGroup {
  private readonly outcomes: Outcome[] = [];
  /** The member whose BEGIN the COMMIT ends; null while no transaction is open. */
  private opener: Waiting | null = null;

  constructor(
    readonly members: Waiting[],
    private readonly runner: QueryRunner,
    /** Whether SQLite still holds a transaction: it gives one up on its own after a disk or I/O error. */
    private readonly inTransaction: () => boolean,
  ) {}

  get open(): boolean {
    return this.opener !== null;
  }

  /** Takes more members in, to run after those already there. */
  join(more: Waiting[]): void {
    this.members.push(...more);
  }

  /** Runs the members not run yet, in order, each in its caller's async context. Throws when the transaction is lost. */
  async runPending(): Promise<void> {
    while (this.outcomes.length < this.members.length) {
      const member = this.members[this.outcomes.length];
      await member.caller.runInAsyncScope(() => this.run(member));
    }
  }

  /** The COMMIT, in the context of the member whose BEGIN it ends. */
  async commit(): Promise<void> {
    const opener = this.opener;
    if (opener) await opener.caller.runInAsyncScope(() => this.runner.commitTransaction());
  }

  /** Tells each member its outcome: after the COMMIT. */
  settle(): void {
    this.members.forEach((member, i) => {
      const outcome = this.outcomes[i];
      if (outcome.ok) member.resolve(outcome.value);
      else member.reject(outcome.error);
    });
  }

  /** The COMMIT failed, or the transaction was lost: nothing of the group is kept. */
  async abandon(): Promise<void> {
    if (this.inTransaction()) await this.runner.rollbackTransaction().catch(() => undefined);
    // TypeORM's view of a transaction SQLite ended on its own: its ROLLBACK would fail, and it would think it nested.
    Object.assign(this.runner, { isTransactionActive: false, transactionDepth: 0 });
  }

  private async run(member: Waiting): Promise<void> {
    const first = this.opener === null;
    await this.runner.startTransaction(); // BEGIN for the first, a savepoint for the others
    if (first) this.opener = member;
    try {
      const value = await member.work(this.runner.manager);
      if (!first) await this.runner.commitTransaction(); // releases its savepoint
      this.outcomes.push({ ok: true, value });
    } catch (error) {
      if (!this.inTransaction()) throw error;
      await this.runner.rollbackTransaction(); // to its savepoint; the first: the whole
      if (first) this.opener = null;
      this.outcomes.push({ ok: false, error });
    }
  }
}
