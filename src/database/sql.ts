import { type EntityManager, type QueryRunner, QueryFailedError, QueryResult } from 'typeorm';
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

/** The slice of mysql2's callback API used here: a pooled connection or the pool itself. */
interface MysqlClient {
  query(sql: string, values: unknown[], done: (error: Error | null, result: unknown) => void): unknown;
}
/** mysql2's answer to a statement that returns no rows. */
interface ResultHeader {
  affectedRows?: number;
  insertId?: number;
}

/** Prepared statements kept per SQLite connection; the hot path has a few dozen texts, IN lists a few more. */
const STATEMENTS_KEPT = 200;
const prepared = new WeakMap<Database, LruMap<string, Statement>>();

/**
 * Plain SQL for the hot path, inside the manager's transaction or on its connection, straight on the driver:
 * TypeORM's query runner costs several awaits, a broadcast, a result object and (mysql2) a wrapper per
 * statement, for nothing it adds here. On SQLite the statement runs on better-sqlite3, prepared once per
 * connection; on MySQL on the transaction's pooled connection (or the pool) through mysql2, which formats the
 * parameters into the text as TypeORM has it do. It is logged, and fails, exactly as TypeORM's would
 * (`logQuery`, `logQueryError`, `QueryFailedError` with the driver's error).
 */
export async function select<T = Record<string, unknown>>(m: EntityManager, sql: string, params: unknown[] = []): Promise<T[]> {
  const sqlite = sqliteOf(m);
  if (sqlite) return runOn(m, sqlite, sql, params, (stmt, values) => stmt.all(values) as T[]);
  return (await mysqlQuery(m, sql, params)) as T[];
}

/**
 * A write inside the caller's transaction, answered with TypeORM's structured result: the driver-neutral way to
 * learn the rows changed (`affected`) and, from an INSERT, its id (`raw`: SQLite's last row id, MySQL's header).
 */
export async function write(m: EntityManager, sql: string, params: unknown[]): Promise<QueryResult> {
  transactionOf(m); // refuses a write outside a transaction
  const sqlite = sqliteOf(m);
  if (!sqlite) return structured((await mysqlQuery(m, sql, params)) as ResultHeader);
  return runOn(m, sqlite, sql, params, (stmt, values) => {
    const { changes, lastInsertRowid } = stmt.run(values);
    const result = new QueryResult();
    result.affected = changes;
    result.raw = lastInsertRowid;
    return result;
  });
}

/**
 * A write whose answer nothing in the transaction waits for (an audit event, the pairing's new columns, an outbox
 * row). On MySQL, in a transaction of DatabaseService (`holdBack`), it goes to the server with the transaction's
 * next statement, whoever sends it (this file or TypeORM, its COMMIT included), in one round trip with the others
 * held back: the transaction still reads what it wrote and commits nothing it did not send. With no `check`
 * it may go with the COMMIT itself: refused, it stops the server short of the COMMIT. `check` judges its
 * answer before anything is committed; what it throws fails that next statement's call, and so the
 * transaction, which rolls back. A transaction that rolls back drops what was still held back. Elsewhere (SQLite, where a statement is a function
 * call) it runs at once, as `write`.
 */
export async function writeLater(m: EntityManager, sql: string, params: unknown[], check?: (result: QueryResult) => void): Promise<void> {
  const held = waiting.get(transactionOf(m));
  if (held) {
    held.push({ sql, params, check });
    return;
  }
  const result = await write(m, sql, params);
  check?.(result);
}

/** The better-sqlite3 connection behind the manager (the writer's or the reader's), or null on MySQL. */
function sqliteOf(m: EntityManager): Database | null {
  if (m.connection.options.type !== 'better-sqlite3') return null;
  return (m.connection.driver as unknown as { databaseConnection: Database }).databaseConnection;
}

function transactionOf(m: EntityManager): QueryRunner {
  if (!m.queryRunner) throw new Error('A write must run inside a transaction (DatabaseService.transaction)');
  return m.queryRunner;
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

/* ------------------------------------------------------------------ MySQL */

/** A statement held back, to go with the transaction's next one (`writeLater`, its START TRANSACTION). */
interface Waiting {
  sql: string;
  params: unknown[];
  check?: (result: QueryResult) => void;
}

const waiting = new WeakMap<QueryRunner, Waiting[]>();
/** TypeORM's end of a transaction: what is held back may ride with it (`holdBack`). */
const COMMIT = /^\s*COMMIT\s*$/i;
/** What TypeORM sends to open a transaction: it needs no answer, so it goes with the first statement inside. */
const OPENING = /^\s*(START TRANSACTION|SET TRANSACTION ISOLATION LEVEL [A-Z ]+)\s*$/i;

/**
 * On MySQL, a transaction about to run on `runner` holds back what needs no answer — the START TRANSACTION
 * TypeORM sends, the writes of `writeLater` — and sends it with its next statement, in one round trip: the
 * hot path's plain statements carry it along, and so does TypeORM's COMMIT unless a held-back write waits
 * for its answer to be judged (a `check`, judged before anything is committed); before any other statement
 * TypeORM sends on the runner it goes on its own. A ROLLBACK of the whole transaction drops what still waits.
 * Nothing on SQLite, nor where the connection takes one statement at a time (`multipleStatements` off).
 */
export function holdBack(runner: QueryRunner): void {
  if (waiting.has(runner) || !batchable(runner.manager)) return;
  const list: Waiting[] = [];
  waiting.set(runner, list);
  const query = runner.query.bind(runner) as (sql: string, params?: unknown[], structured?: boolean) => Promise<unknown>;
  runner.query = (async (sql: string, params?: unknown[], useStructured?: boolean) => {
    if (OPENING.test(sql) && !params?.length) {
      await runner.connect();
      list.push({ sql, params: [] });
      return useStructured ? new QueryResult() : undefined;
    }
    if (/^\s*ROLLBACK\s*$/i.test(sql)) list.length = 0;
    else if (COMMIT.test(sql) && list.length && !list.some((w) => w.check)) {
      // Nothing held back waits for a judgement of its answer: it goes with the COMMIT. Should one of them be
      // refused, the server runs none of the statements after it, the COMMIT included, and the call fails.
      await send(runner.manager, runner, [{ sql, params: [] }]);
      return useStructured ? new QueryResult() : undefined;
    } else await send(runner.manager, runner, []);
    return query(sql, params, useStructured);
  }) as QueryRunner['query'];
}

/**
 * One statement on mysql2: on the transaction's connection, with what waits on it in front (`holdBack`), else
 * on the pool. A query runner not connected yet goes through TypeORM, which connects it.
 */
async function mysqlQuery(m: EntityManager, sql: string, params: unknown[]): Promise<unknown> {
  const runner = m.queryRunner;
  if (runner?.isReleased) throw new Error('The transaction this statement belongs to has ended');
  if (runner && !connectionOf(runner)) return runner.query(sql, params);
  if (runner) return send(m, runner, [{ sql, params }]);
  const pool = poolOf(m);
  if (!pool) return m.query(sql, params);
  m.connection.logger.logQuery(sql, params);
  return sent(m, pool, sql, params, undefined);
}

/**
 * Sends what waits on the runner and then `statements`, all in one round trip; judges each waiting write's
 * answer (what a check throws fails the call, and so the transaction) and answers the last of `statements`.
 */
async function send(m: EntityManager, runner: QueryRunner, statements: Waiting[]): Promise<unknown> {
  const held = waiting.get(runner);
  const batch = held?.length ? [...held.splice(0), ...statements] : statements;
  if (!batch.length) return undefined;
  for (const w of batch) m.connection.logger.logQuery(w.sql, w.params, runner);
  const client = connectionOf(runner) ?? ((await runner.connect()) as MysqlClient);
  const sql = batch.map((w) => w.sql).join(';\n');
  const answer = await sent(m, client, sql, batch.length === 1 ? batch[0].params : batch.flatMap((w) => w.params), runner);
  // One statement is answered by its result, several by the list of theirs.
  const answers = batch.length === 1 ? [answer] : (answer as unknown[]);
  batch.forEach((w, i) => w.check?.(structured(answers[i] as ResultHeader)));
  return answers[answers.length - 1];
}

function sent(m: EntityManager, client: MysqlClient, sql: string, params: unknown[], runner: QueryRunner | undefined): Promise<unknown> {
  return new Promise((resolve, reject) => {
    client.query(sql, params, (error, result) => {
      if (!error) return resolve(result);
      m.connection.logger.logQueryError(error, sql, params, runner);
      reject(new QueryFailedError(sql, params, error));
    });
  });
}

function connectionOf(runner: QueryRunner): MysqlClient | undefined {
  return (runner as unknown as { databaseConnection?: MysqlClient }).databaseConnection;
}

function poolOf(m: EntityManager): MysqlClient | undefined {
  return (m.connection.driver as unknown as { pool?: MysqlClient }).pool;
}

function batchable(m: EntityManager): boolean {
  if (m.connection.options.type !== 'mysql') return false;
  const options = m.connection.options as { multipleStatements?: boolean; extra?: { multipleStatements?: boolean } };
  return Boolean(options.multipleStatements ?? options.extra?.multipleStatements);
}

function structured(header: ResultHeader): QueryResult {
  const result = new QueryResult();
  result.raw = header;
  result.affected = header.affectedRows;
  return result;
}
