/**
 * A small language for driving pairings through the HTTP API in e2e tests: the cast of demo users,
 * event payloads dated in last year (so every date lies in the past), `driveTo(state)`, and the
 * checks every test leans on — a refused request changes nothing, and a history is a well-formed chain.
 */
import type { Response } from 'supertest';
import { auditHash, GENESIS_HASH } from '../../src/audit/canonical-json';
import { dateIn } from '../../src/common/clock';
import { DEMO_PASSWORD, TestApp } from './test-app';

export const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

export type Headers = Record<string, string>;
export type EventBody = { type: string } & Record<string, unknown>;

export interface AuditEventView {
  chain: string;
  seq: number;
  at: string;
  actorId: string | null;
  type: string;
  fromState: string | null;
  toState: string | null;
  payload: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- each event type has its own payload
  comment: string | null;
  prevHash: string;
  hash: string;
}

export interface Task {
  pairingId: number;
  kind: string;
  state: string;
  since: string;
  dueAt: string | null;
}

/** The pairing as GET /api/pairings/:id serves it; tests read many fields, so it stays loose. */
export type PairingView = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const SECRETARY_EVENTS = [
  'SUBMIT',
  'RECALL',
  'SIGN_AGREEMENT',
  'FILE_PLAN',
  'RECORD_ACTIVITY',
  'VOID_ACTIVITY',
  'SUBMIT_QUARTER_REPORT',
  'SUBMIT_REVIEW',
  'URGE',
  'UPDATE_LIAISONS',
] as const;

/** Quarter q of a year: a date in its middle month. */
export function dayIn(year: number, quarter: number, day = 15): string {
  return `${year}-${String((quarter - 1) * 3 + 2).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export const agreement = (year: number) => ({
  signedOn: `${year}-01-10`,
  validFrom: `${year}-01-01`,
  validTo: `${year}-12-31`,
  goals: '共同提升基层诉源治理水平',
  content: '联合开展调研、联席会议和共建活动日',
  requirements: '每季度至少一次联席会议和一次共建活动日',
});

export const plan = (year: number, startQuarter: number) => ({
  startQuarter,
  items: [1, 2, 3, 4]
    .filter((q) => q >= startQuarter)
    .map((quarter) => ({ title: `第${quarter}季度共建`, quarter, dueDate: dayIn(year, quarter, 28), owner: '李立案' })),
});

export const activity = (year: number, quarter: number, kind: string, day = 15) => ({
  kind,
  heldOn: dayIn(year, quarter, day),
  title: `${kind} Q${quarter}`,
  location: '立案庭会议室',
  participants: 12,
  partnerParticipants: 5,
  summary: '共同研究诉源治理中的实际问题',
});

export const quarterReport = (extra: Record<string, unknown> = {}) => ({ summary: '本季度按计划开展共建', ...extra });

export const review = () => ({
  summary: '全年共建情况述职',
  problemSolved: true,
  problemResolution: '家事纠纷诉前化解率明显提升',
  outcomes: [{ indicator: '家事纠纷诉前化解率', value: 59.26, unit: '%', baseline: 48.1 }],
});

/** The states `driveTo` can reach, in the order the path passes them. */
export const DRIVABLE_STATES = [
  'draft',
  'proposed',
  'returned',
  'approved',
  'agreementSigned',
  'planFiled',
  'active.collecting',
  'active.reportSubmitted',
  'yearEndReview',
  'underReview',
  'scored',
  'withdrawn',
  'rejected',
  'terminated',
] as const;
export type DrivableState = (typeof DRIVABLE_STATES)[number];

export interface DriveOptions {
  /** Who creates the pairing; default the secretary (a committee member creates a directed one). */
  creator?: string;
  /** The lead-branch secretary who submits; default `secretary`. */
  secretary?: string;
  /** The committee member who decides; default `committee`. */
  committee?: string;
  /** Default 4, the shortest way to the year-end review. */
  startQuarter?: number;
  create?: Record<string, unknown>;
  /**
   * 1: the pairing runs under machine version 1, as pairings created before version 2 do — its row says so from
   * its creation on, and every event after that is sent through the API and judged by version 1.
   */
  workflowVersion?: 1 | 2;
}

/**
 * The demo organisation as seen through the API: users by name, and helpers that act as them.
 * Every user logs in once (tokens are cached by TestApp).
 */
export class Court {
  private constructor(
    readonly t: TestApp,
    private readonly ids: Map<string, number>,
    readonly branches: Map<string, number>,
    readonly year: number,
  ) {}

  static async open(t: TestApp): Promise<Court> {
    const admin = await t.token('admin');
    const users = await t.http().get('/api/users').set(auth(admin)).expect(200);
    const branches = await t.http().get('/api/branches').set(auth(admin)).expect(200);
    const thisYear = Number(dateIn(t.config.timezone, new Date()).slice(0, 4));
    return new Court(
      t,
      new Map(users.body.map((u: { username: string; id: number }) => [u.username, u.id])),
      new Map(branches.body.map((b: { name: string; id: number }) => [b.name, b.id])),
      thisYear - 1,
    );
  }

  id(username: string): number {
    const id = this.ids.get(username);
    if (id === undefined) throw new Error(`No user ${username}`);
    return id;
  }

  branch(name: string): number {
    const id = this.branches.get(name);
    if (id === undefined) throw new Error(`No branch ${name}`);
    return id;
  }

  /** 立案庭党支部: the demo secretary's and member's branch. */
  get leadBranch(): number {
    return this.branch('立案庭党支部');
  }

  /** 民一庭党支部: secretary2's branch. */
  get otherBranch(): number {
    return this.branch('民一庭党支部');
  }

  token(username: string): Promise<string> {
    return this.t.token(username);
  }

  /** Creates a user with the demo password, once per app. */
  async user(username: string, roles: string[], branchId: number | null = null): Promise<number> {
    const known = this.ids.get(username);
    if (known !== undefined) return known;
    const res = await this.t
      .http()
      .post('/api/users')
      .set(auth(await this.token('admin')))
      .send({ username, displayName: username, password: DEMO_PASSWORD, roles, branchId });
    if (res.status !== 201) throw new Error(`creating ${username}: ${res.status} ${JSON.stringify(res.body)}`);
    this.ids.set(username, res.body.id);
    return res.body.id;
  }

  /** Creates a `partner` user of this partner organisation with the demo password, once per app. */
  async partnerUser(username: string, partnerId: number): Promise<number> {
    const known = this.ids.get(username);
    if (known !== undefined) return known;
    const res = await this.t
      .http()
      .post('/api/users')
      .set(auth(await this.token('admin')))
      .send({ username, displayName: username, password: DEMO_PASSWORD, roles: ['partner'], partnerId });
    if (res.status !== 201) throw new Error(`creating ${username}: ${res.status} ${JSON.stringify(res.body)}`);
    this.ids.set(username, res.body.id);
    return res.body.id;
  }

  async setActive(username: string, active: boolean): Promise<void> {
    await this.t
      .http()
      .patch(`/api/users/${this.id(username)}`)
      .set(auth(await this.token('admin')))
      .send({ active })
      .expect(200);
    // Deactivating revokes the user's tokens: after reactivation they sign in again.
    this.t.forget(username);
  }

  /** A complete voluntary proposal of the lead branch, dated last year, with `member` as liaison. */
  proposal(overrides: Record<string, unknown> = {}) {
    return {
      year: this.year,
      title: `立案庭—社会治理中心 诉源治理结对 ${Math.random().toString(36).slice(2, 8)}`,
      theme: '基层诉源治理大调研',
      problem: '家事纠纷诉前化解率偏低',
      goals: '诉前化解率提升十个百分点',
      partnerIds: [4],
      categories: ['organization', 'project'],
      liaisonUserId: this.id('member'),
      partnerLiaisons: [{ partnerId: 4, name: '张联络', phone: '0573-85000000' }],
      ...overrides,
    };
  }

  async create(as = 'secretary', overrides: Record<string, unknown> = {}): Promise<PairingView> {
    const res = await this.t
      .http()
      .post('/api/pairings')
      .set(auth(await this.token(as)))
      .send(this.proposal(overrides));
    if (res.status !== 201) throw new Error(`${as} creating a pairing: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  async send(as: string, id: number, body: EventBody, headers: Headers = {}): Promise<Response> {
    return this.t
      .http()
      .post(`/api/pairings/${id}/events`)
      .set(auth(await this.token(as)))
      .set(headers)
      .send(body);
  }

  /** Sends an event that must be accepted; returns the updated pairing. */
  async do(as: string, id: number, body: EventBody, headers: Headers = {}): Promise<PairingView> {
    const res = await this.send(as, id, body, headers);
    if (res.status !== 200) throw new Error(`${as} ${body.type} on pairing ${id}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  async patch(as: string, id: number, body: Record<string, unknown>, headers: Headers = {}): Promise<Response> {
    return this.t
      .http()
      .patch(`/api/pairings/${id}`)
      .set(auth(await this.token(as)))
      .set(headers)
      .send(body);
  }

  async get(as: string, id: number): Promise<Response> {
    return this.t
      .http()
      .get(`/api/pairings/${id}`)
      .set(auth(await this.token(as)));
  }

  async view(as: string, id: number): Promise<PairingView> {
    const res = await this.get(as, id);
    if (res.status !== 200) throw new Error(`${as} reading pairing ${id}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  async history(id: number, as = 'auditor'): Promise<AuditEventView[]> {
    const res = await this.t
      .http()
      .get(`/api/pairings/${id}/history`)
      .set(auth(await this.token(as)))
      .expect(200);
    return res.body;
  }

  async tasks(as: string, pairingId?: number): Promise<Task[]> {
    const res = await this.t
      .http()
      .get('/api/tasks')
      .set(auth(await this.token(as)))
      .expect(200);
    expect(Array.isArray(res.body)).toBe(true);
    return pairingId === undefined ? res.body : res.body.filter((task: Task) => task.pairingId === pairingId);
  }

  async list(as: string, query: Record<string, string | number>): Promise<Response> {
    return this.t
      .http()
      .get('/api/pairings')
      .query(query)
      .set(auth(await this.token(as)));
  }

  /** What an auditor sees of the pairing, and how long its chain is: a refusal must leave both alone. */
  async footprint(id: number) {
    const [view, history] = await Promise.all([this.view('auditor', id), this.history(id)]);
    return { view, events: history.length };
  }

  /**
   * Runs a request that must be refused with this status (and code), then checks that the pairing's
   * state, version, records and history are exactly as before.
   */
  async expectRefused(id: number, request: () => Promise<Response>, status: number, code?: string): Promise<Response> {
    const before = await this.footprint(id);
    const res = await request();
    expect({ status: res.status, code: res.body?.code }).toEqual({ status, code: code ?? expect.anything() });
    expect(res.body).toMatchObject({ statusCode: status, message: expect.any(String) });
    const after = await this.footprint(id);
    expect(after.events).toBe(before.events);
    expect(after.view).toEqual(before.view);
    return res;
  }

  /** Shorthand: an event that must be refused and change nothing. */
  refuse(as: string, id: number, body: EventBody, status: number, code?: string, headers: Headers = {}): Promise<Response> {
    return this.expectRefused(id, () => this.send(as, id, body, headers), status, code);
  }

  /** Records a joint meeting and an activity day in the quarter, then reports it. */
  async runQuarter(id: number, quarter: number, score: number | null, opts: { secretary?: string; committee?: string } = {}) {
    const secretary = opts.secretary ?? 'secretary';
    await this.do(secretary, id, { type: 'RECORD_ACTIVITY', ...activity(this.year, quarter, 'joint_meeting') });
    await this.do(secretary, id, { type: 'RECORD_ACTIVITY', ...activity(this.year, quarter, 'activity_day', 20) });
    let view = await this.do(secretary, id, { type: 'SUBMIT_QUARTER_REPORT', ...quarterReport() });
    if (score !== null) view = await this.do(opts.committee ?? 'committee', id, { type: 'SCORE_QUARTER', score });
    return view;
  }

  /** A new pairing walked along the lifecycle to `target` through the API. */
  async driveTo(target: DrivableState, opts: DriveOptions = {}): Promise<PairingView> {
    const secretary = opts.secretary ?? 'secretary';
    const committee = opts.committee ?? 'committee';
    const startQuarter = opts.startQuarter ?? 4;
    let view = await this.create(opts.creator ?? secretary, opts.create);
    const id: number = view.id;
    if (opts.workflowVersion !== undefined) {
      await this.t.dataSource.query('UPDATE `pairing` SET `workflow_version` = ? WHERE `id` = ?', [opts.workflowVersion, id]);
      view = await this.view(secretary, id);
      expect(view.workflowVersion).toBe(opts.workflowVersion);
    }
    const as = (user: string, body: EventBody) => () => this.do(user, id, body);

    /** The main path: each step leads into the state it names. */
    const main: [DrivableState, () => Promise<PairingView>][] = [
      ['proposed', as(secretary, { type: 'SUBMIT' })],
      ['approved', as(committee, { type: 'APPROVE' })],
      ['agreementSigned', as(secretary, { type: 'SIGN_AGREEMENT', ...agreement(this.year) })],
      ['planFiled', as(secretary, { type: 'FILE_PLAN', ...plan(this.year, startQuarter) })],
      ['active.collecting', as(committee, { type: 'ACCEPT_PLAN' })],
      ['active.reportSubmitted', () => this.runQuarter(id, startQuarter, null, { secretary })],
      [
        'yearEndReview',
        async () => {
          let last = await this.do(committee, id, { type: 'SCORE_QUARTER', score: 90 });
          for (let quarter = startQuarter + 1; quarter <= 4; quarter++) {
            last = await this.runQuarter(id, quarter, 90, { secretary, committee });
          }
          return last;
        },
      ],
      ['underReview', as(secretary, { type: 'SUBMIT_REVIEW', ...review() })],
      ['scored', as(committee, { type: 'APPROVE_REVIEW', score: 90 })],
    ];
    /** Side exits, taken from the state named first. */
    const exits: Partial<Record<DrivableState, [DrivableState, () => Promise<PairingView>]>> = {
      withdrawn: ['draft', as(secretary, { type: 'WITHDRAW', comment: '不再推进' })],
      returned: ['proposed', as(committee, { type: 'RETURN', comment: '请补充实际问题' })],
      rejected: ['proposed', as(committee, { type: 'REJECT', comment: '与年度重点不符' })],
      terminated: ['approved', as(committee, { type: 'TERMINATE', comment: '共建单位撤并' })],
    };
    const [via, exit] = exits[target] ?? [target, undefined];
    for (const [state, step] of main) {
      if (view.state === via) break;
      view = await step();
      expect(view.state).toBe(state);
    }
    if (exit) view = await exit();
    expect(view.state).toBe(target);
    return view;
  }
}

const AUDIT_EVENT_FIELDS = ['actorId', 'at', 'chain', 'comment', 'fromState', 'hash', 'payload', 'prevHash', 'seq', 'toState', 'type'];

/**
 * A pairing's chain as the history serves it: seq 1..n without gaps, CREATE first, each event starting
 * where the previous one ended, every hash recomputable and linked to the one before, head seq = version.
 */
export function expectWellFormedHistory(history: AuditEventView[], version: number): void {
  expect(history.map((e) => e.seq)).toEqual(history.map((_, i) => i + 1));
  expect(history[0]).toMatchObject({ type: 'CREATE', fromState: null, toState: 'draft' });
  expect(history[history.length - 1].seq).toBe(version);
  history.forEach((event, i) => {
    // SPEC §6/§7: exactly the hashed fields and the hash, an absent value served as null rather than left out.
    expect(Object.keys(event).sort()).toEqual(AUDIT_EVENT_FIELDS);
    expect(Object.values(event)).not.toContain(undefined);
    expect(event.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(event).toMatchObject({
      chain: expect.stringMatching(/^pairing:/),
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    expect(event.actorId === null || typeof event.actorId === 'string').toBe(true);
    if (i > 0) expect({ seq: event.seq, fromState: event.fromState }).toEqual({ seq: event.seq, fromState: history[i - 1].toState });
    expect(event.prevHash).toBe(i === 0 ? GENESIS_HASH : history[i - 1].hash);
    const { hash, ...hashed } = event;
    expect(auditHash(hashed)).toBe(hash);
  });
}

/** Type, fromState and toState of each event: the lifecycle as the audit trail tells it. */
export const steps = (history: AuditEventView[]) => history.map((e) => [e.type, e.fromState, e.toState]);

/** The last event on the court's system chain (EVENT_FORBIDDEN, LOGIN …), read straight from the table. */
export async function lastSystemEvent(t: TestApp): Promise<{ type: string; payload: Record<string, unknown> }> {
  const [row] = await t.dataSource.query("SELECT type, payload FROM audit_event WHERE chain='system:GJ' ORDER BY seq DESC LIMIT 1");
  return { type: row.type, payload: typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload };
}

export async function countSystemEvents(t: TestApp, type: string): Promise<number> {
  const [row] = await t.dataSource.query(`SELECT COUNT(*) AS n FROM audit_event WHERE chain='system:GJ' AND type='${type}'`);
  return Number(row.n);
}

/**
 * The expected final score, computed exactly with integers: scores are tenths, so
 * 100 × (0.6 × mean + 0.4 × review) = (6 × Σq + 4 × n × r) / n in tenths, rounded half up.
 */
export function expectedFinalScore(quarterScores: number[], reviewScore: number): number {
  const tenths = (x: number) => Math.round(x * 10);
  const n = quarterScores.length;
  const numerator = 6 * quarterScores.map(tenths).reduce((a, b) => a + b, 0) + 4 * n * tenths(reviewScore);
  return Math.floor((2 * numerator + n) / (2 * n)) / 100;
}

/** The same formula in binary floating point, as a careless implementation would write it. */
export function naiveFinalScore(quarterScores: number[], reviewScore: number): number {
  const mean = quarterScores.reduce((a, b) => a + b, 0) / quarterScores.length;
  return Math.round((0.6 * mean + 0.4 * reviewScore) * 100) / 100;
}
