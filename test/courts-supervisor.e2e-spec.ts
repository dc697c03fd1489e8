/**
 * The intermediate court's view (SPEC §11): the full demo puts 平湖法院 (PH) and 海盐法院 (HY) below 嘉兴中院
 * (JX). Its supervisor reads its own court by default, one court below with `courtId=<id>`, or all of them
 * with `courtId=all` — pairings, bulletin, ranking, audit — compares them in GET /api/reports/courts, and
 * changes nothing. A court outside its tree is answered like one that does not exist.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dateIn } from '../src/common/clock';
import { agreement, auth } from './support/pairing-flow';
import { engines, startTestApp, TestApp } from './support/test-app';
import { binary, extract, unzip } from './support/zip';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');

describe.each(engines())('A supervising court on %s', (engine) => {
  let t: TestApp;
  const courts: Record<string, number> = {};
  const year = new Date().getUTCFullYear() - 1;

  const get = async (url: string, as = 'supervisor', status = 200) =>
    (
      await t
        .http()
        .get(url)
        .set(auth(await t.token(as)))
        .expect(status)
    ).body;

  beforeAll(async () => {
    t = await startTestApp(engine, { SEED_DEMO_PAIRINGS: 'true' });
    for (const court of await get('/api/courts')) courts[court.code] = court.id;
    // A court outside 嘉兴's tree.
    const other = await t
      .http()
      .post('/api/courts')
      .set(auth(await t.token('admin')))
      .send({ code: 'XX', name: '另一中级人民法院' })
      .expect(201);
    courts.XX = other.body.id;
  }, 120_000);
  afterAll(() => t.close());

  it('sees its own court and every court below it, the demo court PH among them', async () => {
    const list = await get('/api/courts');
    expect(list.map((c: Json) => [c.code, c.parentCourtId])).toEqual([
      ['JX', null],
      ['PH', courts.JX],
      ['HY', courts.JX],
    ]);
    const me = await get('/api/auth/me');
    expect(me.court).toMatchObject({ code: 'JX', name: '嘉兴市中级人民法院' });
    const secretary = await get('/api/auth/me', 'secretary');
    expect(secretary.court).toMatchObject({ code: 'PH', name: '平湖市人民法院' });
  });

  it('lists its own court by default, one court below with courtId=<id>, all of them with courtId=all', async () => {
    expect((await get('/api/pairings')).items).toEqual([]);
    const all = (await get('/api/pairings?courtId=all&pageSize=100')).items as Json[];
    expect(new Set(all.map((p) => p.courtId))).toEqual(new Set([courts.PH, courts.HY]));
    expect(all.every((p) => p.code.startsWith(p.courtId === courts.PH ? 'PH-' : 'HY-'))).toBe(true);
    expect(all.every((p) => p.availableEvents.length === 0)).toBe(true);
    const hy = (await get(`/api/pairings?courtId=${courts.HY}`)).items as Json[];
    expect(hy.map((p) => p.code).sort()).toEqual([`HY-${year}-001`, `HY-${year + 1}-001`]);
    // Outside its tree, or a court that does not exist: the same answer.
    for (const id of [courts.XX, 987654]) {
      const res = await get(`/api/pairings?courtId=${id}`, 'supervisor', 404);
      expect(res).toMatchObject({ code: 'NOT_FOUND', details: [{ field: 'courtId', messages: [`court ${id} does not exist`] }] });
    }
    expect((await get('/api/pairings?courtId=below', 'supervisor', 400)).code).toBe('VALIDATION_FAILED');
    // Anyone else reads their own court, whatever courtId says.
    const secretary = (await get('/api/pairings?courtId=all&pageSize=100', 'committee')).items as Json[];
    expect(secretary.every((p) => p.courtId === courts.PH)).toBe(true);
    expect((await get(`/api/pairings?courtId=${courts.HY}`, 'committee', 404)).code).toBe('NOT_FOUND');
  });

  it('reads a pairing below it, with its history, and changes nothing', async () => {
    const [pairing] = (await get(`/api/pairings?courtId=${courts.HY}&state=scored`)).items as Json[];
    const detail = await get(`/api/pairings/${pairing.id}`);
    expect(detail).toMatchObject({ code: `HY-${year}-001`, state: 'scored', availableEvents: [] });
    expect((await get(`/api/pairings/${pairing.id}/history`)).at(-1).type).toBe('APPROVE_REVIEW');
    const revisions = (await get(`/api/pairings/${pairing.id}/revisions`)) as Json[];
    expect(revisions.map((r) => [r.revision, r.outcome?.type])).toEqual([[1, 'APPROVE']]);
    expect((await get(`/api/pairings/${pairing.id}/revisions`, 'committee', 404)).code).toBe('NOT_FOUND');
    const token = await t.token('supervisor');
    const proposed = ((await get(`/api/pairings?courtId=all&state=proposed`)).items as Json[])[0];
    const refused = await t.http().post(`/api/pairings/${proposed.id}/events`).set(auth(token)).send({ type: 'APPROVE' });
    expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
    const create = await t.http().post('/api/pairings').set(auth(token)).send({ year, title: '上级法院不建项目' });
    expect(create.status).toBe(403);
    // A court's pairing is still invisible to the courts beside it.
    expect((await get(`/api/pairings/${pairing.id}`, 'committee', 404)).code).toBe('NOT_FOUND');
  });

  it('takes the dossier of a pairing in a court below it, as the court files it; not of a court outside its tree (404)', async () => {
    const dossier = async (id: number, as = 'supervisor') =>
      t
        .http()
        .get(`/api/pairings/${id}/dossier`)
        .set(auth(await t.token(as)))
        .buffer(true)
        .parse(binary);
    const [pairing] = (await get(`/api/pairings?courtId=${courts.HY}&state=scored`)).items as Json[];
    const res = await dossier(pairing.id);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    const entries = await unzip(res.body);
    // The chain as the court's own readers are served it, its rank among that court's scored pairings.
    expect(entries.get('audit/chain.jsonl')!.toString('utf8')).toBe(
      (await get(`/api/pairings/${pairing.id}/history`, 'hy-committee')).map((e: Json) => `${JSON.stringify(e)}\n`).join(''),
    );
    const summary = (await unzip(entries.get('summary.docx')!))
      .get('word/document.xml')!
      .toString('utf8')
      .replace(/<[^>]+>/g, '');
    expect(summary).toContain(pairing.code);
    expect(summary).toContain('第 1 名（共 1 个已评分项目）');
    const dir = mkdtempSync(join(tmpdir(), 'gongjian-supervisor-dossier-'));
    try {
      extract(entries, dir);
      const checked = spawnSync(process.execPath, ['verify.mjs'], { cwd: dir, encoding: 'utf8' });
      expect({ status: checked.status, out: checked.stdout.trim().split('\n')[0] }).toEqual({
        status: 0,
        out: expect.stringMatching(/^OK/),
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const [own] = (await get(`/api/pairings?courtId=${courts.PH}&state=scored`)).items as Json[];
    expect((await dossier(own.id)).status).toBe(200);

    // A pairing of a court outside 嘉兴's tree is answered as one that does not exist.
    const admin = auth(await t.token('admin'));
    await t
      .http()
      .post(`/api/courts/${courts.XX}/admins`)
      .set(admin)
      .send({ username: 'xx-admin', displayName: '另院管理员', password: 'Demo@2026' })
      .expect(201);
    const xxAdmin = auth(await t.token('xx-admin'));
    const branch = await t.http().post('/api/branches').set(xxAdmin).send({ name: '另院立案庭党支部' }).expect(201);
    await t
      .http()
      .post('/api/users')
      .set(xxAdmin)
      .send({ username: 'xx-secretary', displayName: '另院书记', password: 'Demo@2026', roles: ['secretary'], branchId: branch.body.id })
      .expect(201);
    const outside = await t
      .http()
      .post('/api/pairings')
      .set(auth(await t.token('xx-secretary')))
      .send({ year, title: '另院的结对项目' })
      .expect(201);
    expect((await dossier(outside.body.id, 'xx-secretary')).status).toBe(200);
    for (const id of [outside.body.id, 987654]) {
      const refused = await t
        .http()
        .get(`/api/pairings/${id}/dossier`)
        .set(auth(await t.token('supervisor')));
      expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 404, code: 'NOT_FOUND' });
    }
    // The court beside it still cannot take it.
    expect((await dossier(pairing.id, 'committee')).status).toBe(404);
  });

  it('downloads the evidence of a pairing in a court below it one file at a time, uploads none; not of a court outside its tree (404)', async () => {
    const as = async (username: string) => auth(await t.token(username));
    const upload = async (username: string) =>
      (
        await t
          .http()
          .post('/api/attachments')
          .set(await as(username))
          .attach('file', PDF, { filename: '活动签到表.pdf', contentType: 'application/pdf' })
          .expect(201)
      ).body as Json;
    const download = async (id: number, username = 'supervisor') =>
      t
        .http()
        .get(`/api/attachments/${id}`)
        .set(await as(username))
        .buffer(true)
        .parse(binary);
    const send = async (username: string, id: number, body: Json) =>
      t
        .http()
        .post(`/api/pairings/${id}/events`)
        .set(await as(username))
        .send(body)
        .expect(200);

    // 海盐's pairing of this year records an activity with its sign-in sheet.
    const [running] = (await get(`/api/pairings?courtId=${courts.HY}&state=active.collecting`)).items as Json[];
    const sheet = await upload('hy-secretary2');
    await send('hy-secretary2', running.id, {
      type: 'RECORD_ACTIVITY',
      kind: 'lecture',
      heldOn: dateIn(t.config.timezone, new Date()),
      title: '诉源治理专题讲座',
      participants: 20,
      partnerParticipants: 6,
      summary: '共同学习诉源治理的做法',
      attachmentIds: [sheet.id],
    });
    const detail = await get(`/api/pairings/${running.id}`);
    expect(detail.activities.some((a: Json) => a.attachmentIds.includes(sheet.id))).toBe(true);
    const res = await download(sheet.id);
    expect({ status: res.status, type: res.headers['content-type'], same: Buffer.compare(res.body, PDF) === 0 }).toEqual({
      status: 200,
      type: 'application/pdf',
      same: true,
    });
    // Read only: it uploads nothing, and the court beside 海盐 still cannot read it.
    const refused = await t
      .http()
      .post('/api/attachments')
      .set(await as('supervisor'))
      .attach('file', PDF, { filename: 'x.pdf', contentType: 'application/pdf' });
    expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
    expect((await download(sheet.id, 'committee')).status).toBe(404);

    // The signed agreement of a pairing in a court outside 嘉兴's tree is answered as one that does not exist.
    const xxAdmin = await as('xx-admin');
    const [branch] = (await t.http().get('/api/branches').set(xxAdmin).expect(200)).body as Json[];
    const partner = await t.http().post('/api/partners').set(xxAdmin).send({ name: '另院共建社区', kind: 'community' }).expect(201);
    const user = async (username: string, roles: string[], branchId: number | null) =>
      (
        await t
          .http()
          .post('/api/users')
          .set(xxAdmin)
          .send({ username, displayName: username, password: 'Demo@2026', roles, branchId })
          .expect(201)
      ).body as Json;
    const liaison = await user('xx-member', ['member'], branch.id);
    await user('xx-committee', ['committee'], null);
    const outside = await t
      .http()
      .post('/api/pairings')
      .set(await as('xx-secretary'))
      .send({
        year,
        title: '另院的共建项目',
        theme: '诉源治理',
        problem: '诉前化解率偏低',
        partnerIds: [partner.body.id],
        categories: ['project'],
        liaisonUserId: liaison.id,
      })
      .expect(201);
    await send('xx-secretary', outside.body.id, { type: 'SUBMIT' });
    await send('xx-committee', outside.body.id, { type: 'APPROVE' });
    const scan = await upload('xx-secretary');
    await send('xx-secretary', outside.body.id, { type: 'SIGN_AGREEMENT', ...agreement(year), attachmentIds: [scan.id] });
    expect((await download(scan.id, 'xx-committee')).status).toBe(200);
    for (const id of [scan.id, 987654]) {
      const res = await download(id);
      expect({ status: res.status, code: JSON.parse(res.body.toString('utf8')).code }).toEqual({ status: 404, code: 'NOT_FOUND' });
    }
  });

  it('reads the bulletin, the ranking and the audit trail across its courts', async () => {
    const bulletin = await get(`/api/reports/bulletin?year=${year}&quarter=2&courtId=all`);
    expect(new Set(bulletin.rows.map((r: Json) => r.courtId))).toEqual(new Set([courts.PH, courts.HY]));
    const ranking = await get(`/api/reports/ranking?year=${year}&courtId=all`);
    expect(ranking.pairings.map((p: Json) => [p.code.slice(0, 2), p.finalScore])).toEqual([
      ['PH', 90.65],
      ['HY', expect.any(Number)],
    ]);
    for (const chain of ['system:JX', 'system:PH', 'system:HY']) {
      const events = await get(`/api/audit/events?courtId=all&chain=${chain}`);
      expect(events.total).toBeGreaterThan(0);
      // Without courtId: its own court's trail only.
      expect((await get(`/api/audit/events?chain=${chain}`)).total).toBe(chain === 'system:JX' ? events.total : 0);
    }
    const verify = await get('/api/audit/verify?courtId=all');
    expect(verify).toMatchObject({ ok: true, failures: [] });
    const own = await get('/api/audit/verify');
    expect(own.chains).toBe(1);
  });

  it('compares its courts: pairings by state, quarter compliance, overdue quarters, mean final score, one ranking', async () => {
    const report = await get(`/api/reports/courts?year=${year}`);
    expect(report.courts.map((c: Json) => c.code)).toEqual(['JX', 'PH', 'HY']);
    const [jx, ph, hy] = report.courts;
    expect(jx).toMatchObject({ pairings: 0, compliance: { due: 0, met: 0, rate: null }, meanFinalScore: null });
    expect(ph).toMatchObject({ pairings: 1, scored: 1, meanFinalScore: 90.65, compliance: { due: 4, met: 4, rate: 1 } });
    // 海盐's second quarter had no activity day.
    expect(hy).toMatchObject({ pairings: 1, scored: 1, compliance: { due: 4, met: 3, rate: 0.75 }, overdueQuarters: 0 });
    expect(report.ranking.pairings.map((p: Json) => p.courtCode)).toEqual(['PH', 'HY']);
    expect(report.ranking.branches.map((b: Json) => [b.courtCode, b.name])).toEqual([
      ['PH', '立案庭党支部'],
      ['HY', '立案庭党支部'],
    ]);
    const q2 = await get(`/api/reports/courts?year=${year}&quarter=2`);
    expect(q2.courts.map((c: Json) => c.compliance)).toEqual([
      { due: 0, met: 0, rate: null },
      { due: 1, met: 1, rate: 1 },
      { due: 1, met: 0, rate: 0 },
    ]);
    const one = await get(`/api/reports/courts?year=${year}&courtId=${courts.HY}`);
    expect(one.courts.map((c: Json) => c.code)).toEqual(['HY']);
    const xlsx = await t
      .http()
      .get(`/api/reports/courts?year=${year}&format=xlsx`)
      .set(auth(await t.token('supervisor')))
      .expect(200);
    expect(xlsx.headers['content-type']).toMatch(/spreadsheetml/);
    // A leader compares within their own court only; a secretary not at all.
    expect((await get(`/api/reports/courts?year=${year}`, 'leader')).courts.map((c: Json) => c.code)).toEqual(['PH']);
    expect((await get(`/api/reports/courts?year=${year}`, 'secretary', 403)).code).toBe('FORBIDDEN');
  });

  it('reads the good practices, outcomes and dashboard of its courts with courtId, its own court without; publishes none', async () => {
    const [hyScored] = (await get(`/api/pairings?courtId=${courts.HY}&state=scored`)).items as Json[];
    const [phScored] = (await get(`/api/pairings?courtId=${courts.PH}&state=scored`)).items as Json[];
    const published = await t
      .http()
      .post('/api/practices')
      .set(auth(await t.token('hy-committee')))
      .send({ pairingId: hyScored.id, title: '海盐立案庭诉源治理经验', summary: '联席会议每季召开，共建活动日按期开展' })
      .expect(201);
    const practiceIds = async (query: string, as = 'supervisor') => ((await get(`/api/practices${query}`, as)) as Json[]).map((p) => p.id);

    // 好做法: to every user of 海盐, and to the supervisor above it; never to the court beside it.
    expect(await practiceIds('')).toEqual([]);
    expect(await practiceIds(`?courtId=${courts.HY}`)).toEqual([published.body.id]);
    expect(await practiceIds('?courtId=all')).toContain(published.body.id);
    expect(await practiceIds('', 'hy-secretary2')).toEqual([published.body.id]);
    // What the list shows it, it opens; the court beside 海盐 opens nothing of it.
    expect(await get(`/api/practices/${published.body.id}`)).toMatchObject({ id: published.body.id, pairing: { id: hyScored.id } });
    expect((await get(`/api/practices/${published.body.id}`, 'committee', 404)).code).toBe('NOT_FOUND');
    expect(await practiceIds('?courtId=all', 'committee')).not.toContain(published.body.id);
    expect((await get(`/api/practices?courtId=${courts.XX}`, 'supervisor', 404)).code).toBe('NOT_FOUND');
    const publish = await t
      .http()
      .post('/api/practices')
      .set(auth(await t.token('supervisor')))
      .send({ pairingId: hyScored.id, title: '上级法院不发布', summary: '只读' });
    expect({ status: publish.status, code: publish.body.code }).toEqual({ status: 403, code: 'FORBIDDEN' });

    // 成效指标: 平湖's scored pairing declared the article's indicators; 嘉兴 itself runs no pairings.
    expect((await get(`/api/reports/outcomes?year=${year}`)).pairings).toEqual([]);
    const outcomes = await get(`/api/reports/outcomes?year=${year}&courtId=all`);
    expect(outcomes.pairings.map((p: Json) => p.id)).toContain(phScored.id);
    expect(outcomes.pairings.find((p: Json) => p.id === phScored.id).indicators.map((i: Json) => i.name)).toEqual([
      '家事纠纷诉前化解率',
      '平均审理天数',
      '合同纠纷诉前化解率',
    ]);
    expect((await get(`/api/reports/outcomes?year=${year}&courtId=${courts.HY}`)).pairings).toEqual([]);

    // 总览: one court below it, or all of them; the numbers add up across the courts.
    const own = await get(`/api/reports/dashboard?year=${year}`);
    expect(own.totals.pairings).toBe(0);
    const [ph, hy, all] = await Promise.all(
      [`&courtId=${courts.PH}`, `&courtId=${courts.HY}`, '&courtId=all'].map((q) => get(`/api/reports/dashboard?year=${year}${q}`)),
    );
    expect(ph.totals).toEqual((await get(`/api/reports/dashboard?year=${year}`, 'committee')).totals);
    expect(hy.totals).toMatchObject({ pairings: 1, scored: 1 });
    expect(all.totals.pairings).toBe(ph.totals.pairings + hy.totals.pairings);
    expect(all.totals.activities).toBe(ph.totals.activities + hy.totals.activities);
    expect((await get(`/api/reports/dashboard?year=${year}&courtId=${courts.XX}`, 'supervisor', 404)).code).toBe('NOT_FOUND');
  });

  it('takes checkpoints of the chains of its courts: its own court’s without courtId, every court’s below it with courtId=all', async () => {
    const own = await get('/api/audit/checkpoint');
    expect(own.chains.map((c: Json) => c.chain)).toEqual(['system:JX']);
    const all = await get('/api/audit/checkpoint?courtId=all');
    const chains = all.chains.map((c: Json) => c.chain as string);
    expect(chains).toEqual(expect.arrayContaining(['system:JX', 'system:PH', 'system:HY']));
    expect(chains.some((c: string) => c.startsWith('pairing:'))).toBe(true);
    // Never the chains of a court outside its tree, nor the platform's own.
    expect(chains.filter((c: string) => c === 'system' || c === 'system:XX')).toEqual([]);
    const check = await t
      .http()
      .post('/api/audit/verify?courtId=all')
      .set(auth(await t.token('supervisor')))
      .send({ checkpoint: all })
      .expect(200);
    expect(check.body).toMatchObject({ ok: true, checkpoint: { signatureValid: true, truncatedCount: 0, rewrittenCount: 0 } });
  });

  it('refuses to check a checkpoint of courts the request does not read, saying which courtId to give, never reporting its chains truncated', async () => {
    const token = auth(await t.token('supervisor'));
    const all = await get('/api/audit/checkpoint?courtId=all');
    const hy = await get(`/api/audit/checkpoint?courtId=${courts.HY}`);
    const file = (checkpoint: Json) => Buffer.from(JSON.stringify(checkpoint));
    for (const [checkpoint, query, courtId] of [
      [all, '', 'all'],
      [all, `?courtId=${courts.HY}`, 'all'],
      [hy, '', String(courts.HY)],
      [hy, `?courtId=${courts.PH}`, String(courts.HY)],
    ] as const) {
      for (const res of [
        await t.http().post(`/api/audit/verify${query}`).set(token).send({ checkpoint }),
        await t
          .http()
          .post(`/api/audit/verify/checkpoint${query}`)
          .set(token)
          .set('Content-Type', 'application/octet-stream')
          .send(file(checkpoint)),
      ]) {
        expect({ query, status: res.status, code: res.body.code, fields: res.body.details?.map((d: Json) => d.field) }).toEqual({
          query,
          status: 400,
          code: 'VALIDATION_FAILED',
          fields: ['courtId'],
        });
        expect(res.body.details[0].messages[0]).toContain(`courtId=${courtId}`);
      }
    }
    // Over the courts it covers, each checkpoint is as it was.
    for (const [checkpoint, query] of [
      [hy, `?courtId=${courts.HY}`],
      [hy, '?courtId=all'],
      [all, '?courtId=all'],
    ] as const) {
      const check = await t.http().post(`/api/audit/verify${query}`).set(token).send({ checkpoint }).expect(200);
      expect(check.body).toMatchObject({ ok: true, checkpoint: { signatureValid: true, truncatedCount: 0, rewrittenCount: 0 } });
    }
  });

  it('lists courts but neither creates nor renames one', async () => {
    const token = auth(await t.token('supervisor'));
    const created = await t.http().post('/api/courts').set(token).send({ code: 'ZZ', name: '上级法院不能建的法院' });
    expect({ status: created.status, code: created.body.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
    const renamed = await t.http().patch(`/api/courts/${courts.HY}`).set(token).send({ name: '改名' });
    expect({ status: renamed.status, code: renamed.body.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
    expect((await get('/api/courts')).find((c: Json) => c.id === courts.HY).name).toBe('海盐县人民法院');
  });

  it('gives the supervisor role only in a court that has courts below it', async () => {
    const res = await t
      .http()
      .post('/api/users')
      .set(auth(await t.token('admin')))
      .send({ username: 'ph-supervisor', displayName: '平湖', password: 'Demo@2026', roles: ['supervisor'] });
    expect({ status: res.status, details: res.body.details }).toEqual({
      status: 400,
      details: [{ field: 'roles', messages: ['supervisor is for a court that has courts below it; this court has none'] }],
    });
  });

  // Last: it adds a court below 平湖, which the tests above take as having none.
  it('reads the courts below it recursively: a court below a court below it', async () => {
    const platform = auth(await t.token('admin'));
    const grandchild = (
      await t.http().post('/api/courts').set(platform).send({ code: 'GH', name: '平湖市某人民法庭', parentCourtId: courts.PH }).expect(201)
    ).body as Json;
    await t
      .http()
      .post(`/api/courts/${grandchild.id}/admins`)
      .set(platform)
      .send({ username: 'gh-admin', displayName: '法庭管理员', password: 'Demo@2026' })
      .expect(201);
    const ghAdmin = auth(await t.token('gh-admin'));
    const branch = await t.http().post('/api/branches').set(ghAdmin).send({ name: '法庭党支部' }).expect(201);
    await t
      .http()
      .post('/api/users')
      .set(ghAdmin)
      .send({ username: 'gh-secretary', displayName: '法庭书记', password: 'Demo@2026', roles: ['secretary'], branchId: branch.body.id })
      .expect(201);
    const pairing = (
      await t
        .http()
        .post('/api/pairings')
        .set(auth(await t.token('gh-secretary')))
        .send({ year, title: '法庭的结对项目' })
        .expect(201)
    ).body as Json;
    expect(pairing.code).toBe(`GH-${year}-001`);

    // In the tree's order: each court followed by the courts below it.
    expect((await get('/api/courts')).map((c: Json) => c.code)).toEqual(['JX', 'PH', 'GH', 'HY']);
    expect(((await get(`/api/pairings?courtId=${grandchild.id}`)).items as Json[]).map((p) => p.id)).toEqual([pairing.id]);
    const all = (await get('/api/pairings?courtId=all&pageSize=100')).items as Json[];
    expect(all.map((p) => p.id)).toContain(pairing.id);
    expect((await get(`/api/pairings/${pairing.id}`)).code).toBe(pairing.code);
    expect((await get(`/api/audit/events?courtId=all&chain=system:GH`)).total).toBeGreaterThan(0);
    const report = await get(`/api/reports/courts?year=${year}`);
    expect(report.courts.map((c: Json) => c.code).sort()).toEqual(['GH', 'HY', 'JX', 'PH']);
    expect(report.courts.find((c: Json) => c.code === 'GH')).toMatchObject({ pairings: 1 });
    // 平湖 is not above its own court's neighbour, only above the court below it: the court beside it sees nothing.
    expect((await get(`/api/pairings/${pairing.id}`, 'hy-committee', 404)).code).toBe('NOT_FOUND');
  });
});
