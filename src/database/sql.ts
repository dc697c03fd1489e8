import { type EntityManager, QueryFailedError, QueryResult } from 'typeorm';
import { LruMap } from '../common/lru';

/** The slice of better-sqlite3's API used here (the package ships no types in this project). */
interface Statement {
  /** The parameters bound from one array (no spread of them into arguments). */
  all(values: unknown[]): unknown[];
  run(values: unknown[]): { changes: number; lastInsertRowid: number | bigint };
}
interface Database {
  prepare(sql: string): Statement;
}

/** Prepared statements kept per SQLite connection; the hot path has a few dozen texts, IN lists a few more. */
const STATEMENTS_KEPT = 200;
const prepared = new WeakMap<Database, LruMap<string, Statement>>();

/**
 * Plain SQL for the hot path, inside the manager's transaction or on its connection. On SQLite the statement runs
 * straight on better-sqlite3, prepared once per connection: TypeORM's query runner costs several awaits, a
 * broadcast and a result object per statement (≈ 7% of a transition's CPU in `npm run bench`), for nothing it adds
 * here. It is logged, and fails, exactly as TypeORM's would (`logQuery`, `logQueryError`, `QueryFailedError` with
 * the driver's error). On MySQL it is TypeORM's query.
 */
export async function select<T = Record<string, unknown>>(m: EntityManager, sql: string, params: unknown[] = []): Promise<T[]> {
  const sqlite = sqliteOf(m);
  if (!sqlite) return m.query(sql, params);
  return runOn(m, sqlite, sql, params, (stmt, values) => stmt.all(values) as T[]);
}

/**
 * A write inside the caller's transaction, answered with TypeORM's structured result: the driver-neutral way to
 * learn the rows changed (`affected`) and, from an INSERT, its id (`raw`: SQLite's last row id, MySQL's header).
 */
export async function write(m: EntityManager, sql: string, params: unknown[]): Promise<QueryResult> {
  if (!m.queryRunner) throw new Error('A write must run inside a transaction (DatabaseService.transaction)');
  const sqlite = sqliteOf(m);
  if (!sqlite) return m.queryRunner.query(sql, params, true);
  return runOn(m, sqlite, sql, params, (stmt, values) => {
    const { changes, lastInsertRowid } = stmt.run(values);
    const result = new QueryResult();
    result.affected = changes;
    result.raw = lastInsertRowid;
    return result;
  });
}

/** The better-sqlite3 connection behind the manager (the writer's or the reader's), or null on MySQL. */
function sqliteOf(m: EntityManager): Database | null {
  if (m.connection.options.type !== 'better-sqlite3') return null;
  return (m.connection.driver as unknown as { databaseConnection: Database }).databaseConnection;
}

function runOn<R>(m: EntityManager, db: Database, sql: string, params: unknown[], run: (stmt: Statement, values: unknown[]) => R): R {
  if (m.queryRunner?.isReleased) throw new Error('The transaction this statement belongs to has ended');
  // better-sqlite3 binds no booleans: 1 and 0, as TypeORM sends them.
  const values = params.map((p) => (typeof p === 'boolean' ? Number(p) : p));
  m.connection.logger.logQuery(sql, values, m.queryRunner);
  try {
    return run(statement(db, sql), values);
  } catch (error) {
    m.connection.logger.logQueryError(error as Error, sql, values, m.queryRunner);
    throw new QueryFailedError(sql, values, error as Error);
  }
}

function statement(db: Database, sql: string): Statement {
  let kept = prepared.get(db);
  if (!kept) prepared.set(db, (kept = new LruMap(STATEMENTS_KEPT)));
  let stmt = kept.get(sql);
  if (!stmt) kept.set(sql, (stmt = db.prepare(sql)));
  return stmt;
}
