import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource, DataSourceOptions, EntitySchema } from 'typeorm';
import { AppConfig } from '../config/config';
import { MIGRATIONS } from '../../migrations';
import { mysqlEndpoint } from './mysql-url';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type for entity classes
export type EntityList = (Function | EntitySchema)[];

/**
 * One description of the database for the app, the tests and the migration CLI. The platform knows no
 * domain: the composition root (app.module.ts) hands over the entities; migrations need none.
 */
export function dataSourceOptions(config: Pick<AppConfig, 'database'>, entities: EntityList = []): DataSourceOptions {
  const common = { entities, migrations: MIGRATIONS, synchronize: false, migrationsRun: false, logging: false } as const;
  if (config.database.engine === 'sqlite') {
    const path = config.database.sqlitePath!;
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    return {
      ...common,
      type: 'better-sqlite3',
      database: path,
      enableWAL: true,
      prepareDatabase: (db: { pragma(sql: string): unknown }) => {
        db.pragma('foreign_keys = ON');
        db.pragma('busy_timeout = 5000');
        db.pragma('synchronous = NORMAL');
      },
    };
  }
  return {
    ...common,
    type: 'mysql',
    url: config.database.url,
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    supportBigNumbers: true,
    poolSize: 20,
    // trace: false — mysql2 otherwise captures a stack trace on every query (Error.captureStackTrace, ~5% of
    // the CPU of a transition in `npm run bench`) only to decorate errors; TypeORM wraps them in its own anyway.
    // multipleStatements: the writes of a transition whose answers nothing waits for go to the server in one
    // round trip (sql.ts `writeLater`). Every value is sent as a `?` parameter, escaped by mysql2.
    extra: { connectionLimit: 20, trace: false, multipleStatements: true, ...socketOf(config.database.url) },
  };
}

export function createDataSource(config: Pick<AppConfig, 'database'>, entities: EntityList = []): DataSource {
  return new DataSource(dataSourceOptions(config, entities));
}

/**
 * On SQLite, a second connection to the same file that only reads. The writer's one connection is
 * serialised (one transaction at a time, held across awaits); in WAL mode readers see the last commit and
 * never wait for the writer, so plain reads need not queue behind transactions. None for an in-memory
 * database (a second connection would see another database) nor for MySQL (its pool already reads in
 * parallel).
 */
export function createSqliteReader(config: Pick<AppConfig, 'database'>, entities: EntityList = []): DataSource | null {
  if (config.database.engine !== 'sqlite' || config.database.sqlitePath === ':memory:') return null;
  return new DataSource({
    type: 'better-sqlite3',
    database: config.database.sqlitePath!,
    entities,
    synchronize: false,
    migrationsRun: false,
    logging: false,
    readonly: true,
    fileMustExist: true,
    prepareDatabase: (db: { pragma(sql: string): unknown }) => {
      db.pragma('busy_timeout = 5000');
    },
  });
}

/** `?socket=` of a mysql:// URL (TypeORM reads only host, port, user and database from it). */
function socketOf(url: string): { socketPath?: string } {
  const { socketPath } = mysqlEndpoint(url);
  return socketPath ? { socketPath } : {};
}
