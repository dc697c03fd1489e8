/**
 * What a transaction sends to MySQL, and in how many round trips (src/database/sql.ts `holdBack`,
 * `writeLater`): what needs no answer goes with the transaction's next statement, and the transaction keeps
 * every guarantee it had statement by statement. Counted on the connection itself (mysql2's `query`), so a
 * round trip saved is one the server did not see. Needs TEST_DATABASE_URL.
 */
import { DataSource, QueryFailedError } from 'typeorm';
import { createDataSource } from '../src/database/data-source';
import { DatabaseService } from '../src/database/database.service';
import { select, write, writeLater } from '../src/database/sql';
import { freshDatabase, FreshDatabase } from './support/test-app';

jest.setTimeout(60_000);

const server = process.env.TEST_DATABASE_URL;

if (!server) describe('Round trips of a MySQL transaction', () => it.todo('NOT RUN: needs TEST_DATABASE_URL (CI sets it)'));
else
  describe('Round trips of a MySQL transaction', () => {
    let fresh: FreshDatabase;
    let dataSource: DataSource;
    let db: DatabaseService;
    let sent: string[] = [];
    let logged: string[];

    beforeAll(async () => {
      fresh = await freshDatabase('mysql');
      dataSource = createDataSource({ database: { engine: 'mysql', url: fresh.url } });
      await dataSource.initialize();
      await dataSource.query('CREATE TABLE note (id INT PRIMARY KEY AUTO_INCREMENT, text VARCHAR(20) NOT NULL UNIQUE) ENGINE=InnoDB');
      db = new DatabaseService(dataSource);
      // Every round trip any pooled connection makes, as the server receives it (each connection patched the
      // first time it is taken from the pool, TypeORM's first one included).
      const patched = new WeakSet<Connection>();
      const pool = (dataSource.driver as unknown as { pool: { on(event: 'acquire', f: (c: Connection) => void): void } }).pool;
      pool.on('acquire', (connection) => {
        if (patched.has(connection)) return;
        patched.add(connection);
        const query = connection.query.bind(connection);
        connection.query = (sql: string | { sql: string }, ...rest: unknown[]) => {
          sent.push(typeof sql === 'string' ? sql : sql.sql);
          return query(sql, ...rest);
        };
      });
      logged = [];
      const logQuery = dataSource.logger.logQuery.bind(dataSource.logger);
      dataSource.logger.logQuery = (query, parameters, runner) => {
        logged.push(query);
        return logQuery(query, parameters, runner);
      };
    });
    afterAll(async () => {
      await dataSource?.destroy();
      await fresh?.drop();
    });
    beforeEach(async () => {
      await dataSource.query('DELETE FROM note');
      sent = [];
      logged = [];
    });

    const texts = async () => (await db.read((m) => select<{ text: string }>(m, 'SELECT text FROM note ORDER BY id'))).map((r) => r.text);

    it('sends START TRANSACTION with the first statement, and held-back writes with the COMMIT: 2 round trips for 5 statements', async () => {
      await db.transaction(async (m) => {
        await select(m, 'SELECT COUNT(*) AS n FROM note FOR UPDATE');
        await writeLater(m, 'INSERT INTO note (text) VALUES (?)', ['甲']);
        await writeLater(m, 'INSERT INTO note (text) VALUES (?)', ['乙']);
      });
      expect(sent).toEqual([
        'START TRANSACTION;\nSELECT COUNT(*) AS n FROM note FOR UPDATE',
        'INSERT INTO note (text) VALUES (?);\nINSERT INTO note (text) VALUES (?);\nCOMMIT',
      ]);
      // Logged (and so counted) one statement at a time, as sent.
      expect(logged).toEqual([
        'START TRANSACTION',
        'SELECT COUNT(*) AS n FROM note FOR UPDATE',
        'INSERT INTO note (text) VALUES (?)',
        'INSERT INTO note (text) VALUES (?)',
        'COMMIT',
      ]);
      expect(await texts()).toEqual(['甲', '乙']);
    });

    it('lets the transaction read what it held back, whoever reads: its own plain SQL or TypeORM', async () => {
      const seen = await db.transaction(async (m) => {
        await writeLater(m, 'INSERT INTO note (text) VALUES (?)', ['丙']);
        const plain = await select<{ n: number }>(m, 'SELECT COUNT(*) AS n FROM note');
        await writeLater(m, 'INSERT INTO note (text) VALUES (?)', ['丁']);
        const typeorm = await m.query('SELECT COUNT(*) AS n FROM note');
        return [Number(plain[0].n), Number(typeorm[0].n)];
      });
      expect(seen).toEqual([1, 2]);
      expect(await texts()).toEqual(['丙', '丁']);
    });

    it('answers a write that is waited for at once, with what was held back sent first in the same round trip', async () => {
      const result = await db.transaction(async (m) => {
        await writeLater(m, 'INSERT INTO note (text) VALUES (?)', ['戊']);
        return write(m, 'INSERT INTO note (text) VALUES (?)', ['己']);
      });
      expect(result.affected).toBe(1);
      expect((result.raw as { insertId: number }).insertId).toBeGreaterThan(0);
      expect(sent).toHaveLength(2); // START + both INSERTs, then COMMIT
      expect(await texts()).toEqual(['戊', '己']);
    });

    it('fails the transaction when a held-back write is refused, and keeps nothing of it', async () => {
      await db.transaction((m) => write(m, 'INSERT INTO note (text) VALUES (?)', ['庚']));
      const refused = db.transaction(async (m) => {
        await writeLater(m, 'INSERT INTO note (text) VALUES (?)', ['辛']);
        await writeLater(m, 'INSERT INTO note (text) VALUES (?)', ['庚']); // taken
      });
      await expect(refused).rejects.toBeInstanceOf(QueryFailedError);
      await expect(refused).rejects.toMatchObject({ driverError: { code: 'ER_DUP_ENTRY' } });
      // It rode with the COMMIT: the server ran none of the statements after the refused one, the COMMIT
      // included, and the transaction was rolled back.
      expect(sent.slice(-2)).toEqual([
        'START TRANSACTION;\nINSERT INTO note (text) VALUES (?);\nINSERT INTO note (text) VALUES (?);\nCOMMIT',
        'ROLLBACK',
      ]);
      expect(await texts()).toEqual(['庚']);
      // The connection goes back to the pool clean: the next transaction on it commits what it writes.
      await db.transaction((m) => writeLater(m, 'INSERT INTO note (text) VALUES (?)', ['辰']));
      expect(await texts()).toEqual(['庚', '辰']);
    });

    it('rolls back when a held-back write’s check refuses its answer, before anything is committed', async () => {
      const refused = db.transaction(async (m) => {
        await writeLater(m, 'INSERT INTO note (text) VALUES (?)', ['壬']);
        await writeLater(m, 'UPDATE note SET text = ? WHERE text = ?', ['癸', '无'], (result) => {
          if (result.affected !== 1) throw new Error('the row was not there');
        });
      });
      await expect(refused).rejects.toThrow('the row was not there');
      // A write whose answer is judged does not ride with the COMMIT: the COMMIT was never sent.
      expect(sent.some((sql) => /COMMIT/.test(sql))).toBe(false);
      expect(await texts()).toEqual([]);
    });

    it('drops what was held back when the work fails before sending it', async () => {
      const failed = db.transaction(async (m) => {
        await writeLater(m, 'INSERT INTO note (text) VALUES (?)', ['子']);
        throw new Error('the work changed its mind');
      });
      await expect(failed).rejects.toThrow('the work changed its mind');
      expect(sent.some((sql) => sql.includes('子'))).toBe(false);
      expect(await texts()).toEqual([]);
    });

    it('sets READ COMMITTED, for a transaction that asks for it, before its START TRANSACTION (mysql-connection checks the effect)', async () => {
      await db.transaction((m) => select(m, 'SELECT 1 AS one'), { readCommitted: true });
      expect(sent).toEqual(['SET TRANSACTION ISOLATION LEVEL READ COMMITTED;\nSTART TRANSACTION;\nSELECT 1 AS one', 'COMMIT']);
    });
  });

interface Connection {
  query: (sql: string | { sql: string }, ...rest: unknown[]) => unknown;
}
