/**
 * A `mysql://user:pass@host:port/db` URL as mysql2 connection options. `?socket=/run/mysqld/mysqld.sock`
 * connects through the server's Unix socket instead of TCP — for a database on the same machine, the cheaper
 * way in: no TCP stack on either side of every statement (the host and port then only name the server).
 */
export interface MysqlEndpoint {
  host: string;
  port: number;
  user: string;
  password: string;
  /** Absent when the URL names no database (a server URL). */
  database?: string;
  socketPath?: string;
}

export function mysqlEndpoint(url: string): MysqlEndpoint {
  const parsed = new URL(url.replace(/^mariadb:/, 'mysql:'));
  const socket = parsed.searchParams.get('socket')?.trim();
  const database = decodeURIComponent(parsed.pathname.slice(1));
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 3306),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    ...(database ? { database } : {}),
    ...(socket ? { socketPath: socket } : {}),
  };
}

/** The same URL naming another database (the query, e.g. `?socket=`, kept). */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
