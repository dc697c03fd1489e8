/**
 * The peer of `npm run bench`: the same lifecycle driven through a plain BPMN engine (bpmn-engine), no HTTP,
 * so the app's throughput can be set beside what an off-the-shelf workflow engine does with the same writes.
 *
 * The lifecycle is a BPMN process (below): a user task per step, a parallel pair of activity tasks in each
 * quarter, and an exclusive gateway looping over the four quarters. Each process instance keeps its state as
 * JSON in a table of its own (one row per instance: the engine's state, its version, the head of its audit
 * chain). Per event, in one transaction with the row locked (`SELECT … FOR UPDATE` on MySQL; one connection
 * and one transaction at a time on SQLite): load the state JSON, recover an engine from it, check that the
 * event's task is the one waiting, signal it, take the new state, and write state + one audit event (hash
 * chain per instance, the app's `auditHash`) + one outbox row, as the app does per transition.
 *
 * A measurement helper, not a test: it never asserts; a refused event is counted as an error.
 */
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { Engine, type Execution } from 'bpmn-engine';
import { createPool, type Pool, type PoolConnection, type ResultSetHeader, type RowDataPacket } from 'mysql2/promise';
import { auditHash, canonicalJson, GENESIS_HASH } from '../src/audit/canonical-json';
import { mysqlEndpoint } from '../src/database/mysql-url';

/** The lifecycle as a BPMN 2.0 process; ids are what the audit rows name as from/to states. */
const PAIRING_YEAR_BPMN = `<?xml version="1.0" encoding="UTF-8"?>
<definitions id="pairingYear" xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <process id="pairing" name="结对共建" isExecutable="true">
    <startEvent id="proposed" />
    <userTask id="submit" name="提交共建申请" />
    <userTask id="approve" name="党委审批" />
    <userTask id="signAgreement" name="签订共建协议" />
    <userTask id="filePlan" name="报送共建计划" />
    <userTask id="acceptPlan" name="党委备案" />
    <exclusiveGateway id="quarterStart" />
    <parallelGateway id="activitiesFork" />
    <userTask id="jointMeeting" name="联席会议" />
    <userTask id="activityDay" name="共建活动日" />
    <parallelGateway id="activitiesJoin" />
    <userTask id="quarterReport" name="季度报告" />
    <userTask id="scoreQuarter" name="季度评分" />
    <exclusiveGateway id="quarterEnd" default="toReview" />
    <userTask id="submitReview" name="年度述职" />
    <userTask id="approveReview" name="年度评定" />
    <endEvent id="scored" />
    <sequenceFlow id="toSubmit" sourceRef="proposed" targetRef="submit" />
    <sequenceFlow id="toApprove" sourceRef="submit" targetRef="approve" />
    <sequenceFlow id="toSign" sourceRef="approve" targetRef="signAgreement" />
    <sequenceFlow id="toPlan" sourceRef="signAgreement" targetRef="filePlan" />
    <sequenceFlow id="toAcceptPlan" sourceRef="filePlan" targetRef="acceptPlan" />
    <sequenceFlow id="toFirstQuarter" sourceRef="acceptPlan" targetRef="quarterStart" />
    <sequenceFlow id="toActivities" sourceRef="quarterStart" targetRef="activitiesFork" />
    <sequenceFlow id="toJointMeeting" sourceRef="activitiesFork" targetRef="jointMeeting" />
    <sequenceFlow id="toActivityDay" sourceRef="activitiesFork" targetRef="activityDay" />
    <sequenceFlow id="jointMeetingDone" sourceRef="jointMeeting" targetRef="activitiesJoin" />
    <sequenceFlow id="activityDayDone" sourceRef="activityDay" targetRef="activitiesJoin" />
    <sequenceFlow id="toQuarterReport" sourceRef="activitiesJoin" targetRef="quarterReport" />
    <sequenceFlow id="toScoreQuarter" sourceRef="quarterReport" targetRef="scoreQuarter" />
    <sequenceFlow id="toQuarterEnd" sourceRef="scoreQuarter" targetRef="quarterEnd" />
    <sequenceFlow id="nextQuarter" sourceRef="quarterEnd" targetRef="quarterStart">
      <conditionExpression xsi:type="tFormalExpression">\${environment.services.quartersLeft(environment.output.quartersScored)}</conditionExpression>
    </sequenceFlow>
    <sequenceFlow id="toReview" sourceRef="quarterEnd" targetRef="submitReview" />
    <sequenceFlow id="toApproveReview" sourceRef="submitReview" targetRef="approveReview" />
    <sequenceFlow id="toScored" sourceRef="approveReview" targetRef="scored" />
  </process>
</definitions>`;

const QUARTERS = 4;
const TASK_OF_EVENT: Record<string, string> = {
  SUBMIT: 'submit',
  APPROVE: 'approve',
  SIGN_AGREEMENT: 'signAgreement',
  FILE_PLAN: 'filePlan',
  ACCEPT_PLAN: 'acceptPlan',
  SUBMIT_QUARTER_REPORT: 'quarterReport',
  SCORE_QUARTER: 'scoreQuarter',
  SUBMIT_REVIEW: 'submitReview',
  APPROVE_REVIEW: 'approveReview',
};
const TASK_OF_ACTIVITY_KIND: Record<string, string> = { joint_meeting: 'jointMeeting', activity_day: 'activityDay' };

const taskOf = (body: PeerStep['body']): string | undefined =>
  body.type === 'RECORD_ACTIVITY' ? TASK_OF_ACTIVITY_KIND[String(body.kind)] : TASK_OF_EVENT[body.type];

// The engine's parts that live in code, not in the state: services named by expressions, the listener
// that counts scored quarters into the process output (which the state carries), and a silent logger (the
// app runs with LOG_LEVEL=silent in the bench too).
const silent = () => undefined;
const ENGINE_OPTIONS = {
  services: { quartersLeft: (scored: number | undefined) => (scored ?? 0) < QUARTERS },
  Logger: () => ({ debug: silent, error: silent, warn: silent }),
};
const listener = new EventEmitter();
listener.on('activity.end', (api: { id: string; environment: { output: Record<string, unknown> } }) => {
  if (api.id === 'scoreQuarter') api.environment.output.quartersScored = Number(api.environment.output.quartersScored ?? 0) + 1;
});

/** What the process waits on: its waiting user tasks, or `scored` once it has ended. */
function waitingOn(execution: Execution): string {
  const tasks = execution
    .getPostponed()
    .filter((api) => api.type === 'bpmn:UserTask')
    .map((api) => api.id)
    .sort();
  return tasks.length ? tasks.join('+') : 'scored';
}

// ---------------------------------------------------------------------------------------------------------
// Storage: the process row, the audit event, the outbox row

interface ProcessRow {
  version: number;
  headHash: string;
  waiting: string;
  state: string;
}

interface Transition {
  row: ProcessRow;
  audit: { chain: string; seq: number; at: string; actorId: string; type: string; fromState: string; toState: string };
  payload: string;
  comment: string | null;
  hash: string;
  outbox: string;
}

interface PeerStore {
  /** How one transition reaches the database, for the report. */
  readonly how: string;
  readonly statements: { all: number; txControl: number };
  userIds(usernames: string[]): Promise<Map<string, string>>;
  create(row: ProcessRow, now: string): Promise<number>;
  /** Locks the process row, lets `step` decide the transition, writes it; all in one transaction. */
  transition(id: number, step: (row: ProcessRow) => Promise<Transition>): Promise<Transition>;
  close(): Promise<void>;
}

const TABLE = 'bpmn_process';
const INSERT_AUDIT =
  'INSERT INTO audit_event (chain, seq, at, actor_id, type, from_state, to_state, payload, comment, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
const UPDATE_PROCESS = `UPDATE ${TABLE} SET version = ?, head_hash = ?, waiting = ?, state = ?, updated_at = ? WHERE id = ?`;
const INSERT_OUTBOX = 'INSERT INTO outbox (queue, kind, payload, created_at, available_at, attempts) VALUES (?, ?, ?, ?, ?, 0)';
const NEW_PROCESS = `INSERT INTO ${TABLE} (version, head_hash, waiting, state, updated_at) VALUES (?, ?, ?, ?, ?)`;

const auditParams = (t: Transition) => [
  t.audit.chain,
  t.audit.seq,
  t.audit.at,
  t.audit.actorId,
  t.audit.type,
  t.audit.fromState,
  t.audit.toState,
  t.payload,
  t.comment,
  t.row.headHash,
  t.hash,
];

class MysqlPeerStore implements PeerStore {
  readonly how: string;
  readonly statements = { all: 0, txControl: 0 };

  private constructor(
    private readonly pool: Pool,
    concurrency: number,
  ) {
    this.how = `mysql2 pool of ${concurrency}: START TRANSACTION; SELECT … FOR UPDATE; INSERT audit_event; UPDATE ${TABLE}; INSERT outbox; COMMIT`;
  }

  static async open(appUrl: string, concurrency: number): Promise<MysqlPeerStore> {
    const pool = createPool({
      ...mysqlEndpoint(appUrl),
      connectionLimit: concurrency,
      charset: 'utf8mb4_unicode_ci',
      timezone: 'Z',
      supportBigNumbers: true,
    });
    await pool.query(
      `CREATE TABLE ${TABLE} (id INT AUTO_INCREMENT PRIMARY KEY, version INT NOT NULL, head_hash CHAR(64) NOT NULL, waiting VARCHAR(64) NOT NULL, state MEDIUMTEXT NOT NULL, updated_at VARCHAR(24) NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
    return new MysqlPeerStore(pool, concurrency);
  }

  async userIds(usernames: string[]): Promise<Map<string, string>> {
    const [rows] = await this.pool.query<RowDataPacket[]>('SELECT id, username FROM `user` WHERE username IN (?)', [usernames]);
    return new Map(rows.map((row) => [row.username as string, String(row.id)]));
  }

  async create(row: ProcessRow, now: string): Promise<number> {
    const [result] = await this.pool.query<ResultSetHeader>(NEW_PROCESS, [row.version, row.headHash, row.waiting, row.state, now]);
    return result.insertId;
  }

  async transition(id: number, step: (row: ProcessRow) => Promise<Transition>): Promise<Transition> {
    const conn = await this.pool.getConnection();
    try {
      await this.control(conn, 'START TRANSACTION');
      const [rows] = await this.query<RowDataPacket[]>(
        conn,
        `SELECT version, head_hash, waiting, state FROM ${TABLE} WHERE id = ? FOR UPDATE`,
        [id],
      );
      const found = rows[0];
      const t = await step({ version: Number(found.version), headHash: found.head_hash, waiting: found.waiting, state: found.state });
      await this.query(conn, INSERT_AUDIT, auditParams(t));
      await this.query(conn, UPDATE_PROCESS, [t.audit.seq, t.hash, t.audit.toState, t.row.state, t.audit.at, id]);
      await this.query(conn, INSERT_OUTBOX, ['notifications', 'pairing.event', t.outbox, t.audit.at, t.audit.at]);
      await this.control(conn, 'COMMIT');
      return t;
    } catch (error) {
      await conn.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      conn.release();
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }

  private query<T extends RowDataPacket[] | ResultSetHeader>(conn: PoolConnection, sql: string, params: unknown[]) {
    this.statements.all++;
    return conn.query<T>(sql, params);
  }

  private control(conn: PoolConnection, sql: string) {
    this.statements.txControl++;
    return this.query(conn, sql, []);
  }
}

/** The slice of better-sqlite3's API used here (the package ships no types in this project). */
interface SqliteStatement {
  get(...params: unknown[]): Record<string, unknown> | undefined;
  all(...params: unknown[]): Record<string, unknown>[];
  run(...params: unknown[]): { lastInsertRowid: number | bigint };
}
interface SqliteDatabase {
  pragma(sql: string): unknown;
  exec(sql: string): unknown;
  prepare(sql: string): SqliteStatement;
  close(): void;
}

class SqlitePeerStore implements PeerStore {
  readonly how = `better-sqlite3, one connection, one transaction at a time: BEGIN IMMEDIATE; SELECT; INSERT audit_event; UPDATE ${TABLE}; INSERT outbox; COMMIT`;
  readonly statements = { all: 0, txControl: 0 };
  private readonly sql: Record<'begin' | 'commit' | 'rollback' | 'select' | 'audit' | 'update' | 'outbox' | 'create', SqliteStatement>;
  /** Transactions on the one connection run one after the other (the engine's work between them is async). */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly db: SqliteDatabase) {
    // The app's pragmas (data-source.ts), as the floor sets them.
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = NORMAL');
    db.exec(
      `CREATE TABLE ${TABLE} (id INTEGER PRIMARY KEY AUTOINCREMENT, version INTEGER NOT NULL, head_hash TEXT NOT NULL, waiting TEXT NOT NULL, state TEXT NOT NULL, updated_at TEXT NOT NULL)`,
    );
    this.sql = {
      begin: db.prepare('BEGIN IMMEDIATE'),
      commit: db.prepare('COMMIT'),
      rollback: db.prepare('ROLLBACK'),
      select: db.prepare(`SELECT version, head_hash, waiting, state FROM ${TABLE} WHERE id = ?`),
      audit: db.prepare(INSERT_AUDIT),
      update: db.prepare(UPDATE_PROCESS),
      outbox: db.prepare(INSERT_OUTBOX),
      create: db.prepare(NEW_PROCESS),
    };
  }

  static open(path: string): SqlitePeerStore {
    const Database = createRequire(__filename)('better-sqlite3') as new (path: string) => SqliteDatabase;
    return new SqlitePeerStore(new Database(path));
  }

  userIds(usernames: string[]): Promise<Map<string, string>> {
    const rows = this.db
      .prepare(`SELECT id, username FROM "user" WHERE username IN (${usernames.map(() => '?').join(', ')})`)
      .all(...usernames);
    return Promise.resolve(new Map(rows.map((row) => [row.username as string, String(row.id)])));
  }

  create(row: ProcessRow, now: string): Promise<number> {
    return Promise.resolve(Number(this.sql.create.run(row.version, row.headHash, row.waiting, row.state, now).lastInsertRowid));
  }

  transition(id: number, step: (row: ProcessRow) => Promise<Transition>): Promise<Transition> {
    const run = this.queue.then(() => this.locked(id, step));
    this.queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  async close(): Promise<void> {
    await this.queue;
    this.db.close();
  }

  private async locked(id: number, step: (row: ProcessRow) => Promise<Transition>): Promise<Transition> {
    this.run(this.sql.begin, true);
    try {
      this.statements.all++;
      const found = this.sql.select.get(id)!;
      const t = await step({
        version: Number(found.version),
        headHash: String(found.head_hash),
        waiting: String(found.waiting),
        state: String(found.state),
      });
      this.run(this.sql.audit, false, ...auditParams(t));
      this.run(this.sql.update, false, t.audit.seq, t.hash, t.audit.toState, t.row.state, t.audit.at, id);
      this.run(this.sql.outbox, false, 'notifications', 'pairing.event', t.outbox, t.audit.at, t.audit.at);
      this.run(this.sql.commit, true);
      return t;
    } catch (error) {
      this.sql.rollback.run();
      throw error;
    }
  }

  private run(statement: SqliteStatement, txControl: boolean, ...params: unknown[]): void {
    this.statements.all++;
    if (txControl) this.statements.txControl++;
    statement.run(...params);
  }
}

// ---------------------------------------------------------------------------------------------------------
// The peer

export interface PeerStep {
  actor: string;
  body: Record<string, unknown> & { type: string };
}

export interface PeerDatabase {
  engine: 'sqlite' | 'mysql';
  appUrl: string;
  sqlitePath?: string;
}

export interface PeerRun {
  seconds: number;
  latencies: number[];
  transitions: number;
  errors: string[];
  /** SQL statements sent during the lifecycle, and how many of them were transaction control. */
  statements: { all: number; txControl: number };
  /** Mean length of the state JSON written per transition. */
  stateChars: number;
}

export interface Peer {
  /** How a transition reaches the database and what the engine is, for the report. */
  readonly how: string;
  readonly setupSeconds: number;
  /** Drives every process instance through the lifecycle with the concurrency it was opened with, each worker one instance at a time. */
  drive(): Promise<PeerRun>;
  close(): Promise<void>;
}

/** One event: recover the engine from the row's state, complete the waiting task, and say what to write. */
async function advance(id: number, step: PeerStep, actorId: string, row: ProcessRow): Promise<Transition> {
  const engine = new Engine(ENGINE_OPTIONS).recover(JSON.parse(row.state));
  const execution = await engine.resume({ listener });
  const taskId = taskOf(step.body);
  const task = execution.getPostponed().find((api) => api.id === taskId);
  if (!task) throw new Error(`${step.body.type} refused: the process waits on ${row.waiting}`);
  const { type, comment, ...payload } = step.body;
  task.signal(payload);
  const now = new Date().toISOString();
  const audit = {
    chain: `bpmn:${id}`,
    seq: row.version + 1,
    at: now,
    actorId,
    type,
    fromState: row.waiting,
    toState: waitingOn(execution),
  };
  const auditComment = typeof comment === 'string' ? comment : null;
  return {
    row: { ...row, state: JSON.stringify(execution.getState()) },
    audit,
    payload: canonicalJson(payload),
    comment: auditComment,
    hash: auditHash({ ...audit, payload, comment: auditComment, prevHash: row.headHash }),
    outbox: JSON.stringify({ processId: id, seq: audit.seq, type, fromState: audit.fromState, toState: audit.toState, actorId }),
  };
}

/**
 * Creates the peer's table and `instances` process instances (each started and waiting on its first task),
 * on the app's migrated database (its `audit_event`, `outbox` and `user` tables).
 */
export async function openPeer(db: PeerDatabase, instances: number, steps: PeerStep[], concurrency: number): Promise<Peer> {
  const setupStart = performance.now();
  const store: PeerStore = db.engine === 'mysql' ? await MysqlPeerStore.open(db.appUrl, concurrency) : SqlitePeerStore.open(db.sqlitePath!);
  try {
    const usernames = [...new Set(steps.map((step) => step.actor))];
    const actorIds = await store.userIds(usernames);
    for (const name of usernames) if (!actorIds.has(name)) throw new Error(`peer: no user ${name} in the database`);

    const ids: number[] = [];
    let engineVersion = '?';
    for (let i = 0; i < instances; i++) {
      const engine = new Engine({ name: `peer ${i + 1}`, source: PAIRING_YEAR_BPMN, ...ENGINE_OPTIONS });
      const execution = await engine.execute({ listener });
      const state = execution.getState();
      engineVersion = state.engineVersion;
      const now = new Date().toISOString();
      ids.push(
        await store.create({ version: 0, headHash: GENESIS_HASH, waiting: waitingOn(execution), state: JSON.stringify(state) }, now),
      );
    }
    const setupSeconds = (performance.now() - setupStart) / 1000;

    return {
      how: `bpmn-engine ${engineVersion}, state JSON (engine.getState(), the definition included) in ${TABLE}; ${store.how}`,
      setupSeconds,
      drive: async (): Promise<PeerRun> => {
        const before = { ...store.statements };
        const latencies: number[] = [];
        const errors: string[] = [];
        let stateChars = 0;
        let next = 0;
        const t0 = performance.now();
        const worker = async () => {
          while (next < ids.length) {
            const id = ids[next++];
            for (const step of steps) {
              const start = performance.now();
              try {
                const t = await store.transition(id, (row) => advance(id, step, actorIds.get(step.actor)!, row));
                stateChars += t.row.state.length;
              } catch (error) {
                errors.push(`peer process ${id} ${step.body.type}: ${(error as Error).message}`);
                break; // the rest of this instance's lifecycle cannot follow
              }
              latencies.push(performance.now() - start);
            }
          }
        };
        await Promise.all(Array.from({ length: Math.min(concurrency, ids.length) }, worker));
        const seconds = (performance.now() - t0) / 1000;
        return {
          seconds,
          latencies,
          transitions: latencies.length,
          errors,
          statements: { all: store.statements.all - before.all, txControl: store.statements.txControl - before.txControl },
          stateChars: stateChars / Math.max(1, latencies.length),
        };
      },
      close: () => store.close(),
    };
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
}
