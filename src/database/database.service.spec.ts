import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource, EntityManager } from 'typeorm';
import { createDataSource, createSqliteReader } from './data-source';
import { DatabaseService } from './database.service';

describe('DatabaseService on SQLite with its read-only connection', () => {
  let dir: string;
  let writer: DataSource;
  let reader: DataSource;
  let db: DatabaseService;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gongjian-reader-'));
    const config = { database: { engine: 'sqlite' as const, url: '', sqlitePath: join(dir, 'db.sqlite') } };
    writer = createDataSource(config);
    await writer.initialize();
    await writer.query('CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT NOT NULL)');
    await writer.query("INSERT INTO note (text) VALUES ('committed')");
    reader = createSqliteReader(config)!;
    await reader.initialize();
    db = new DatabaseService(writer, reader);
  });

  afterEach(async () => {
    await reader.destroy();
    await writer.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers a read while a transaction is open, with the last commit and none of its uncommitted rows', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let inserted!: () => void;
    const insertedOnce = new Promise<void>((resolve) => (inserted = resolve));
    const transaction = db.transaction(async (m) => {
      await m.query("INSERT INTO note (text) VALUES ('uncommitted')");
      inserted();
      await held;
    });
    await insertedOnce;

    const during = await db.read((m) => m.query('SELECT text FROM note ORDER BY id'));
    expect(during).toEqual([{ text: 'committed' }]);

    release();
    await transaction;
    const after = await db.read((m) => m.query('SELECT text FROM note ORDER BY id'));
    expect(after).toEqual([{ text: 'committed' }, { text: 'uncommitted' }]);
  });

  it('refuses a write on the read connection', async () => {
    await expect(db.read((m) => m.query("INSERT INTO note (text) VALUES ('sneaked')"))).rejects.toThrow(/readonly/i);
    expect(await db.read((m) => m.query('SELECT COUNT(*) AS n FROM note'))).toEqual([{ n: 1 }]);
  });

  it('has no read connection for an in-memory database, whose second connection would be another database', () => {
    expect(createSqliteReader({ database: { engine: 'sqlite', url: '', sqlitePath: ':memory:' } })).toBeNull();
    expect(createSqliteReader({ database: { engine: 'mysql', url: 'mysql://x@127.0.0.1/y' } })).toBeNull();
  });

  it('answers a read once per transaction with once(), a new transaction reads again, outside one it always reads', async () => {
    let reads = 0;
    const count = (m: { query(sql: string): Promise<{ n: number }[]> }) => () => {
      reads++;
      return m.query('SELECT COUNT(*) AS n FROM note').then(([row]) => Number(row.n));
    };
    const first = await db.transaction(async (m) => [await db.once('notes', count(m)), await db.once('notes', count(m))]);
    expect(first).toEqual([1, 1]);
    expect(reads).toBe(1);
    await db.transaction((m) => m.query("INSERT INTO note (text) VALUES ('second')"));
    expect(await db.transaction((m) => db.once('notes', count(m)))).toBe(2);
    expect(reads).toBe(2);
    await db.once('notes', count(writer.manager));
    await db.once('notes', count(writer.manager));
    expect(reads).toBe(4);
  });

  it('forgets a read that failed, so the next ask in the same transaction reads again', async () => {
    const answers = await db.transaction(async () => {
      const failed = await db.once('flaky', () => Promise.reject(new Error('lost'))).catch((e: Error) => e.message);
      return [failed, await db.once('flaky', async () => 'read again')];
    });
    expect(answers).toEqual(['lost', 'read again']);
  });
  describe('group commit', () => {
    /** Every statement the writer runs, from now on. */
    function statements(tag: () => string | undefined = () => undefined): string[] {
      const seen: string[] = [];
      const runner = writer.createQueryRunner(); // better-sqlite3: the one runner of the one writing connection
      const query = runner.query.bind(runner);
      jest.spyOn(runner, 'query').mockImplementation((sql: string, ...rest: unknown[]) => {
        const statement = sql.split(' ').slice(0, 2).join(' ');
        const by = tag();
        seen.push(by === undefined ? statement : `${by}: ${statement}`);
        return (query as (...args: unknown[]) => Promise<unknown>)(sql, ...rest);
      });
      return seen;
    }

    /** A first transaction held open until `release()`, while the next ones queue up. */
    function holdWriter() {
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const first = db.transaction(async (m) => {
        await m.query("INSERT INTO note (text) VALUES ('first')");
        await held;
        return 'first';
      });
      return { first, release };
    }

    const insert = (text: string) => (m: EntityManager) => m.query('INSERT INTO note (text) VALUES (?)', [text]).then(() => text);
    const notes = async () => (await db.read((m) => m.query('SELECT text FROM note ORDER BY id'))).map((row: { text: string }) => row.text);

    afterEach(() => jest.restoreAllMocks());

    it('runs a transaction alone as before: BEGIN, its statements, COMMIT', async () => {
      const seen = statements();
      await db.transaction(insert('alone'));
      expect(seen).toEqual(['BEGIN TRANSACTION', 'INSERT INTO', 'COMMIT']);
    });

    it('commits the transactions that queued up meanwhile at once; one that fails loses only its own rows', async () => {
      const seen = statements();
      const { first, release } = holdWriter();
      const committedWhenAnswered: boolean[] = [];
      const answered = (text: string) => async () => committedWhenAnswered.push((await notes()).includes(text));
      const second = db.transaction(insert('second'));
      void second.then(answered('second'));
      const failing = db.transaction(async (m) => {
        await insert('failing')(m);
        throw new Error('refused');
      });
      const third = db.transaction(insert('third'));
      void third.then(answered('third'));
      release();

      expect(await first).toBe('first');
      expect(await second).toBe('second');
      await expect(failing).rejects.toThrow('refused');
      expect(await third).toBe('third');
      expect(await notes()).toEqual(['committed', 'first', 'second', 'third']);
      // Nobody was answered before the commit that kept their rows.
      await new Promise((resolve) => setImmediate(resolve));
      expect(committedWhenAnswered).toEqual([true, true]);
      // All four queued before the writer took the first: one transaction, a savepoint each but the first's.
      expect(seen.filter((sql) => /^(BEGIN|COMMIT|SAVEPOINT|RELEASE|ROLLBACK)/.test(sql))).toEqual([
        'BEGIN TRANSACTION',
        'SAVEPOINT typeorm_1',
        'RELEASE SAVEPOINT',
        'SAVEPOINT typeorm_1',
        'ROLLBACK TO',
        'SAVEPOINT typeorm_1',
        'RELEASE SAVEPOINT',
        'COMMIT',
      ]);
    });

    it('begins again when the first of a group fails, and commits at most eight together', async () => {
      const seen = statements();
      const failingFirst = db.transaction(() => Promise.reject(new Error('first refused')));
      const texts = Array.from({ length: 10 }, (_, i) => `n${i}`);
      const rest = texts.map((text) => db.transaction(insert(text)));
      await expect(failingFirst).rejects.toThrow('first refused');
      expect(await Promise.all(rest)).toEqual(texts);
      expect(await notes()).toEqual(['committed', ...texts]);
      const control = seen.filter((sql) => /^(BEGIN|COMMIT|ROLLBACK)/.test(sql));
      // The first rolled back alone; the seven others of its group together; then the last three.
      expect(control).toEqual(['BEGIN TRANSACTION', 'ROLLBACK', 'BEGIN TRANSACTION', 'COMMIT', 'BEGIN TRANSACTION', 'COMMIT']);
    });

    it('runs each transaction of a group again alone when the group’s COMMIT fails, so only the culprit fails', async () => {
      await writer.query('CREATE TABLE parent (id INTEGER PRIMARY KEY)');
      await writer.query(
        'CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)',
      );
      const { first, release } = holdWriter();
      const orphan = db.transaction((m) => m.query('INSERT INTO child (parent_id) VALUES (42)')); // refused at COMMIT only
      const innocent = db.transaction(insert('innocent'));
      release();

      await first;
      await expect(orphan).rejects.toThrow(/FOREIGN KEY/);
      expect(await innocent).toBe('innocent');
      expect(await notes()).toEqual(['committed', 'first', 'innocent']);
      expect(await db.read((m) => m.query('SELECT COUNT(*) AS n FROM child'))).toEqual([{ n: 0 }]);
      // The writer is usable as before.
      await db.transaction(insert('after'));
      expect(await notes()).toEqual(['committed', 'first', 'innocent', 'after']);
    });

    it('runs each transaction of a group in its caller’s async context, with answers of its own', async () => {
      const caller = new AsyncLocalStorage<string>();
      const { first, release } = holdWriter();
      const asks = ['a', 'b', 'c'].map((name) =>
        caller.run(name, () => db.transaction(async () => [caller.getStore(), await db.once('who', async () => name)])),
      );
      release();
      await first;
      expect(await Promise.all(asks)).toEqual([
        ['a', 'a'],
        ['b', 'b'],
        ['c', 'c'],
      ]);
    });

    it('runs what a transaction asked afterCommit once it committed, never for one rolled back or a run whose commit failed', async () => {
      await writer.query('CREATE TABLE parent (id INTEGER PRIMARY KEY)');
      await writer.query(
        'CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)',
      );
      const followed: string[] = [];
      const asking = (name: string, work: (m: EntityManager) => Promise<unknown>) => async (m: EntityManager) => {
        // Seen from here, the rows are not committed yet: what follows the commit must wait for it.
        db.afterCommit(async () => followed.push(`${name}: ${(await notes()).includes(name) ? 'committed' : 'not yet'}`));
        db.afterCommit(() => followed.push(`${name} again`));
        return work(m);
      };
      const { first, release } = holdWriter();
      const kept = db.transaction(asking('kept', insert('kept')));
      // In the group its COMMIT fails (a deferred key), and it runs again alone, to fail again: nothing follows.
      const orphan = db.transaction(asking('orphan', (m) => m.query('INSERT INTO child (parent_id) VALUES (42)')));
      const refused = db.transaction(
        asking('refused', async (m) => {
          await insert('refused')(m);
          throw new Error('refused');
        }),
      );
      release();
      await first;
      expect(await kept).toBe('kept');
      await expect(orphan).rejects.toThrow(/FOREIGN KEY/);
      await expect(refused).rejects.toThrow('refused');
      await new Promise((resolve) => setImmediate(resolve));
      // Once each: the group's failed COMMIT took its first run's asks with it.
      expect(followed.sort()).toEqual(['kept again', 'kept: committed']);
      // Outside a transaction of the service nothing can follow its commit, and it says so.
      const outside = jest.fn();
      expect(db.afterCommit(outside)).toBe(false);
      await writer.transaction(async () => expect(db.afterCommit(outside)).toBe(false));
      expect(outside).not.toHaveBeenCalled();
    });

    it('runs a group’s statements in their transaction’s context, its COMMIT in that of the one whose BEGIN it ends', async () => {
      const caller = new AsyncLocalStorage<string>();
      const seen = statements(() => caller.getStore());
      const refused = caller.run('x', () => db.transaction(() => Promise.reject(new Error('refused'))));
      const asks = ['a', 'b'].map((name) => caller.run(name, () => db.transaction(insert(name))));
      await expect(refused).rejects.toThrow('refused');
      expect(await Promise.all(asks)).toEqual(['a', 'b']);
      expect(seen).toEqual([
        'x: BEGIN TRANSACTION',
        'x: ROLLBACK',
        'a: BEGIN TRANSACTION',
        'a: INSERT INTO',
        'b: SAVEPOINT typeorm_1',
        'b: INSERT INTO',
        'b: RELEASE SAVEPOINT',
        'a: COMMIT',
      ]);
    });
  });
});
