/**
 * How the app talks to MySQL/MariaDB. DATABASE_URL's `?socket=`: a server on the same machine reached through its
 * Unix socket works as over TCP (the socket's path is asked of the server itself). And the outbox claim's
 * transaction reads at READ COMMITTED. Needs TEST_DATABASE_URL.
 */
import { createConnection } from 'mysql2/promise';
import { DatabaseService } from '../src/database/database.service';
import { mysqlEndpoint } from '../src/database/mysql-url';
import { Court } from './support/pairing-flow';
import { startTestApp, TestApp } from './support/test-app';

jest.setTimeout(60_000);

const server = process.env.TEST_DATABASE_URL;

if (!server) describe('The MySQL connection on mysql', () => it.todo('NOT RUN: needs TEST_DATABASE_URL (CI sets it)'));
else
  describe('The MySQL connection on mysql', () => {
    let t: TestApp;
    let socket: string;

    beforeAll(async () => {
      const conn = await createConnection(mysqlEndpoint(server));
      const [[row]] = await conn.query<({ socket: string } & import('mysql2').RowDataPacket)[]>('SELECT @@socket AS socket');
      await conn.end();
      socket = row.socket;
      t = await startTestApp('mysql', {}, { databaseUrl: (url) => `${url}?socket=${encodeURIComponent(socket)}` });
    });
    afterAll(() => t?.close());

    it('connects through the socket, not TCP', async () => {
      expect(t.config.database.url).toContain(`?socket=`);
      const [row] = await t.dataSource.query('SELECT `HOST` AS host FROM information_schema.PROCESSLIST WHERE `ID` = CONNECTION_ID()');
      // A TCP client shows as host:port; a socket client as the bare host name.
      expect(row.host).toBe('localhost');
    });

    it('signs in and carries a pairing through a transition, as over TCP', async () => {
      const court = await Court.open(t);
      const created = await court.create();
      const submitted = await court.do('secretary', created.id, { type: 'SUBMIT' });
      expect(submitted.state).toBe('proposed');
      expect((await court.history(created.id)).map((e) => e.type)).toEqual(['CREATE', 'SUBMIT']);
    });

    it('runs a transaction at READ COMMITTED when asked (the outbox claim), at the server’s REPEATABLE READ otherwise', async () => {
      const db = t.app.get(DatabaseService);
      await t.dataSource.query('CREATE TABLE `isolation_probe` (`id` INT PRIMARY KEY AUTO_INCREMENT) ENGINE=InnoDB');
      const other = await createConnection(mysqlEndpoint(t.config.database.url));
      // A row another connection commits between two reads of one transaction: seen again only at READ COMMITTED.
      const seesNewCommits = (readCommitted: boolean) =>
        db.transaction(
          async (m) => {
            const count = async () => Number((await m.query('SELECT COUNT(*) AS n FROM `isolation_probe`'))[0].n);
            const before = await count();
            await other.query('INSERT INTO `isolation_probe` () VALUES ()');
            return (await count()) > before;
          },
          { readCommitted },
        );
      try {
        expect(await seesNewCommits(true)).toBe(true);
        expect(await seesNewCommits(false)).toBe(false);
      } finally {
        await other.end();
      }
    });
  });
