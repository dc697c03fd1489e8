import { mysqlEndpoint, withDatabase } from './mysql-url';

describe('mysqlEndpoint', () => {
  it('reads a server URL and a database URL, with the socket when one is named', () => {
    expect(mysqlEndpoint('mysql://root@127.0.0.1:3306')).toEqual({ host: '127.0.0.1', port: 3306, user: 'root', password: '' });
    expect(mysqlEndpoint('mariadb://gj:p%40ss@localhost/gongjian?socket=/run/mysqld/mysqld.sock')).toEqual({
      host: 'localhost',
      port: 3306,
      user: 'gj',
      password: 'p@ss',
      database: 'gongjian',
      socketPath: '/run/mysqld/mysqld.sock',
    });
  });

  it('names another database and keeps the socket', () => {
    const url = withDatabase('mysql://root@localhost/test?socket=/run/mysqld/mysqld.sock', 'gj_bench_1');
    expect(mysqlEndpoint(url)).toMatchObject({ database: 'gj_bench_1', socketPath: '/run/mysqld/mysqld.sock' });
  });
});
