/**
 * DATABASE_URL's `?socket=`: the app reaches a MySQL/MariaDB server on the same machine through its Unix socket
 * (the cheaper way in, see README › Benchmark) and works as over TCP. Needs TEST_DATABASE_URL; the socket's path
 * is asked of the server itself.
 */
import { createConnection } from 'mysql2/promise';
import { mysqlEndpoint } from '../src/database/mysql-url';
import { Court } from './support/pairing-flow';
import { startTestApp, TestApp } from './support/test-app';

jest.setTimeout(60_000);

const server = process.env.TEST_DATABASE_URL;

if (!server) describe('The database through its Unix socket on mysql', () => it.todo('NOT RUN: needs TEST_DATABASE_URL (CI sets it)'));
else
  describe('The database through its Unix socket on mysql', () => {
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
  });
