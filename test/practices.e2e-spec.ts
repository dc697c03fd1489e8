import { crc32, deflateSync } from 'node:zlib';
import type { Response } from 'superagent';
import { activity, auth, Court, quarterReport, review } from './support/pairing-flow';
import { engines, startTestApp, TestApp } from './support/test-app';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- API bodies are read loosely

function pngChunk(kind: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(kind, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([length, body, crc]);
}

/** A real PNG of one coloured pixel; a different colour gives different bytes. */
function png(rgb: [number, number, number]): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(1, 0);
  header.writeUInt32BE(1, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(Buffer.from([0, ...rgb]))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');

const binary = (res: Response, done: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

const FAMILY = { name: '家事纠纷诉前化解率', unit: '%', baseline: 48.1, target: 58, higherIsBetter: true };

describe.each(engines())('Good practices on %s', (engine) => {
  let t: TestApp;
  let court: Court;
  let scored: number;
  let running: number;
  /** Evidence of the scored pairing: two photos and a PDF; and a photo of the running one. */
  const evidence: Record<'photo1' | 'photo2' | 'pdf' | 'otherPhoto', number> = { photo1: 0, photo2: 0, pdf: 0, otherPhoto: 0 };
  const photoBytes = png([200, 16, 46]);

  beforeAll(async () => {
    t = await startTestApp(engine);
    court = await Court.open(t);
    const upload = async (bytes: Buffer, filename: string) => {
      const res = await t
        .http()
        .post('/api/attachments')
        .set(auth(await court.token('secretary')))
        .attach('file', bytes, filename);
      if (res.status !== 201) throw new Error(`upload ${filename}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.id as number;
    };
    evidence.photo1 = await upload(photoBytes, '联合调解现场.png');
    evidence.photo2 = await upload(png([10, 120, 200]), '共建活动日合影.png');
    evidence.pdf = await upload(PDF, '会议纪要.pdf');
    evidence.otherPhoto = await upload(png([1, 2, 3]), '另一项目.png');

    const year = court.year;
    const plan = {
      startQuarter: 4,
      items: [{ title: '第4季度共建', quarter: 4, dueDate: `${year}-12-20`, owner: '李立案' }],
      indicators: [FAMILY],
    };
    const base = await court.driveTo('agreementSigned');
    scored = base.id;
    await court.do('secretary', scored, { type: 'FILE_PLAN', ...plan });
    await court.do('committee', scored, { type: 'ACCEPT_PLAN' });
    await court.do('secretary', scored, {
      type: 'RECORD_ACTIVITY',
      ...activity(year, 4, 'joint_meeting'),
      attachmentIds: [evidence.photo1, evidence.pdf],
    });
    await court.do('secretary', scored, {
      type: 'RECORD_ACTIVITY',
      ...activity(year, 4, 'activity_day', 20),
      attachmentIds: [evidence.photo2],
    });
    await court.do('secretary', scored, {
      type: 'SUBMIT_QUARTER_REPORT',
      ...quarterReport(),
      indicatorValues: [{ name: FAMILY.name, value: 55 }],
    });
    await court.do('committee', scored, { type: 'SCORE_QUARTER', score: 95 });
    await court.do('secretary', scored, { type: 'SUBMIT_REVIEW', ...review() });
    await court.do('committee', scored, { type: 'APPROVE_REVIEW', score: 94 });

    running = (await court.driveTo('active.collecting', { startQuarter: 4 })).id;
    await court.do('secretary', running, {
      type: 'RECORD_ACTIVITY',
      ...activity(year, 4, 'joint_meeting'),
      attachmentIds: [evidence.otherPhoto],
    });
  });
  afterAll(() => t.close());

  const as = async (user: string | null, method: 'get' | 'post', path: string, body?: Json) => {
    const req = t.http()[method](path);
    if (user !== null) req.set(auth(await court.token(user)));
    return body === undefined ? req : req.send(body);
  };
  const practiceEvents = async (type: string) =>
    (await as('auditor', 'get', `/api/audit/events?type=${type}&pageSize=200`)).body.items.filter((e: Json) => e.chain === 'system:GJ');
  const publishedIds = async () => (await as('committee', 'get', '/api/practices')).body.map((p: Json) => p.id);

  const article = (extra: Json = {}) => ({
    pairingId: scored,
    title: '诉源治理“三联”机制：家事纠纷诉前化解率提升11.16个百分点',
    summary: '立案庭党支部与社会治理中心党支部联合开展诉源治理大调研……',
    attachmentIds: [evidence.photo2, evidence.photo1],
    ...extra,
  });

  /** A refused publication: the answer, and nothing published or recorded. */
  async function refusedPublish(user: string | null, body: Json, status: number, code: string) {
    const [events, ids] = [(await practiceEvents('PRACTICE_PUBLISHED')).length, await publishedIds()];
    const res = await as(user, 'post', '/api/practices', body);
    expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
    expect(res.body).toMatchObject({ statusCode: status, message: expect.any(String) });
    expect((await practiceEvents('PRACTICE_PUBLISHED')).length).toBe(events);
    expect(await publishedIds()).toEqual(ids);
    return res;
  }

  describe('publishing', () => {
    it('is for the committee only', async () => {
      await refusedPublish(null, article(), 401, 'UNAUTHENTICATED');
      for (const user of ['secretary', 'secretary2', 'leader', 'auditor', 'member', 'admin'])
        await refusedPublish(user, article(), 403, 'FORBIDDEN');
    });

    it.each([
      ['no title', { title: undefined }, 'title'],
      ['a blank summary', { summary: '   ' }, 'summary'],
      ['a pairing id that is text', { pairingId: 'GJ-2025-001' }, 'pairingId'],
      ['a pairing that does not exist', { pairingId: 987654 }, 'pairingId'],
      ['attachment ids that are text', { attachmentIds: ['photo'] }, 'attachmentIds'],
      ['an unknown field', { cover: 1 }, 'cover'],
    ])('refuses %s with 400 naming the field', async (_what, extra, field) => {
      const res = await refusedPublish('committee', article(extra), 400, 'VALIDATION_FAILED');
      expect(res.body.details.map((d: Json) => d.field)).toContain(field);
    });

    it('takes only photos of the pairing’s own evidence, each once', async () => {
      for (const [attachmentIds, field, message] of [
        [[evidence.photo1, evidence.otherPhoto], 'attachmentIds.1', 'not part of this pairing'],
        [[evidence.pdf], 'attachmentIds.0', 'not a photo'],
        [[evidence.photo1, evidence.photo1], 'attachmentIds.1', 'twice'],
        [[424242], 'attachmentIds.0', 'not part of this pairing'],
      ] as [number[], string, string][]) {
        const res = await refusedPublish('committee', article({ attachmentIds }), 400, 'VALIDATION_FAILED');
        expect(res.body.details).toEqual([{ field, messages: [expect.stringContaining(message)] }]);
      }
    });

    it('only a scored pairing can be published', async () => {
      const res = await refusedPublish('committee', article({ pairingId: running, attachmentIds: [] }), 422, 'PAIRING_NOT_SCORED');
      expect(res.body.details).toEqual({ state: 'active.collecting' });
    });
  });

  describe('a published practice', () => {
    let practiceId: number;
    let pairingBefore: Json;

    beforeAll(async () => {
      pairingBefore = await court.view('auditor', scored);
      const res = await as('committee', 'post', '/api/practices', article());
      expect(res.status).toBe(201);
      practiceId = res.body.id;
    });

    it('leaves the pairing scored and its chain alone, and is recorded in the system chain', async () => {
      expect(await court.view('auditor', scored)).toEqual(pairingBefore);
      const [event] = (await practiceEvents('PRACTICE_PUBLISHED')).filter((e: Json) => e.payload.practiceId === practiceId);
      expect(event).toMatchObject({
        actorId: String(court.id('committee')),
        fromState: null,
        toState: null,
        payload: {
          pairingId: scored,
          code: pairingBefore.code,
          title: article().title,
          attachmentIds: [evidence.photo2, evidence.photo1],
          attachments: [
            { id: evidence.photo2, filename: '共建活动日合影.png', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
            { id: evidence.photo1, filename: '联合调解现场.png', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
          ],
        },
      });
      const verify = await as('auditor', 'get', '/api/audit/verify');
      expect(verify.body).toMatchObject({ ok: true, failures: [] });
    });

    it('is one per pairing', async () => {
      const res = await refusedPublish('committee', article({ title: '另一篇' }), 409, 'PRACTICE_ALREADY_PUBLISHED');
      expect(res.body.details).toEqual({ practiceId });
    });

    it('is read by another branch’s secretary, with the pairing’s outcomes and its photos', async () => {
      const res = await as('secretary2', 'get', '/api/practices');
      expect(res.status).toBe(200);
      const practice = res.body.find((p: Json) => p.id === practiceId);
      expect(practice).toMatchObject({
        status: 'published',
        title: article().title,
        summary: article().summary,
        publishedBy: { id: court.id('committee'), displayName: expect.any(String) },
        pairing: { id: scored, code: pairingBefore.code, year: court.year, leadBranchName: '立案庭党支部', finalScore: expect.any(Number) },
        review: { problemSolved: true, outcomes: review().outcomes },
        indicators: [
          {
            ...FAMILY,
            quarterly: [{ quarter: 4, value: 55 }],
            final: 59.26,
            finalFrom: 'review',
            change: 11.16,
            improved: true,
            targetMet: true,
          },
        ],
        photos: [
          { id: evidence.photo2, filename: '共建活动日合影.png', mime: 'image/png' },
          { id: evidence.photo1, filename: '联合调解现场.png', mime: 'image/png' },
        ],
      });
      // secretary2 may not open the pairing itself, but may see the photos published with the practice …
      expect((await court.get('secretary2', scored)).status).toBe(404);
      const photo = await t
        .http()
        .get(`/api/attachments/${evidence.photo1}`)
        .set(auth(await court.token('secretary2')))
        .buffer(true)
        .parse(binary);
      expect(photo.status).toBe(200);
      expect(Buffer.compare(photo.body as Buffer, photoBytes)).toBe(0);
      // … and nothing else of its evidence.
      expect((await as('secretary2', 'get', `/api/attachments/${evidence.pdf}`)).status).toBe(404);
      expect((await as('secretary2', 'get', `/api/attachments/${evidence.otherPhoto}`)).status).toBe(404);
      expect((await as('secretary2', 'get', `/api/practices/${practiceId}`)).body.id).toBe(practiceId);
      for (const user of ['member', 'admin', 'leader', 'auditor', 'secretary', 'committee']) {
        const list = await as(user, 'get', '/api/practices');
        expect({ user, status: list.status, found: list.body.some((p: Json) => p.id === practiceId) }).toEqual({
          user,
          status: 200,
          found: true,
        });
      }
      expect((await as(null, 'get', '/api/practices')).status).toBe(401);
      // The platform admin's role by itself sees no workflow data (SPEC §11): no practice, no photo of one.
      await court.user('platform-only', ['platform_admin']);
      expect((await as('platform-only', 'get', '/api/practices')).body).toEqual([]);
      expect((await as('platform-only', 'get', `/api/practices/${practiceId}`)).status).toBe(404);
      expect((await as('platform-only', 'get', `/api/attachments/${evidence.photo1}`)).status).toBe(404);
      expect((await as('secretary2', 'get', `/api/practices?year=${court.year}`)).body.map((p: Json) => p.id)).toEqual([practiceId]);
      expect((await as('secretary2', 'get', `/api/practices?year=${court.year - 1}`)).body).toEqual([]);
      expect((await as('secretary2', 'get', '/api/practices?year=soon')).status).toBe(400);
      expect((await as('secretary2', 'get', '/api/practices/987654')).status).toBe(404);
      expect((await as('secretary2', 'get', '/api/practices/abc')).status).toBe(400);
    });

    it('is withdrawn by the committee with a reason, then may be published anew', async () => {
      const withdraw = (user: string | null, id: number | string, body: Json) => as(user, 'post', `/api/practices/${id}/withdraw`, body);
      const events = (await practiceEvents('PRACTICE_WITHDRAWN')).length;
      expect((await withdraw(null, practiceId, { comment: '经验已过时' })).status).toBe(401);
      for (const user of ['secretary', 'leader', 'auditor', 'admin']) {
        expect({ user, status: (await withdraw(user, practiceId, { comment: '经验已过时' })).status }).toEqual({ user, status: 403 });
      }
      for (const body of [{}, { comment: '  ' }, { comment: 42 }, { comment: '理由', extra: true }]) {
        const res = await withdraw('committee', practiceId, body);
        expect({ body, status: res.status, code: res.body.code }).toEqual({ body, status: 400, code: 'VALIDATION_FAILED' });
      }
      expect((await withdraw('committee', 987654, { comment: '理由' })).status).toBe(404);
      expect((await withdraw('committee', 'abc', { comment: '理由' })).status).toBe(400);
      expect((await practiceEvents('PRACTICE_WITHDRAWN')).length).toBe(events);
      expect(await publishedIds()).toContain(practiceId);

      const res = await withdraw('committee', practiceId, { comment: '共建单位撤并，经验不再适用' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: practiceId,
        status: 'withdrawn',
        withdrawComment: '共建单位撤并，经验不再适用',
        withdrawnAt: expect.any(String),
      });
      const recorded = (await practiceEvents('PRACTICE_WITHDRAWN')).filter((e: Json) => e.payload.practiceId === practiceId);
      expect(recorded).toEqual([
        expect.objectContaining({ comment: '共建单位撤并，经验不再适用', payload: expect.objectContaining({ pairingId: scored }) }),
      ]);

      expect(await publishedIds()).not.toContain(practiceId);
      expect((await as('secretary2', 'get', `/api/practices/${practiceId}`)).status).toBe(404);
      expect((await as('committee', 'get', `/api/practices/${practiceId}`)).body.status).toBe('withdrawn');
      expect((await as('secretary2', 'get', `/api/attachments/${evidence.photo1}`)).status).toBe(404);
      const again = await withdraw('committee', practiceId, { comment: '再次撤回' });
      expect({ status: again.status, code: again.body.code }).toEqual({ status: 409, code: 'PRACTICE_ALREADY_WITHDRAWN' });

      const republished = await as('committee', 'post', '/api/practices', article({ attachmentIds: [evidence.photo1] }));
      expect(republished.status).toBe(201);
      expect(republished.body.id).not.toBe(practiceId);
      expect(await publishedIds()).toContain(republished.body.id);
      expect((await as('secretary2', 'get', `/api/attachments/${evidence.photo1}`)).status).toBe(200);
      expect((await as('secretary2', 'get', `/api/attachments/${evidence.photo2}`)).status).toBe(404);
    });
  });
});
