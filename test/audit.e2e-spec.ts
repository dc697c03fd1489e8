import { createHash, verify as verifySignature } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Response } from 'supertest';
import { createAuditTriggers, dropAuditTriggers } from '../migrations/support/audit-triggers';
import { AuditEntry, AuditEventView, AuditService } from '../src/audit/audit.service';
import { SIGNING_KEY_FILE } from '../src/audit/audit-signing-key';
import { auditHash, canonicalJson, GENESIS_HASH } from '../src/audit/canonical-json';
import { DatabaseService } from '../src/database/database.service';
import { Court, PairingView } from './support/pairing-flow';
import { engines, startTestApp, TestApp } from './support/test-app';

type Role = 'secretary' | 'member' | 'admin' | 'committee' | 'leader' | 'auditor';
const ROLES: Role[] = ['secretary', 'member', 'admin', 'committee', 'leader', 'auditor'];

interface Checkpoint {
  format: string;
  algorithm: string;
  publicKey: string;
  chains: { chain: string; seq: number; hash: string }[];
  at: string;
  count: number;
  headsSha256: string;
  signature: string;
}

/** RFC 4180 reader for the export: quoted fields may hold commas, doubled quotes and line breaks; records end with CRLF. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"' && (quoted || field === '')) {
      quoted = !quoted;
    } else if (quoted || (c !== ',' && c !== '\r')) {
      field += c;
    } else {
      row.push(field);
      field = '';
      if (c === '\r') {
        if (text[++i] !== '\n') throw new Error('a bare CR outside quotes');
        rows.push(row);
        row = [];
      }
    }
  }
  if (field || row.length) throw new Error('the CSV does not end with CRLF');
  return rows;
}

const binary = (res: Response, done: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

describe.each(engines())('Audit trail on %s', (engine) => {
  let t: TestApp;
  const tokens = {} as Record<Role, string>;

  // Real pairings, made before any stand-in row below takes a high id (the next ids follow the highest).
  const realPairings: number[] = [];
  beforeAll(async () => {
    t = await startTestApp(engine);
    for (const role of ROLES) tokens[role] = await t.token(role);
    const auth = { Authorization: `Bearer ${tokens.secretary}` };
    for (const edits of [3, 1]) {
      const created = await t.http().post('/api/pairings').set(auth).send({ year: 2025, title: '审计核验用结对' }).expect(201);
      for (let i = 1; i <= edits; i++) {
        await t
          .http()
          .patch(`/api/pairings/${created.body.id}`)
          .set(auth)
          .send({ theme: `第${i}稿` })
          .expect(200);
      }
      realPairings.push(created.body.id);
    }
  });
  afterAll(() => t.close());

  const get = (url: string, role: Role = 'auditor') => t.http().get(url).set('Authorization', `Bearer ${tokens[role]}`);
  const post = (url: string, body: object, role: Role = 'auditor') =>
    t.http().post(url).set('Authorization', `Bearer ${tokens[role]}`).send(body);
  /** A checkpoint file uploaded as it is, streamed. */
  const upload = (file: Buffer, role: Role = 'auditor') =>
    t
      .http()
      .post('/api/audit/verify/checkpoint')
      .set('Authorization', `Bearer ${tokens[role]}`)
      .set('Content-Type', 'application/octet-stream')
      .send(file);

  /**
   * Keeps the head of a made-up pairing's chain where the app keeps it: on the pairing row (version = head
   * seq, chain_hash = head hash). A stand-in pairing row is made the first time.
   */
  async function setPairingHead(chain: string, seq: number, hash: string): Promise<void> {
    const id = Number(chain.slice('pairing:'.length));
    const [existing] = await t.dataSource.query('SELECT id FROM pairing WHERE id = ?', [id]);
    if (existing) {
      await t.dataSource.query('UPDATE pairing SET version = ?, chain_hash = ? WHERE id = ?', [seq, hash, id]);
      return;
    }
    const now = new Date().toISOString();
    await t.dataSource.query(
      'INSERT INTO pairing (id, code, year, title, theme, problem, mode, lead_branch_id, co_branch_ids, partner_ids, categories, ' +
        'partner_liaisons, state, quarter_scores, snapshot, workflow_version, version, chain_hash, created_by, created_at, updated_at) ' +
        "VALUES (?, ?, 2025, ?, '', '', 'voluntary', 1, '[]', '[]', '[]', '[]', 'withdrawn', '[]', '{}', 1, ?, ?, 1, ?, ?)",
      [id, `GJ-TEST-${id}`, `stand-in for ${chain}`, seq, hash, now, now],
    );
  }

  /**
   * Appends to a chain the way the app does: the system chains through AuditService, inside a transaction;
   * a pairing's chain as the engine does it, with its head on the pairing row.
   */
  async function append(chain: string, entries: Omit<AuditEntry, 'chain'>[]): Promise<AuditEventView[]> {
    const views: AuditEventView[] = [];
    if (!chain.startsWith('pairing:')) {
      const audit = t.app.get(AuditService);
      const db = t.app.get(DatabaseService);
      for (const entry of entries) views.push(await db.transaction((m) => audit.append(m, { chain, ...entry })));
      return views;
    }
    const [head] = await t.dataSource.query('SELECT version, chain_hash FROM pairing WHERE id = ?', [Number(chain.slice(8))]);
    let seq = Number(head?.version ?? 0);
    let prevHash: string = seq === 0 ? GENESIS_HASH : head.chain_hash;
    for (const entry of entries) {
      seq += 1;
      const fields = {
        chain,
        seq,
        at: new Date(Date.now() + seq).toISOString(),
        actorId: entry.actorId === null || entry.actorId === undefined ? null : String(entry.actorId),
        type: entry.type,
        fromState: entry.fromState ?? null,
        toState: entry.toState ?? null,
        payload: entry.payload === undefined ? null : JSON.parse(canonicalJson(entry.payload)),
        comment: entry.comment ?? null,
        prevHash,
      };
      const hash = auditHash(fields);
      await t.dataSource.query(
        'INSERT INTO audit_event (chain, seq, at, actor_id, type, from_state, to_state, payload, comment, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [
          chain,
          seq,
          fields.at,
          fields.actorId,
          fields.type,
          fields.fromState,
          fields.toState,
          fields.payload === null ? null : canonicalJson(fields.payload),
          fields.comment,
          prevHash,
          hash,
        ],
      );
      await setPairingHead(chain, seq, hash);
      views.push({ ...fields, hash });
      prevHash = hash;
    }
    return views;
  }

  /** Runs statements with the append-only triggers dropped, then re-creates them as the migration does. */
  async function behindTheTriggers(statements: [string, unknown[]][]): Promise<void> {
    const runner = t.dataSource.createQueryRunner();
    try {
      await dropAuditTriggers(runner);
      for (const [sql, params] of statements) await runner.query(sql, params);
    } finally {
      await createAuditTriggers(runner);
      await runner.release();
    }
  }

  const events = (n: number): Omit<AuditEntry, 'chain'>[] =>
    Array.from({ length: n }, (_, i) => ({
      actorId: i === 0 ? null : 100 + (i % 2),
      type: i === 0 ? 'CREATE' : i === n - 1 ? 'APPROVE' : 'EDIT',
      fromState: i === 0 ? null : 'draft',
      toState: i === n - 1 ? 'approved' : 'draft',
      payload: { step: i + 1, title: `第${i + 1}步` },
      comment: i === n - 1 ? '同意' : null,
    }));

  describe('roles', () => {
    let checkpoint: Checkpoint;
    beforeAll(async () => {
      checkpoint = (await get('/api/audit/checkpoint').expect(200)).body;
    });

    const routes: { name: string; allowed: Role[]; call: (role: Role) => Promise<Response>; anonymous: () => Promise<Response> }[] = [
      {
        name: 'GET events',
        // The demo's admin is also the platform admin, who reads the platform chain `system` (courts-admin's test).
        allowed: ['auditor', 'committee', 'leader', 'admin'],
        call: (r) => get('/api/audit/events', r),
        anonymous: () => t.http().get('/api/audit/events'),
      },
      {
        name: 'GET verify',
        // The demo's admin is also the platform admin, who reads the platform chain `system` (courts-admin's test).
        allowed: ['auditor', 'committee', 'leader', 'admin'],
        call: (r) => get('/api/audit/verify', r),
        anonymous: () => t.http().get('/api/audit/verify'),
      },
      {
        name: 'POST verify',
        allowed: ['auditor', 'committee', 'leader'],
        call: (r) => post('/api/audit/verify', { checkpoint }, r),
        anonymous: () => t.http().post('/api/audit/verify').send({ checkpoint }),
      },
      {
        name: 'POST verify/checkpoint',
        allowed: ['auditor', 'committee', 'leader'],
        call: (r) => upload(Buffer.from(JSON.stringify(checkpoint)), r),
        anonymous: () => t.http().post('/api/audit/verify/checkpoint').set('Content-Type', 'application/octet-stream').send('{}'),
      },
      {
        name: 'GET export',
        allowed: ['auditor'],
        call: (r) => get('/api/audit/export?format=csv', r),
        anonymous: () => t.http().get('/api/audit/export?format=csv'),
      },
      {
        name: 'GET checkpoint',
        allowed: ['auditor'],
        call: (r) => get('/api/audit/checkpoint', r),
        anonymous: () => t.http().get('/api/audit/checkpoint'),
      },
    ];

    it.each(routes.map((route) => [route.name, route] as const))('%s: 401 without a token, 403 for other roles', async (_, route) => {
      expect((await route.anonymous()).status).toBe(401);
      for (const role of ROLES) {
        const res = await route.call(role);
        const expected = route.allowed.includes(role) ? { role, status: 200 } : { role, status: 403, code: 'FORBIDDEN' };
        expect(route.allowed.includes(role) ? { role, status: res.status } : { role, status: res.status, code: res.body.code }).toEqual(
          expected,
        );
      }
    });
  });

  describe('events', () => {
    const chain = 'pairing:424242';
    /** The chain's stand-in pairing is named beside its events; its actors are no users, so they are not. */
    const names = {
      timeZone: 'Asia/Shanghai',
      names: { pairings: { [chain]: { id: 424242, code: 'GJ-TEST-424242', title: `stand-in for ${chain}` } }, actors: {} },
    };
    const noNames = { timeZone: 'Asia/Shanghai', names: { pairings: {}, actors: {} } };
    let appended: AuditEventView[];
    beforeAll(async () => {
      appended = await append(chain, events(5));
    });

    it('serves a pairing’s chain exactly as hashed, ordered by seq', async () => {
      const res = await get('/api/audit/events?pairingId=424242').expect(200);
      expect(res.body).toEqual({ items: appended, total: 5, page: 1, pageSize: 50, ...names });
      for (const { hash, ...fields } of res.body.items as AuditEventView[]) expect(auditHash(fields)).toBe(hash);
      expect((await get(`/api/audit/events?chain=${encodeURIComponent(chain)}`, 'leader').expect(200)).body.items).toEqual(appended);
    });

    it('pages', async () => {
      const res = await get('/api/audit/events?pairingId=424242&page=2&pageSize=2', 'committee').expect(200);
      expect(res.body).toEqual({ items: appended.slice(2, 4), total: 5, page: 2, pageSize: 2, ...names });
      const past = await get('/api/audit/events?pairingId=424242&page=4&pageSize=2').expect(200);
      expect(past.body).toEqual({ items: [], total: 5, page: 4, pageSize: 2, ...noNames });
    });

    it('filters by type, actor and time, and orders all chains by chain then seq', async () => {
      const approve = await get('/api/audit/events?pairingId=424242&type=APPROVE').expect(200);
      expect(approve.body.items).toEqual([appended[4]]);
      const actor = await get('/api/audit/events?pairingId=424242&actorId=101').expect(200);
      expect(actor.body.items).toEqual(appended.filter((e) => e.actorId === '101'));
      expect(actor.body.total).toBe(2);

      const from = appended[2].at;
      const to = appended[3].at;
      const timed = await get(`/api/audit/events?pairingId=424242&from=${from}&to=${to}`).expect(200);
      expect(timed.body.items).toEqual(appended.filter((e) => e.at >= from && e.at <= to));
      // The same instant written with an offset selects the same events.
      const shanghai = new Date(Date.parse(from) + 8 * 3600_000).toISOString().replace('Z', '+08:00');
      const offset = await get(`/api/audit/events?pairingId=424242&from=${encodeURIComponent(shanghai)}`).expect(200);
      expect(offset.body.items).toEqual(appended.filter((e) => e.at >= from));

      const logins = await get('/api/audit/events?chain=system:GJ&type=LOGIN&pageSize=200').expect(200);
      expect(logins.body.total).toBeGreaterThanOrEqual(ROLES.length);
      expect(logins.body.items.every((e: AuditEventView) => e.chain === 'system:GJ' && e.type === 'LOGIN')).toBe(true);

      const all = await get('/api/audit/events?pageSize=200').expect(200);
      const [{ n }] = await t.dataSource.query('SELECT COUNT(*) AS n FROM audit_event');
      expect(all.body.total).toBe(Number(n));
      const items: AuditEventView[] = all.body.items;
      const chainsInOrder = items.map((e) => e.chain).filter((c, i, list) => c !== list[i - 1]);
      expect(new Set(chainsInOrder).size).toBe(chainsInOrder.length);
      for (let i = 1; i < items.length; i++) {
        if (items[i].chain === items[i - 1].chain) expect(items[i].seq).toBe(items[i - 1].seq + 1);
      }
    });

    it('finds nothing for a pairingId and a chain that disagree', async () => {
      expect((await get('/api/audit/events?pairingId=424242&chain=system:GJ').expect(200)).body).toEqual({
        items: [],
        total: 0,
        page: 1,
        pageSize: 50,
        ...noNames,
      });
    });

    it.each([
      ['pageSize=1000', 'pageSize'],
      ['pageSize=0', 'pageSize'],
      ['page=0', 'page'],
      ['page=abc', 'page'],
      ['pairingId=-1', 'pairingId'],
      ['pairingId=1e400', 'pairingId'],
      ['from=yesterday', 'from'],
      ['from=2026-02-30T00:00:00Z', 'from'],
      ['to=2026-01-01T10:00:00', 'to'],
      ['type=' + 'X'.repeat(41), 'type'],
      ['chain=' + 'c'.repeat(65), 'chain'],
      ['colour=red', 'colour'],
      ['from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z', 'to'],
    ])('refuses %s with 400 VALIDATION_FAILED naming the field', async (query, field) => {
      const res = await get(`/api/audit/events?${query}`).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(res.body.details)).toContain(field);
    });
  });

  describe('verify', () => {
    it('finds the seeded chains intact', async () => {
      const res = await get('/api/audit/verify', 'committee').expect(200);
      const [{ n }] = await t.dataSource.query('SELECT COUNT(*) AS n FROM audit_event');
      const [{ c }] = await t.dataSource.query('SELECT COUNT(DISTINCT chain) AS c FROM audit_event');
      expect(res.body).toEqual({ ok: true, chains: Number(c), events: Number(n), failures: [] });
      const system = await get('/api/audit/verify?chain=system:GJ').expect(200);
      expect(system.body).toMatchObject({ ok: true, chains: 1, failures: [] });
      expect(system.body.events).toBeGreaterThan(10);
    });

    it('names the chain and seq of a payload changed behind the triggers’ back', async () => {
      const views = await append('pairing:424250', events(6));
      const before = await get('/api/audit/verify?pairingId=424250').expect(200);
      expect(before.body).toEqual({ ok: true, chains: 1, events: 6, failures: [] });

      await behindTheTriggers([
        [
          'UPDATE audit_event SET payload = ? WHERE chain = ? AND seq = ?',
          [canonicalJson({ step: 4, title: '已篡改' }), 'pairing:424250', 4],
        ],
      ]);
      // The triggers are back.
      await expect(t.dataSource.query("UPDATE audit_event SET comment = 'x' WHERE chain = 'pairing:424250'")).rejects.toThrow(
        /append-only/,
      );

      const one = await get('/api/audit/verify?pairingId=424250', 'leader').expect(200);
      expect(one.body).toEqual({
        ok: false,
        chains: 1,
        events: 6,
        failures: [{ chain: 'pairing:424250', seq: 4, reason: "hash does not match the event's contents" }],
      });
      const all = await get('/api/audit/verify').expect(200);
      expect(all.body.ok).toBe(false);
      expect(all.body.failures).toEqual([{ chain: 'pairing:424250', seq: 4, reason: "hash does not match the event's contents" }]);
      expect((await get('/api/audit/verify?chain=system:GJ').expect(200)).body.ok).toBe(true);
      // The tampered event is still served, as stored.
      const listed = await get('/api/audit/events?pairingId=424250&type=EDIT').expect(200);
      expect(listed.body.items.find((e: AuditEventView) => e.seq === 4).payload).toEqual({ step: 4, title: '已篡改' });
      expect(listed.body.items.find((e: AuditEventView) => e.seq === 4).hash).toBe(views[3].hash);
    });

    it('names a deleted tail through the chain head', async () => {
      await append('pairing:424251', events(4));
      await behindTheTriggers([['DELETE FROM audit_event WHERE chain = ? AND seq = ?', ['pairing:424251', 4]]]);
      const res = await get('/api/audit/verify?pairingId=424251').expect(200);
      expect(res.body).toEqual({
        ok: false,
        chains: 1,
        events: 3,
        failures: [
          { chain: 'pairing:424251', seq: 4, reason: 'seq 4 is missing: the chain ends at seq 3, but its head says it reaches seq 4' },
        ],
      });
    });

    it('verifies chains longer than one read batch, and names a break after a batch boundary', async () => {
      // Written straight into the tables (inserts are allowed) so that more than 1000 events are quick to make.
      for (const [chain, length] of [
        ['pairing:424252', 600],
        ['pairing:424253', 700],
      ] as const) {
        let prevHash = GENESIS_HASH;
        const rows: unknown[][] = [];
        for (let seq = 1; seq <= length; seq++) {
          const fields = {
            chain,
            seq,
            at: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, seq)).toISOString(),
            actorId: '1',
            type: 'EDIT',
            fromState: 'draft',
            toState: 'draft',
            payload: { seq },
            comment: null,
            prevHash,
          };
          const hash = auditHash(fields);
          rows.push([chain, seq, fields.at, '1', 'EDIT', 'draft', 'draft', canonicalJson(fields.payload), null, prevHash, hash]);
          prevHash = hash;
        }
        for (let i = 0; i < rows.length; i += 200) {
          const part = rows.slice(i, i + 200);
          await t.dataSource.query(
            `INSERT INTO audit_event (chain, seq, at, actor_id, type, from_state, to_state, payload, comment, prev_hash, hash) VALUES ${part.map(() => '(?,?,?,?,?,?,?,?,?,?,?)').join(',')}`,
            part.flat(),
          );
        }
        await setPairingHead(chain, length, prevHash);
      }
      const [{ n }] = await t.dataSource.query('SELECT COUNT(*) AS n FROM audit_event');
      expect(Number(n)).toBeGreaterThan(1300);
      const intact = await get('/api/audit/verify').expect(200);
      expect(intact.body).toMatchObject({ events: Number(n), failures: [{ chain: 'pairing:424250' }, { chain: 'pairing:424251' }] });
      expect((await get('/api/audit/verify?pairingId=424253').expect(200)).body).toEqual({
        ok: true,
        chains: 1,
        events: 700,
        failures: [],
      });

      await behindTheTriggers([['UPDATE audit_event SET comment = ? WHERE chain = ? AND seq = ?', ['改', 'pairing:424253', 650]]]);
      const broken = await get('/api/audit/verify').expect(200);
      expect(broken.body.failures).toContainEqual({
        chain: 'pairing:424253',
        seq: 650,
        reason: "hash does not match the event's contents",
      });
      expect((await get('/api/audit/verify?pairingId=424253').expect(200)).body.failures).toEqual([
        { chain: 'pairing:424253', seq: 650, reason: "hash does not match the event's contents" },
      ]);
    });

    it('answers an unknown chain with nothing to check', async () => {
      expect((await get('/api/audit/verify?pairingId=999999').expect(200)).body).toEqual({ ok: true, chains: 0, events: 0, failures: [] });
    });

    it('refuses a malformed query', async () => {
      expect((await get('/api/audit/verify?pairingId=abc').expect(400)).body.code).toBe('VALIDATION_FAILED');
    });
  });

  describe('checkpoints', () => {
    const chain = 'pairing:424260';
    let views: AuditEventView[];
    let checkpoint: Checkpoint;

    beforeAll(async () => {
      views = await append(chain, events(5));
      await append('pairing:424261', events(3));
      checkpoint = (await get('/api/audit/checkpoint').expect(200)).body;
    });

    /** Sends the checkpoint both ways — as a JSON body, and as the file uploaded raw — and expects one answer. */
    async function checkBoth(cp: unknown, role: Role = 'auditor') {
      const json = await post('/api/audit/verify', { checkpoint: cp }, role).expect(200);
      const file = await upload(Buffer.from(JSON.stringify(cp, null, 2)), role).expect(200);
      expect(file.body).toEqual(json.body);
      return json;
    }

    it('lists the head of every chain from its events, signed with the server’s Ed25519 key kept under the data directory', async () => {
      expect(checkpoint).toEqual({
        format: 'gongjian-checkpoint/2',
        algorithm: 'Ed25519',
        publicKey: expect.stringContaining('BEGIN PUBLIC KEY'),
        chains: expect.any(Array),
        at: expect.any(String),
        count: checkpoint.chains.length,
        headsSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        signature: expect.any(String),
      });
      expect(checkpoint.chains).toContainEqual({ chain, seq: 5, hash: views[4].hash });
      const heads: { chain: string; seq: number; hash: string }[] = await t.dataSource.query(
        'SELECT e.chain AS chain, e.seq AS seq, e.hash AS hash FROM audit_event e WHERE e.seq = (SELECT MAX(x.seq) FROM audit_event x WHERE x.chain = e.chain)',
      );
      expect([...checkpoint.chains].sort((a, b) => (a.chain < b.chain ? -1 : 1))).toEqual(
        heads.map((h) => ({ ...h, seq: Number(h.seq) })).sort((a, b) => (a.chain < b.chain ? -1 : 1)),
      );
      // Anyone can check it: the sha256 of the heads' canonical JSON lines, and Ed25519 over {at, count, format, headsSha256}.
      const lines = checkpoint.chains.map((head) => `${canonicalJson(head)}\n`).join('');
      expect(createHash('sha256').update(lines).digest('hex')).toBe(checkpoint.headsSha256);
      const message = Buffer.from(
        canonicalJson({ at: checkpoint.at, count: checkpoint.count, format: checkpoint.format, headsSha256: checkpoint.headsSha256 }),
      );
      expect(verifySignature(null, message, checkpoint.publicKey, Buffer.from(checkpoint.signature, 'base64'))).toBe(true);
      expect(statSync(join(t.config.dataDir, SIGNING_KEY_FILE)).mode & 0o777).toBe(0o600);
      const again = (await get('/api/audit/checkpoint').expect(200)).body;
      expect(again.publicKey).toBe(checkpoint.publicKey);
    });

    it('reports a chain cut short behind the triggers’ back (head row set back too), which GET verify cannot see', async () => {
      const untouched = await checkBoth(checkpoint, 'committee');
      expect(untouched.body.checkpoint).toEqual({
        signatureValid: true,
        at: checkpoint.at,
        chains: checkpoint.count,
        asBefore: checkpoint.count,
        grown: expect.any(Number),
        truncated: [],
        rewritten: [],
        truncatedCount: 0,
        rewrittenCount: 0,
      });

      await behindTheTriggers([
        ['DELETE FROM audit_event WHERE chain = ? AND seq > ?', [chain, 3]],
        ['UPDATE pairing SET version = ?, chain_hash = ? WHERE id = ?', [3, views[2].hash, Number(chain.slice('pairing:'.length))]],
      ]);
      expect((await get('/api/audit/verify?pairingId=424260').expect(200)).body).toEqual({ ok: true, chains: 1, events: 3, failures: [] });

      const res = await checkBoth(checkpoint);
      expect(res.body.ok).toBe(false);
      expect(res.body.checkpoint).toMatchObject({
        signatureValid: true,
        chains: checkpoint.count,
        asBefore: checkpoint.count - 1,
        truncated: [{ chain, checkpointSeq: 5, currentSeq: 3 }],
        truncatedCount: 1,
        rewritten: [],
      });
      expect(res.body).toMatchObject({ chains: expect.any(Number), events: expect.any(Number), failures: expect.any(Array) });
    });

    it('reports a chain rewritten with recomputed hashes, which GET verify cannot see', async () => {
      const forged = 'pairing:424261';
      const rows: Record<string, unknown>[] = await t.dataSource.query(
        'SELECT chain, seq, at, actor_id, type, from_state, to_state, payload, comment, prev_hash, hash FROM audit_event WHERE chain = ? ORDER BY seq',
        [forged],
      );
      let prevHash = rows[0].prev_hash as string;
      const updates: [string, unknown[]][] = [];
      for (const row of rows) {
        const fields = {
          chain: forged,
          seq: Number(row.seq),
          at: row.at as string,
          actorId: row.actor_id as string | null,
          type: row.type as string,
          fromState: row.from_state as string | null,
          toState: row.to_state as string | null,
          payload: Number(row.seq) === 2 ? { step: 2, title: '伪造' } : JSON.parse(row.payload as string),
          comment: row.comment as string | null,
          prevHash,
        };
        const hash = auditHash(fields);
        updates.push([
          'UPDATE audit_event SET payload = ?, prev_hash = ?, hash = ? WHERE chain = ? AND seq = ?',
          [canonicalJson(fields.payload), prevHash, hash, forged, fields.seq],
        ]);
        prevHash = hash;
      }
      updates.push(['UPDATE pairing SET chain_hash = ? WHERE id = ?', [prevHash, Number(forged.slice('pairing:'.length))]]);
      await behindTheTriggers(updates);
      expect((await get('/api/audit/verify?pairingId=424261').expect(200)).body.ok).toBe(true);

      const res = await checkBoth(checkpoint, 'leader');
      expect(res.body.ok).toBe(false);
      expect(res.body.checkpoint.rewritten).toEqual([{ chain: forged, seq: 3 }]);
      expect(res.body.checkpoint.rewrittenCount).toBe(1);
    });

    it('finds the signature invalid when the checkpoint’s chains were edited, or it was signed with another key', async () => {
      const edited = {
        ...checkpoint,
        chains: checkpoint.chains.map((c) => (c.chain === chain ? { ...c, seq: 3, hash: views[2].hash } : c)),
      };
      const res = await checkBoth(edited);
      expect(res.body.ok).toBe(false);
      expect(res.body.checkpoint.signatureValid).toBe(false);
      expect(res.body.checkpoint.truncated).toEqual([]);

      const dropped = { ...checkpoint, chains: checkpoint.chains.filter((c) => c.chain !== chain) };
      expect((await checkBoth(dropped)).body.checkpoint.signatureValid).toBe(false);
      expect((await checkBoth({ ...dropped, count: dropped.chains.length })).body.checkpoint.signatureValid).toBe(false);
      const foreign = { ...checkpoint, signature: Buffer.alloc(64, 7).toString('base64') };
      expect((await checkBoth(foreign)).body.checkpoint.signatureValid).toBe(false);
    });

    it('reads an uploaded checkpoint whatever its key order, wrapped in {checkpoint} or not', async () => {
      const { chains, ...rest } = checkpoint;
      const reordered = Buffer.from(JSON.stringify({ checkpoint: { chains, ...rest } }));
      const res = await upload(reordered).expect(200);
      expect(res.body.checkpoint).toMatchObject({ signatureValid: true, chains: checkpoint.count });
    });

    it.each([
      ['a file that is not JSON', 'this is not a checkpoint'],
      ['a file that stops half way', '{"format":"gongjian-checkpoint/2","chains":[{"chain":"sys'],
      ['a list', '[1, 2]'],
      ['an earlier kind of checkpoint', JSON.stringify({ at: '2026-01-01T00:00:00.000Z', chains: [], signature: 'AAAA' })],
      ['a head with a field too many', (cp: Checkpoint) => JSON.stringify({ ...cp, chains: [{ ...cp.chains[0], extra: 1 }] })],
      ['a head that is a number', (cp: Checkpoint) => JSON.stringify({ ...cp, chains: [5] })],
      ['an unknown field', (cp: Checkpoint) => JSON.stringify({ ...cp, colour: 'red' })],
      ['a count that is text', (cp: Checkpoint) => JSON.stringify({ ...cp, count: 'many' })],
    ])('refuses the upload of %s with 400 VALIDATION_FAILED', async (_, body) => {
      const text = typeof body === 'function' ? body(checkpoint) : body;
      const res = await upload(Buffer.from(text)).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    });

    it('checks a checkpoint too big for a JSON body when it is uploaded as a file', async () => {
      // 12,000 one-event chains: more heads than a 1 MB JSON body holds.
      const rows: unknown[][] = [];
      for (let i = 0; i < 12_000; i++) {
        const fields = {
          chain: `bulk:${String(i).padStart(5, '0')}`,
          seq: 1,
          at: '2026-01-01T00:00:00.000Z',
          actorId: null,
          type: 'LOGIN',
          fromState: null,
          toState: null,
          payload: null,
          comment: null,
          prevHash: GENESIS_HASH,
        };
        rows.push([fields.chain, 1, fields.at, null, 'LOGIN', null, null, null, null, GENESIS_HASH, auditHash(fields)]);
      }
      for (let i = 0; i < rows.length; i += 500) {
        const part = rows.slice(i, i + 500);
        await t.dataSource.query(
          `INSERT INTO audit_event (chain, seq, at, actor_id, type, from_state, to_state, payload, comment, prev_hash, hash) VALUES ${part.map(() => '(?,?,?,?,?,?,?,?,?,?,?)').join(',')}`,
          part.flat(),
        );
        await t.dataSource.query(
          `INSERT INTO audit_chain_head (chain, seq, hash) VALUES ${part.map(() => '(?,?,?)').join(',')}`,
          part.flatMap((row) => [row[0], 1, row[10]]),
        );
      }
      const big = await get('/api/audit/checkpoint').buffer(true).parse(binary).expect(200);
      const file = big.body as Buffer;
      expect(file.length).toBeGreaterThan(1024 * 1024);
      const parsed: Checkpoint = JSON.parse(file.toString('utf8'));
      expect(parsed.count).toBeGreaterThan(12_000);
      expect((await post('/api/audit/verify', { checkpoint: parsed }).expect(413)).body.code).toBe('PAYLOAD_TOO_LARGE');

      await behindTheTriggers([['DELETE FROM audit_event WHERE chain = ?', ['bulk:06000']]]);
      const res = await upload(file).expect(200);
      expect(res.body.checkpoint).toMatchObject({
        signatureValid: true,
        chains: parsed.count,
        asBefore: parsed.count - 1,
        truncated: [{ chain: 'bulk:06000', checkpointSeq: 1, currentSeq: 0 }],
      });
      expect(res.body.failures).toContainEqual(expect.objectContaining({ chain: 'bulk:06000' }));
    });

    it.each([
      ['no checkpoint', () => ({})],
      ['a checkpoint that is text', () => ({ checkpoint: 'abc' })],
      ['a checkpoint that is a list', () => ({ checkpoint: [{}] })],
      ['a seq sent as text', (cp: Checkpoint) => ({ checkpoint: { ...cp, chains: [{ ...cp.chains[0], seq: String(cp.chains[0].seq) }] } })],
      ['a hash that is not hex', (cp: Checkpoint) => ({ checkpoint: { ...cp, chains: [{ ...cp.chains[0], hash: 'zz' }] } })],
      ['a chain entry that is a list', (cp: Checkpoint) => ({ checkpoint: { ...cp, chains: [[cp.chains[0]]] } })],
      ['chains missing', (cp: Checkpoint) => ({ checkpoint: { ...cp, chains: undefined } })],
      ['a signature that is not base64', (cp: Checkpoint) => ({ checkpoint: { ...cp, signature: 'not base64!' } })],
      ['an at that is not an instant', (cp: Checkpoint) => ({ checkpoint: { ...cp, at: 'now' } })],
      ['an unknown field', (cp: Checkpoint) => ({ checkpoint: { ...cp, extra: 1 } })],
    ])('refuses %s with 400 VALIDATION_FAILED', async (_, body) => {
      const res = await post('/api/audit/verify', body(checkpoint)).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    });
  });

  it('documents the routes in OpenAPI', async () => {
    const res = await t.http().get('/api/docs-json').expect(200);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining(['/api/audit/events', '/api/audit/verify', '/api/audit/export', '/api/audit/checkpoint']),
    );
    expect(res.body.components.schemas.CheckpointDto.properties.chains).toBeDefined();
  });

  describe('readable search and exports', () => {
    let court: Court;
    let pairing: PairingView;
    let history: AuditEventView[];
    let users: Map<string, { id: number; displayName: string }>;
    const formula = '=HYPERLINK("http://example.invalid","点我"), 请补充"附件"';
    const chain = () => `pairing:${pairing.id}`;

    beforeAll(async () => {
      court = await Court.open(t);
      pairing = await court.driveTo('proposed');
      await court.do('committee', pairing.id, { type: 'RETURN', comment: formula });
      history = await court.history(pairing.id);
      const list = await get('/api/users', 'admin').expect(200);
      users = new Map(list.body.map((u: { username: string; id: number; displayName: string }) => [u.username, u]));
    });

    const items = (res: Response): AuditEventView[] => res.body.items;

    it('finds a pairing’s events by its code, and names the pairing and the actors beside them', async () => {
      const res = await get(`/api/audit/events?code=${pairing.code}&pageSize=200`).expect(200);
      expect(items(res)).toEqual(history);
      expect(res.body.total).toBe(history.length);
      expect(res.body.timeZone).toBe('Asia/Shanghai');
      expect(res.body.names.pairings).toEqual({ [chain()]: { id: pairing.id, code: pairing.code, title: pairing.title } });
      const secretary = users.get('secretary')!;
      const committee = users.get('committee')!;
      expect(res.body.names.actors).toEqual({
        [String(secretary.id)]: { displayName: secretary.displayName, username: 'secretary' },
        [String(committee.id)]: { displayName: committee.displayName, username: 'committee' },
      });
      // As typed by hand: lower case, spaces around it.
      const typed = await get(
        `/api/audit/events?code=${encodeURIComponent(` ${pairing.code.toLowerCase()} `)}&pageSize=200`,
        'leader',
      ).expect(200);
      expect(items(typed)).toEqual(history);
    });

    it('finds events by an actor’s username or a part of their name', async () => {
      const committee = users.get('committee')!;
      const byUsername = await get(`/api/audit/events?code=${pairing.code}&actor=committee`).expect(200);
      expect(items(byUsername).map((e) => [e.type, e.actorId])).toEqual([['RETURN', String(committee.id)]]);
      const part = committee.displayName.slice(0, 2);
      const byName = await get(`/api/audit/events?code=${pairing.code}&actor=${encodeURIComponent(part)}`, 'committee').expect(200);
      expect(items(byName).map((e) => e.type)).toEqual(['RETURN']);
      const everywhere = await get(`/api/audit/events?actor=committee&pageSize=200`).expect(200);
      expect(items(everywhere).length).toBeGreaterThan(0);
      expect(items(everywhere).every((e) => e.actorId === String(committee.id))).toBe(true);
    });

    it('finds events by their type’s label in either language, or by the code', async () => {
      for (const type of ['退回修改', 'Return', 'RETURN']) {
        const res = await get(`/api/audit/events?code=${pairing.code}&type=${encodeURIComponent(type)}`).expect(200);
        expect(items(res).map((e) => e.type)).toEqual(['RETURN']);
      }
      const logins = await get(`/api/audit/events?type=${encodeURIComponent('登录')}&pageSize=200`).expect(200);
      expect(items(logins).length).toBeGreaterThan(0);
      expect(items(logins).every((e) => e.type === 'LOGIN')).toBe(true);
    });

    it('reads dates as days in the court’s time zone, `to` included to its last millisecond', async () => {
      // 2026-03-01 23:59:59.999 and 2026-03-02 00:00 in Shanghai, written straight into the table.
      const dated = 'pairing:424280';
      let prevHash = GENESIS_HASH;
      const ats = ['2026-02-28T16:00:00.000Z', '2026-03-01T15:59:59.999Z', '2026-03-01T16:00:00.000Z'];
      for (const [i, at] of ats.entries()) {
        const fields = {
          chain: dated,
          seq: i + 1,
          at,
          actorId: null,
          type: 'EDIT',
          fromState: 'draft',
          toState: 'draft',
          payload: null,
          comment: null,
          prevHash,
        };
        const hash = auditHash(fields);
        await t.dataSource.query(
          'INSERT INTO audit_event (chain, seq, at, actor_id, type, from_state, to_state, payload, comment, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?)',
          [dated, i + 1, at, null, 'EDIT', 'draft', 'draft', null, null, prevHash, hash],
        );
        prevHash = hash;
      }
      const seqs = async (query: string) =>
        items((await get(`/api/audit/events?chain=${encodeURIComponent(dated)}&${query}`).expect(200)) as Response).map((e) => e.seq);
      expect(await seqs('from=2026-03-01&to=2026-03-01')).toEqual([1, 2]);
      expect(await seqs('from=2026-03-02')).toEqual([3]);
      expect(await seqs('to=2026-02-28')).toEqual([]);
      expect(await seqs('from=2026-03-01T23:59:59.999%2B08:00&to=2026-03-02')).toEqual([2, 3]);
    });

    it.each([
      ['code=GJ-2099-999', 404, 'NOT_FOUND', 'code'],
      ['code=abc', 400, 'VALIDATION_FAILED', 'code'],
      ['actor=nobody-by-this-name', 404, 'NOT_FOUND', 'actor'],
      ['actor=%20', 400, 'VALIDATION_FAILED', 'actor'],
      ['type=%E6%97%A0%E6%AD%A4%E4%BA%8B%E4%BB%B6', 400, 'VALIDATION_FAILED', 'type'],
      ['from=2026-13-01', 400, 'VALIDATION_FAILED', 'from'],
      ['to=2026-02-29', 400, 'VALIDATION_FAILED', 'to'],
      ['from=2026-03-02&to=2026-03-01', 400, 'VALIDATION_FAILED', 'to'],
    ])('answers %s with %i %s, naming the field', async (query, status, code, field) => {
      for (const url of [`/api/audit/events?${query}`, `/api/audit/export?${query}`]) {
        const res = await get(url).expect(status);
        expect(res.body).toMatchObject({ statusCode: status, code, message: expect.any(String) });
        expect(res.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
      }
    });

    it('exports CSV for people: Chinese columns, code and title, names, labels, local time with its zone, Excel-safe cells', async () => {
      const payload = { note: '调解成功, 当事人说 "谢谢"', lines: 'a\nb' };
      const [tricky] = await append('pairing:424270', [
        { actorId: 987654, type: 'RETURN', fromState: 'proposed', toState: 'returned', payload, comment: '请补充材料, 见"附件"' },
      ]);
      const res = await get('/api/audit/export?format=csv').buffer(true).parse(binary).expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="audit-\d{4}-\d{2}-\d{2}\.csv"$/);
      const body = res.body as Buffer;
      expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);

      const [header, ...lines] = parseCsv(body.toString('utf8').slice(1));
      expect(header).toEqual([
        '项目编号',
        '项目名称',
        '序号',
        '时间',
        '操作人',
        '用户名',
        '事件',
        '事件代码',
        '原状态',
        '新状态',
        '意见',
        '内容',
        '链',
        '哈希',
      ]);
      const [{ n }] = await t.dataSource.query('SELECT COUNT(*) AS n FROM audit_event');
      expect(lines).toHaveLength(Number(n));
      expect(lines.every((line) => line.length === header.length)).toBe(true);
      const record = (line: string[]) => Object.fromEntries(header.map((column, i) => [column, line[i]]));

      const returned = history.find((e) => e.type === 'RETURN')!;
      const row = record(lines.find((line) => line[12] === chain() && line[2] === String(returned.seq))!);
      const committee = users.get('committee')!;
      expect(row).toEqual({
        项目编号: pairing.code,
        项目名称: pairing.title,
        序号: String(returned.seq),
        时间: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \(UTC\+8\)$/),
        操作人: committee.displayName,
        用户名: 'committee',
        事件: '退回修改',
        事件代码: 'RETURN',
        原状态: '待审批',
        新状态: '已退回',
        意见: `'${formula}`,
        内容: '',
        链: chain(),
        哈希: returned.hash,
      });
      const shanghai = new Date(Date.parse(returned.at) + 8 * 3600_000).toISOString();
      expect(row.时间).toBe(`${shanghai.slice(0, 10)} ${shanghai.slice(11, 19)} (UTC+8)`);

      // Ids in payloads are shown as names: the proposal's partner and liaison.
      const partners = await get('/api/partners').expect(200);
      const partner = partners.body.find((p: { id: number }) => p.id === 4);
      const created = record(lines.find((line) => line[12] === chain() && line[2] === '1')!);
      expect(created.内容).toContain(`共建单位：${partner.name}`);
      expect(created.内容).toContain(`本支部联络员：${users.get('member')!.displayName}`);
      expect(created.内容).not.toContain('partnerIds');

      const login = record(lines.find((line) => line[12] === 'system:GJ' && line[7] === 'LOGIN')!);
      expect(login).toMatchObject({ 项目编号: '系统', 事件: '登录', 原状态: '', 新状态: '' });

      // Commas, quotes and line breaks survive RFC 4180 quoting.
      const trickyRow = record(lines.find((line) => line[12] === 'pairing:424270')!);
      expect(trickyRow).toMatchObject({
        项目编号: 'GJ-TEST-424270',
        项目名称: 'stand-in for pairing:424270',
        操作人: '#987654',
        意见: '请补充材料, 见"附件"',
        哈希: tricky.hash,
      });
      expect(trickyRow.内容).toContain('a\nb');
    });

    it('exports only what the filters select', async () => {
      const res = await get(`/api/audit/export?code=${pairing.code}&type=RETURN`).buffer(true).parse(binary).expect(200);
      const [, ...lines] = parseCsv((res.body as Buffer).toString('utf8').slice(1));
      expect(lines.map((line) => [line[0], line[7]])).toEqual([[pairing.code, 'RETURN']]);
    });

    it('exports JSON lines for machines: each event exactly as hashed', async () => {
      const res = await get('/api/audit/export?format=jsonl').buffer(true).parse(binary).expect(200);
      expect(res.headers['content-type']).toMatch(/^application\/x-ndjson; charset=utf-8/);
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="audit-\d{4}-\d{2}-\d{2}\.jsonl"$/);
      const lines = (res.body as Buffer).toString('utf8').split('\n');
      expect(lines.pop()).toBe('');
      const [{ n }] = await t.dataSource.query('SELECT COUNT(*) AS n FROM audit_event');
      expect(lines).toHaveLength(Number(n));
      const events: AuditEventView[] = lines.map((line) => JSON.parse(line));
      expect(events.filter((e) => e.chain === chain())).toEqual(history);
      // (Other tests here tamper with chains of their own behind the triggers' back.)
      for (const { hash, ...fields } of events.filter((e) => e.chain === chain() || e.chain === 'system:GJ')) {
        expect(auditHash(fields)).toBe(hash);
      }
      const one = await get(`/api/audit/export?format=jsonl&code=${pairing.code}`).buffer(true).parse(binary).expect(200);
      expect((one.body as Buffer).toString('utf8')).toBe(history.map((e) => `${JSON.stringify(e)}\n`).join(''));
    });

    it('accepts no other format', async () => {
      const res = await get('/api/audit/export?format=xlsx').expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      await get('/api/audit/export').expect(200);
    });
  });
  // Last, so that the whole-trail checks above see only the chains they broke.
  describe('verify against the pairing rows', () => {
    it('catches a pairing chain cut short consistently, its last events deleted, through the pairing’s version', async () => {
      const id = realPairings[0];
      expect((await get(`/api/audit/verify?pairingId=${id}`).expect(200)).body).toEqual({ ok: true, chains: 1, events: 4, failures: [] });
      // Whatever else one sets back, the pairing row still says its chain reaches seq 4.
      await behindTheTriggers([['DELETE FROM audit_event WHERE chain = ? AND seq > ?', [`pairing:${id}`, 2]]]);
      const res = await get(`/api/audit/verify?pairingId=${id}`).expect(200);
      expect(res.body).toEqual({
        ok: false,
        chains: 1,
        events: 2,
        failures: [
          { chain: `pairing:${id}`, seq: 3, reason: 'seq 3 is missing: the chain ends at seq 2, but its head says it reaches seq 4' },
        ],
      });
    });

    it('catches a pairing chain deleted whole', async () => {
      const id = realPairings[1];
      await behindTheTriggers([['DELETE FROM audit_event WHERE chain = ?', [`pairing:${id}`]]]);
      const res = await get(`/api/audit/verify?pairingId=${id}`).expect(200);
      expect(res.body.ok).toBe(false);
      expect(res.body.failures).toEqual([
        { chain: `pairing:${id}`, seq: 1, reason: 'seq 1 is missing: the chain has no events, but its head says it reaches seq 2' },
      ]);
      expect((await get('/api/audit/verify').expect(200)).body.failures).toContainEqual(res.body.failures[0]);
    });
  });
});
