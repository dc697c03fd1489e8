import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource, QueryFailedError } from 'typeorm';
import { createDataSource, createSqliteReader } from './data-source';
import { DatabaseService } from './database.service';
import { select, write } from './sql';

describe('Plain SQL of the hot path on SQLite (straight on better-sqlite3)', () => {
  let dir: string;
  let writer: DataSource;
  let reader: DataSource;
  let db: DatabaseService;
  let logged: string[];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gongjian-sql-'));
    const config = { database: { engine: 'sqlite' as const, url: '', sqlitePath: join(dir, 'db.sqlite') } };
    writer = createDataSource(config);
    await writer.initialize();
    await writer.query('CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE, flag INTEGER NOT NULL DEFAULT 0)');
    reader = createSqliteReader(config)!;
    await reader.initialize();
    db = new DatabaseService(writer, reader);
    logged = [];
    writer.logger.logQuery = (query) => void logged.push(query);
  });

  afterEach(async () => {
    await reader.destroy();
    await writer.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes inside the transaction, answering the rows changed and the new id, and binds booleans as 1 and 0', async () => {
    const first = await db.transaction((m) => write(m, 'INSERT INTO note (text, flag) VALUES (?, ?)', ['甲', true]));
    const second = await db.transaction((m) => write(m, 'INSERT INTO note (text, flag) VALUES (?, ?)', ['乙', false]));
    expect([first.affected, Number(first.raw), second.affected, Number(second.raw)]).toEqual([1, 1, 1, 2]);
    const changed = await db.transaction((m) => write(m, 'UPDATE note SET flag = ? WHERE flag = ?', [true, true]));
    expect(changed.affected).toBe(1);
    expect(await db.read((m) => select(m, 'SELECT text, flag FROM note ORDER BY id'))).toEqual([
      { text: '甲', flag: 1 },
      { text: '乙', flag: 0 },
    ]);
  });

  it('logs every statement through TypeORM’s logger, as TypeORM’s own queries are', async () => {
    await db.transaction(async (m) => {
      await write(m, 'INSERT INTO note (text) VALUES (?)', ['丙']);
      await select(m, 'SELECT id FROM note WHERE text = ?', ['丙']);
    });
    expect(logged.filter((q) => /note/.test(q))).toEqual(['INSERT INTO note (text) VALUES (?)', 'SELECT id FROM note WHERE text = ?']);
  });

  it('fails as TypeORM would, with the driver’s error, and the transaction keeps nothing', async () => {
    await db.transaction((m) => write(m, 'INSERT INTO note (text) VALUES (?)', ['丁']));
    const refused = db.transaction(async (m) => {
      await write(m, 'INSERT INTO note (text) VALUES (?)', ['戊']);
      await write(m, 'INSERT INTO note (text) VALUES (?)', ['丁']);
    });
    await expect(refused).rejects.toBeInstanceOf(QueryFailedError);
    await expect(refused).rejects.toMatchObject({ driverError: { code: 'SQLITE_CONSTRAINT_UNIQUE' } });
    expect(await db.read((m) => select(m, 'SELECT text FROM note ORDER BY id'))).toEqual([{ text: '丁' }]);
  });

  it('reads on the read-only connection outside a transaction, and refuses a write there', async () => {
    await db.transaction((m) => write(m, 'INSERT INTO note (text) VALUES (?)', ['己']));
    expect(await db.read((m) => select(m, 'SELECT COUNT(*) AS n FROM note'))).toEqual([{ n: 1 }]);
    await expect(db.read((m) => write(m, 'INSERT INTO note (text) VALUES (?)', ['庚']))).rejects.toThrow(/inside a transaction/);
  });
});
