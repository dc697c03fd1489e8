import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import type { Response } from 'superagent';
import { engines, startTestApp, TestApp } from './support/test-app';

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

function pngChunk(kind: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(kind, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([length, body, crc]);
}

/** A real PNG of one coloured pixel; a different colour gives different bytes. */
function png(rgb: [number, number, number] = [200, 16, 46]): Buffer {
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
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Reads any response body as raw bytes. */
const binary = (res: Response, done: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

describe.each(engines())('Attachments on %s', (engine) => {
  let t: TestApp;
  const year = new Date().getFullYear() - 1;

  beforeAll(async () => {
    t = await startTestApp(engine);
  });
  afterAll(() => t.close());

  const token = (user: string) => t.token(user);

  async function upload(user: string, bytes: Buffer, filename: string, contentType = 'application/octet-stream') {
    return t
      .http()
      .post('/api/attachments')
      .set(auth(await token(user)))
      .attach('file', bytes, { filename, contentType });
  }

  async function download(user: string, id: number) {
    return t
      .http()
      .get(`/api/attachments/${id}`)
      .set(auth(await token(user)))
      .buffer(true)
      .parse(binary);
  }

  async function send(user: string, id: number, event: Record<string, unknown>) {
    return t
      .http()
      .post(`/api/pairings/${id}/events`)
      .set(auth(await token(user)))
      .send(event);
  }

  async function sendOk(user: string, id: number, event: Record<string, unknown>) {
    const res = await send(user, id, event);
    if (res.status !== 200) throw new Error(`${event.type} by ${user}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  /** A pairing of the lead branch of `secretary` (立案庭, liaison `member`), run until it takes activities. */
  async function activePairing(): Promise<number> {
    const created = await t
      .http()
      .post('/api/pairings')
      .set(auth(await token('secretary')))
      .send({
        year,
        title: '立案庭与仲裁委诉调对接共建',
        theme: '诉源治理',
        problem: '仲裁与诉讼衔接不畅',
        partnerIds: [6],
        categories: ['organization'],
        liaisonUserId: 7,
      })
      .expect(201);
    const id: number = created.body.id;
    await sendOk('secretary', id, { type: 'SUBMIT' });
    await sendOk('committee', id, { type: 'APPROVE' });
    await sendOk('secretary', id, {
      type: 'SIGN_AGREEMENT',
      signedOn: `${year}-01-10`,
      validFrom: `${year}-01-01`,
      validTo: `${year}-12-31`,
      goals: '共同提升诉调对接水平',
      content: '联席会议与共建活动日',
      requirements: '每季度至少一次联席会议和一次共建活动日',
    });
    await sendOk('secretary', id, {
      type: 'FILE_PLAN',
      startQuarter: 1,
      items: [{ title: '联合调研', quarter: 1, dueDate: `${year}-03-31`, owner: '李立案' }],
    });
    await sendOk('committee', id, { type: 'ACCEPT_PLAN' });
    return id;
  }

  const activity = (attachmentIds: number[]) => ({
    type: 'RECORD_ACTIVITY',
    kind: 'joint_meeting',
    heldOn: `${year}-02-15`,
    title: '第一季度联席会议',
    participants: 10,
    partnerParticipants: 4,
    summary: '会商诉调对接机制',
    attachmentIds,
  });

  async function attachmentRows(): Promise<number> {
    const [{ n }] = await t.dataSource.query('SELECT COUNT(*) AS n FROM attachment');
    return Number(n);
  }

  const incoming = () => {
    const dir = join(t.config.attachmentsDir, '.incoming');
    return existsSync(dir) ? readdirSync(dir) : [];
  };

  describe('upload', () => {
    it('stores a PNG by content under <sha[0..2]>/<sha> and answers 201 with its description', async () => {
      const bytes = png();
      const res = await upload('member', bytes, '现场照片.png', 'image/png');
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.anything(),
        filename: '现场照片.png',
        size: bytes.length,
        sha256: sha256(bytes),
        mime: 'image/png',
      });
      const stored = join(t.config.attachmentsDir, sha256(bytes).slice(0, 2), sha256(bytes));
      expect(readFileSync(stored)).toEqual(bytes);
      expect(incoming()).toEqual([]);
    });

    it('recognises the type by content: PNG bytes named .pdf are stored as a PNG, once on disk', async () => {
      const bytes = png([1, 2, 3]);
      const first = await upload('secretary', bytes, 'scan.pdf', 'application/pdf');
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ mime: 'image/png', filename: 'scan.png', sha256: sha256(bytes) });
      const again = await upload('committee', bytes, '再次上传.png', 'image/png');
      expect(again.status).toBe(201);
      expect(again.body.id).not.toBe(first.body.id);
      expect(readdirSync(join(t.config.attachmentsDir, sha256(bytes).slice(0, 2))).filter((f) => f === sha256(bytes))).toHaveLength(1);
    });

    it('accepts a real PDF and strips directories from the name', async () => {
      const res = await upload('secretary', PDF, '../../etc/共建协议书.pdf', 'application/pdf');
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ mime: 'application/pdf', filename: '共建协议书.pdf', size: PDF.length });
    });

    it('refuses a text file posing as a PDF with 415, storing nothing', async () => {
      const before = await attachmentRows();
      const res = await upload(
        'secretary',
        Buffer.from('This is not a PDF, only text with a .pdf name.\n'),
        'report.pdf',
        'application/pdf',
      );
      expect(res.status).toBe(415);
      expect(res.body).toMatchObject({ statusCode: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: expect.stringMatching(/PDF/) });
      expect(await attachmentRows()).toBe(before);
      expect(incoming()).toEqual([]);
    });

    it('refuses a file over 20 MB with 413 in the error shape, storing nothing', async () => {
      const before = await attachmentRows();
      const big = Buffer.concat([PDF, Buffer.alloc(21 * 1024 * 1024, 0x20)]);
      const res = await upload('secretary', big, 'big.pdf', 'application/pdf');
      expect(res.status).toBe(413);
      expect(res.body).toMatchObject({ statusCode: 413, code: 'PAYLOAD_TOO_LARGE', message: expect.any(String) });
      expect(await attachmentRows()).toBe(before);
      expect(incoming()).toEqual([]);
    });

    it('refuses a request without a file, an empty file or a file in another field with 400', async () => {
      const none = await t
        .http()
        .post('/api/attachments')
        .set(auth(await token('secretary')))
        .send({});
      expect(none.status).toBe(400);
      expect(none.body.code).toBe('VALIDATION_FAILED');
      const empty = await upload('secretary', Buffer.alloc(0), 'empty.pdf');
      expect(empty.status).toBe(400);
      expect(empty.body.code).toBe('VALIDATION_FAILED');
      const other = await t
        .http()
        .post('/api/attachments')
        .set(auth(await token('secretary')))
        .attach('document', png(), 'a.png');
      expect(other.status).toBe(400);
      expect(other.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'file', messages: [expect.any(String)] }] });
      const malformed = await t
        .http()
        .post('/api/attachments')
        .set(auth(await token('secretary')))
        .set('Content-Type', 'multipart/form-data; boundary=xyz')
        .send('--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\nunterminated');
      expect(malformed.status).toBe(400);
    });

    it('lets only secretaries, members and the committee upload', async () => {
      for (const user of ['leader', 'auditor', 'admin']) {
        const res = await upload(user, png(), 'a.png', 'image/png');
        expect({ user, status: res.status, code: res.body.code }).toEqual({ user, status: 403, code: 'FORBIDDEN' });
      }
      const anonymous = await t.http().post('/api/attachments').attach('file', png(), 'a.png');
      expect(anonymous.status).toBe(401);
    });
  });

  describe('download and visibility', () => {
    it('streams the file to its uploader with its type and a UTF-8 filename, and to nobody else while unlinked', async () => {
      const bytes = png([9, 9, 9]);
      const { body: uploaded } = await upload('member', bytes, '活动签到表.png', 'image/png').then((r) => {
        expect(r.status).toBe(201);
        return r;
      });
      const res = await download('member', uploaded.id);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('image/png');
      expect(res.headers['content-disposition']).toBe(
        `attachment; filename="_____.png"; filename*=UTF-8''${encodeURIComponent('活动签到表.png')}`,
      );
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.body).toEqual(bytes);
      for (const user of ['secretary', 'committee', 'auditor', 'secretary2']) {
        const other = await download(user, uploaded.id);
        expect({ user, status: other.status }).toEqual({ user, status: 404 });
      }
    });

    it('once an event links it, shows it as the pairing is shown: 404 to a secretary of another branch', async () => {
      const id = await activePairing();
      const bytes = png([4, 4, 4]);
      const uploaded = (await upload('secretary', bytes, '联席会议纪要.png', 'image/png')).body;
      const view = await sendOk('secretary', id, activity([uploaded.id]));
      expect(view.activities.at(-1).attachmentIds.map(Number)).toEqual([Number(uploaded.id)]);

      for (const user of ['secretary', 'member', 'committee', 'leader', 'auditor']) {
        const res = await download(user, uploaded.id);
        expect({ user, status: res.status }).toEqual({ user, status: 200 });
        expect(res.body).toEqual(bytes);
      }
      const outsider = await download('secretary2', uploaded.id);
      expect(outsider.status).toBe(404);
      expect(outsider.body.toString()).toMatch(/NOT_FOUND/);
    });

    it('refuses an event naming another user’s upload with 422 ATTACHMENT_NOT_FOUND, changing nothing', async () => {
      const id = await activePairing();
      const foreign = (await upload('committee', png([5, 5, 5]), 'x.png', 'image/png')).body;
      const before = await t
        .http()
        .get(`/api/pairings/${id}`)
        .set(auth(await token('secretary')));
      const res = await send('secretary', id, activity([foreign.id]));
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('ATTACHMENT_NOT_FOUND');
      const after = await t
        .http()
        .get(`/api/pairings/${id}`)
        .set(auth(await token('secretary')));
      expect(after.body.version).toBe(before.body.version);
      expect(after.body.activities).toHaveLength(before.body.activities.length);
      // Still unlinked: only its uploader sees it.
      expect((await download('committee', foreign.id)).status).toBe(200);
      expect((await download('secretary', foreign.id)).status).toBe(404);
    });

    it('answers 404 for an unknown id and 400 for one that is not a number', async () => {
      expect((await download('committee', 987654)).status).toBe(404);
      const res = await t
        .http()
        .get('/api/attachments/abc')
        .set(auth(await token('committee')));
      expect(res.status).toBe(400);
      await t.http().get('/api/attachments/1').expect(401);
    });
  });
});
