import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
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
});
