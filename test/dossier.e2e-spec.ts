import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { activity, agreement, auth, Court, PairingView, plan, quarterReport, review } from './support/pairing-flow';
import { engines, startTestApp, TestApp } from './support/test-app';
import { binary, extract, unzip } from './support/zip';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** A real PNG of one coloured pixel; a different colour gives different bytes. */
function png(rgb: [number, number, number]): Buffer {
  const chunk = (kind: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(kind, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(1, 0);
  header.writeUInt32BE(1, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.from([0, ...rgb]))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');

const verifyIn = (dir: string, ...args: string[]) => {
  const result = spawnSync(process.execPath, ['verify.mjs', ...args], { cwd: dir, encoding: 'utf8' });
  return { status: result.status, out: result.stdout.trim() };
};

interface RevisionView {
  revision: number;
  seq: number;
  submittedAt: string;
  submittedBy: string | null;
  submittedByName: string | null;
  proposal: Record<string, unknown>;
  changes: { field: string; from: unknown; to: unknown }[];
  outcome: { type: string; at: string; actorId: string | null; comment: string | null } | null;
  names: { users: Record<string, string>; branches: Record<string, string>; partners: Record<string, string> };
}

describe.each(engines())('Revisions and dossiers on %s', (engine) => {
  let t: TestApp;
  let court: Court;

  beforeAll(async () => {
    t = await startTestApp(engine);
    court = await Court.open(t);
  });
  afterAll(() => t.close());

  const get = async (url: string, as = 'committee') =>
    t
      .http()
      .get(url)
      .set(auth(await court.token(as)));

  describe('revisions', () => {
    let pairing: PairingView;
    let partners: Map<number, string>;

    beforeAll(async () => {
      const list = await get('/api/partners');
      partners = new Map(list.body.map((p: { id: number; name: string }) => [p.id, p.name]));
      pairing = await court.driveTo('proposed');
      await court.do('committee', pairing.id, { type: 'RETURN', comment: '请补充共建单位，并更换联络员' });
      await court.user('member2', ['member'], court.leadBranch);
      const edited = await court.patch('secretary', pairing.id, {
        title: `${pairing.title}（修改稿）`,
        partnerIds: [5, 4],
        partnerLiaisons: [{ partnerId: 4, name: '张联络', phone: '0573-85000000' }],
        liaisonUserId: court.id('member2'),
      });
      expect(edited.status).toBe(200);
      await court.do('secretary', pairing.id, { type: 'SUBMIT' });
    });

    it('lists each submission as a revision, the second with the changed fields old and new', async () => {
      const res = await get(`/api/pairings/${pairing.id}/revisions`);
      expect(res.status).toBe(200);
      const revisions: RevisionView[] = res.body;
      expect(revisions.map((r) => r.revision)).toEqual([1, 2]);
      const [first, second] = revisions;
      expect(first).toMatchObject({
        submittedBy: String(court.id('secretary')),
        submittedByName: expect.stringContaining('李立案'),
        changes: [],
        outcome: { type: 'RETURN', comment: '请补充共建单位，并更换联络员', actorId: String(court.id('committee')) },
      });
      expect(first.proposal).toMatchObject({ code: pairing.code, title: pairing.title, partnerIds: [4] });
      expect(second.outcome).toBeNull();
      expect(second.changes).toEqual([
        { field: 'title', from: pairing.title, to: `${pairing.title}（修改稿）` },
        { field: 'partnerIds', from: [4], to: [5, 4] },
        { field: 'liaisonUserId', from: court.id('member'), to: court.id('member2') },
      ]);
      // Partners and liaisons by name, not id.
      expect(second.names.partners).toEqual({ '4': partners.get(4), '5': partners.get(5) });
      expect(second.names.users).toMatchObject({
        [String(court.id('member'))]: expect.any(String),
        [String(court.id('member2'))]: 'member2',
      });
      expect(second.names.branches).toEqual({ [String(court.leadBranch)]: '立案庭党支部' });
      const history = await court.history(pairing.id);
      expect(revisions.map((r) => r.seq)).toEqual(history.filter((e) => e.type === 'SUBMIT').map((e) => e.seq));
      expect(second.submittedAt).toBe(history.find((e) => e.seq === second.seq)!.at);
    });

    it('is there for whoever may see the pairing, and for nobody else', async () => {
      expect((await get(`/api/pairings/${pairing.id}/revisions`, 'member')).status).toBe(200);
      expect((await get(`/api/pairings/${pairing.id}/revisions`, 'auditor')).status).toBe(200);
      const other = await get(`/api/pairings/${pairing.id}/revisions`, 'secretary2');
      expect(other.status).toBe(404);
      expect(other.body.code).toBe('NOT_FOUND');
      expect((await get('/api/pairings/999999/revisions')).status).toBe(404);
      const bad = await get('/api/pairings/abc/revisions');
      expect({ status: bad.status, code: bad.body.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
      expect((await t.http().get(`/api/pairings/${pairing.id}/revisions`)).status).toBe(401);
    });

    it('is empty for a draft never submitted', async () => {
      const draft = await court.create();
      expect((await get(`/api/pairings/${draft.id}/revisions`)).body).toEqual([]);
    });
  });

  describe('dossier', () => {
    let pairing: PairingView;
    let files: { photo: Buffer; minutes: Buffer; photo2: Buffer };
    let zip: Buffer;
    let entries: Map<string, Buffer>;
    let root: string;

    const upload = async (bytes: Buffer, filename: string, as = 'secretary') => {
      const res = await t
        .http()
        .post('/api/attachments')
        .set(auth(await court.token(as)))
        .attach('file', bytes, { filename });
      expect(res.status).toBe(201);
      return res.body.id as number;
    };
    const download = async (url: string, as: string) =>
      t
        .http()
        .get(url)
        .set(auth(await court.token(as)))
        .buffer(true)
        .parse(binary);

    beforeAll(async () => {
      root = mkdtempSync(join(tmpdir(), 'gongjian-dossier-'));
      files = { photo: png([200, 16, 46]), minutes: PDF, photo2: png([10, 20, 30]) };
      const created = await court.create();
      const id = created.id;
      await court.do('secretary', id, { type: 'SUBMIT' });
      await court.do('committee', id, { type: 'RETURN', comment: '请补充共建单位' });
      await court.patch('secretary', id, { partnerIds: [4, 5] });
      await court.do('secretary', id, { type: 'SUBMIT' });
      await court.do('committee', id, { type: 'APPROVE', comment: '同意' });
      const scan = await upload(files.minutes, '共建协议书.pdf');
      await court.do('secretary', id, { type: 'SIGN_AGREEMENT', ...agreement(court.year), attachmentIds: [scan] });
      // The partner side (SPEC §12): the demo partner user speaks for partner 4.
      await court.do('partner', id, { type: 'COUNTERSIGN_AGREEMENT' });
      await court.do('secretary', id, { type: 'FILE_PLAN', ...plan(court.year, 4) });
      await court.do('committee', id, { type: 'ACCEPT_PLAN' });
      const photo = await upload(files.photo, '活动照片.png');
      const same = await upload(files.photo2, '活动照片.png');
      await court.do('secretary', id, {
        type: 'RECORD_ACTIVITY',
        ...activity(court.year, 4, 'joint_meeting'),
        attachmentIds: [photo, same],
      });
      const meeting = (await court.view('partner', id)).activities.at(-1).id;
      await court.do('partner', id, { type: 'CONFIRM_ACTIVITY', activityId: meeting });
      await court.do('secretary', id, { type: 'RECORD_ACTIVITY', ...activity(court.year, 4, 'activity_day', 20) });
      await court.do('secretary', id, { type: 'SUBMIT_QUARTER_REPORT', ...quarterReport() });
      await court.do('committee', id, { type: 'SCORE_QUARTER', score: 92.5, comment: '成效明显' });
      await court.do('partner', id, { type: 'EVALUATE_PARTNERSHIP', rating: 5, comment: '联席会议每季召开，化解了家事纠纷' });
      await court.do('secretary', id, { type: 'SUBMIT_REVIEW', ...review() });
      pairing = await court.do('committee', id, { type: 'APPROVE_REVIEW', score: 90 });
      const res = await download(`/api/pairings/${id}/dossier`, 'auditor');
      expect(res.status).toBe(200);
      zip = res.body;
      entries = await unzip(zip);
      extract(entries, join(root, 'pristine'));
    });
    afterAll(() => rmSync(root, { recursive: true, force: true }));

    it('is a ZIP of exactly what SPEC §13 lists, named by the pairing’s code', async () => {
      const res = await download(`/api/pairings/${pairing.id}/dossier`, 'committee');
      expect(res.headers['content-type']).toBe('application/zip');
      expect(res.headers['content-disposition']).toContain(`filename="dossier-${pairing.code}.zip"`);
      expect(res.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent(`档案-${pairing.code}.zip`)}`);
      expect([...entries.keys()].sort()).toEqual(
        [
          'README.txt',
          'audit/chain.jsonl',
          'audit/checkpoint.json',
          'audit/public-key.pem',
          'evidence/manifest.csv',
          'evidence/共建协议书.pdf',
          'evidence/活动照片 (2).png',
          'evidence/活动照片.png',
          'summary.docx',
          'verify.mjs',
        ].sort(),
      );
      expect(entries.get('evidence/共建协议书.pdf')).toEqual(files.minutes);
      expect(entries.get('evidence/活动照片.png')).toEqual(files.photo);
      expect(entries.get('evidence/活动照片 (2).png')).toEqual(files.photo2);
    });

    it('holds the chain exactly as history serves it, and a checkpoint of its head signed with the server’s key', async () => {
      const history = await court.history(pairing.id);
      expect(entries.get('audit/chain.jsonl')!.toString('utf8')).toBe(history.map((e) => `${JSON.stringify(e)}\n`).join(''));
      const checkpoint = JSON.parse(entries.get('audit/checkpoint.json')!.toString('utf8'));
      const last = history[history.length - 1];
      expect(checkpoint).toMatchObject({
        format: 'gongjian-checkpoint/2',
        count: 1,
        chains: [{ chain: last.chain, seq: last.seq, hash: last.hash }],
      });
      const global = await t
        .http()
        .get('/api/audit/checkpoint')
        .set(auth(await court.token('auditor')))
        .expect(200);
      expect(entries.get('audit/public-key.pem')!.toString('utf8')).toBe(global.body.publicKey);
      // The server accepts the dossier's checkpoint as one of its own.
      const check = await t
        .http()
        .post('/api/audit/verify')
        .set(auth(await court.token('auditor')))
        .send({ checkpoint })
        .expect(200);
      expect(check.body.checkpoint).toMatchObject({ signatureValid: true, chains: 1, truncatedCount: 0, rewrittenCount: 0 });
    });

    it('lists every evidence file in the manifest with its sha256, size, uploader, time and the seq that used it', async () => {
      const history = await court.history(pairing.id);
      const text = entries.get('evidence/manifest.csv')!.toString('utf8');
      expect(text.startsWith('\uFEFF文件,附件编号,SHA-256,大小（字节）,上传人,上传时间,使用该文件的审计序号\r\n')).toBe(true);
      const rows = text
        .slice(1)
        .trimEnd()
        .split('\r\n')
        .slice(1)
        .map((line) => line.split(','));
      const seqOf = (type: string) => String(history.find((e) => e.type === type)!.seq);
      const firstActivity = String(history.find((e) => e.type === 'RECORD_ACTIVITY')!.seq);
      expect(rows.map(([file, , hash, size, , at, seqs]) => [file, hash, size, at.endsWith('(UTC+8)'), seqs])).toEqual([
        ['evidence/共建协议书.pdf', sha256(files.minutes), String(files.minutes.length), true, seqOf('SIGN_AGREEMENT')],
        ['evidence/活动照片.png', sha256(files.photo), String(files.photo.length), true, firstActivity],
        ['evidence/活动照片 (2).png', sha256(files.photo2), String(files.photo2.length), true, firstActivity],
      ]);
      expect(rows.every((row) => row[4].includes('李立案'))).toBe(true);
    });

    it('writes summary.docx in Chinese: the approved proposal, agreement and its countersignatures, plan, activities confirmed by both sides, reports with scores, review, the partners’ ratings, final score and rank', async () => {
      const docx = await unzip(entries.get('summary.docx')!);
      const xml = docx.get('word/document.xml')!.toString('utf8');
      const plain = xml.replace(/<[^>]+>/g, '');
      for (const words of [
        '结对共建项目档案',
        pairing.code,
        pairing.title,
        '机关党委批准的申报内容（第 2 次提交）',
        '基层诉源治理大调研',
        '共同提升基层诉源治理水平',
        '第4季度共建',
        '联席会议',
        '共建活动日',
        '活动照片.png',
        '本季度按计划开展共建',
        '92.5',
        '成效明显',
        '全年共建情况述职',
        '家事纠纷诉前化解率',
        pairing.finalScore.toFixed(2),
        '第 1 名',
        '已评分',
        '共建单位会签',
        '平湖市社会治理中心党支部：已会签',
        '双方确认：平湖市社会治理中心党支部',
        '联席会议每季召开，化解了家事纠纷',
      ]) {
        expect(plain).toContain(words);
      }
      expect(docx.get('word/styles.xml')!.toString('utf8')).toContain('w:eastAsia="SimSun"');
      expect(docx.has('[Content_Types].xml')).toBe(true);
    });

    it('explains in README.txt what is inside and how to verify it by hand', () => {
      const readme = entries.get('README.txt')!.toString('utf8');
      for (const words of [
        'node verify.mjs',
        'summary.docx',
        'evidence/manifest.csv',
        'audit/chain.jsonl',
        'headsSha256',
        'sha256sum',
        '签名公钥指纹',
        // What nothing in the chain vouches for is said plainly.
        '“上传人”“上传时间”两栏取自系统的附件登记',
        'nothing in the chain vouches for them',
      ]) {
        expect(readme).toContain(words);
      }
    });

    it('verifies offline with verify.mjs, and catches a flipped byte in evidence, an edited chain line and a forged checkpoint', () => {
      const ok = verifyIn(join(root, 'pristine'));
      expect(ok.status).toBe(0);
      expect(ok.out.split('\n')[0]).toBe('OK');
      expect(ok.out).toContain(`(${pairing.code})`);
      // The chain itself names each file's sha256 (payload.attachments), and verify.mjs holds the files to it.
      expect(ok.out).toContain('evidence: 3 files match the manifest, 3 also the sha256 and file name the chain names');
      const signed = (
        entries
          .get('audit/chain.jsonl')!
          .toString('utf8')
          .trimEnd()
          .split('\n')
          .map((line) => JSON.parse(line)) as { type: string; payload: { attachments?: { sha256: string }[] } }[]
      ).find((e) => e.type === 'SIGN_AGREEMENT')!;
      expect(signed.payload.attachments?.map((a) => a.sha256)).toEqual([sha256(files.minutes)]);

      const swapped = join(root, 'swapped');
      cpSync(join(root, 'pristine'), swapped, { recursive: true });
      const forgedScan = Buffer.from('%PDF-1.4\n% another scan\n%%EOF\n');
      writeFileSync(join(swapped, 'evidence', '共建协议书.pdf'), forgedScan);
      const manifestFile = join(swapped, 'evidence', 'manifest.csv');
      writeFileSync(
        manifestFile,
        readFileSync(manifestFile, 'utf8')
          .replace(sha256(files.minutes), sha256(forgedScan))
          .replace(`,${files.minutes.length},`, `,${forgedScan.length},`),
      );
      expect(verifyIn(swapped).status).toBe(1);
      expect(verifyIn(swapped).out).toMatch(/^FAILED: evidence\/共建协议书\.pdf: is not the file seq \d+ used/);

      const flipped = join(root, 'flipped');
      cpSync(join(root, 'pristine'), flipped, { recursive: true });
      const photo = join(flipped, 'evidence', '活动照片.png');
      const bytes = readFileSync(photo);
      bytes[bytes.length - 5] ^= 0xff;
      writeFileSync(photo, bytes);
      expect(verifyIn(flipped)).toEqual({
        status: 1,
        out: 'FAILED: evidence/活动照片.png: its sha256 does not match the manifest: the file was changed',
      });

      const edited = join(root, 'edited');
      cpSync(join(root, 'pristine'), edited, { recursive: true });
      const chainFile = join(edited, 'audit', 'chain.jsonl');
      writeFileSync(chainFile, readFileSync(chainFile, 'utf8').replace('请补充共建单位', '同意'));
      const returned = String((JSON.parse(entries.get('audit/chain.jsonl')!.toString('utf8').split('\n')[2]) as { seq: number }).seq);
      expect(verifyIn(edited)).toEqual({
        status: 1,
        out: `FAILED: audit/chain.jsonl line ${returned} (seq ${returned}): the hash does not match the event's contents: it was edited`,
      });

      const forged = join(root, 'forged');
      cpSync(join(root, 'pristine'), forged, { recursive: true });
      const checkpointFile = join(forged, 'audit', 'checkpoint.json');
      const checkpoint = JSON.parse(readFileSync(checkpointFile, 'utf8'));
      writeFileSync(checkpointFile, JSON.stringify({ ...checkpoint, at: '2027-01-01T00:00:00.000Z' }));
      expect(verifyIn(forged).status).toBe(1);
      expect(verifyIn(forged).out).toMatch(/^FAILED: audit\/checkpoint\.json: the signature does not match/);
    });

    it('verifies only a chain exactly as history serves it, and a manifest whose audit seqs are the events that use each file', () => {
      const chainText = entries.get('audit/chain.jsonl')!.toString('utf8');
      const chainLines = chainText.trimEnd().split('\n');
      const events = chainLines.map((line) => JSON.parse(line) as { seq: number; type: string; comment: string | null });
      const seqOf = (type: string) => events.find((e) => e.type === type)!.seq;
      const at = (seq: number) => `audit/chain.jsonl line ${seq} (seq ${seq})`;
      /** A fresh copy of the dossier with line `seq` of the chain edited as text; what verify.mjs says of it. */
      const withLine = (seq: number, edit: (line: string) => string) => {
        const dir = mkdtempSync(join(root, 'line-'));
        cpSync(join(root, 'pristine'), dir, { recursive: true });
        const list = [...chainLines];
        list[seq - 1] = edit(list[seq - 1]);
        expect(list[seq - 1]).not.toBe(chainLines[seq - 1]);
        writeFileSync(join(dir, 'audit', 'chain.jsonl'), `${list.join('\n')}\n`);
        return verifyIn(dir);
      };
      const approve = seqOf('APPROVE');
      expect(withLine(approve, (line) => line.replace(/}$/, ',"decidedBy":"院长亲自批准","score":100}'))).toEqual({
        status: 1,
        out: `FAILED: ${at(approve)}: has fields the server does not write (decidedBy, score): the line was edited`,
      });
      expect(withLine(1, (line) => line.replace('"fromState":null', '"fromStatd":null'))).toEqual({
        status: 1,
        out: `FAILED: ${at(1)}: lacks the field fromState and has a field the server does not write (fromStatd): the line was edited`,
      });
      const silent = events.find((e) => e.comment === null)!.seq;
      expect(withLine(silent, (line) => line.replace('"comment":null,', ''))).toEqual({
        status: 1,
        out: `FAILED: ${at(silent)}: lacks the field comment: the line was edited`,
      });
      expect(withLine(approve, (line) => line.replace(/"actorId":"(\d+)"/, '"actorId":$1'))).toMatchObject({
        status: 1,
        out: expect.stringMatching(
          new RegExp(
            `^FAILED: audit/chain\\.jsonl line ${approve} \\(seq ${approve}\\): actorId is \\d+, where the server writes a string`,
          ),
        ),
      });

      const manifestText = entries.get('evidence/manifest.csv')!.toString('utf8');
      const rows = manifestText.split('\r\n');
      const photoRow = rows.findIndex((row) => row.startsWith('evidence/活动照片.png,'));
      const photoId = rows[photoRow].split(',')[1];
      const recorded = seqOf('RECORD_ACTIVITY');
      expect(rows[photoRow].endsWith(`,${recorded}`)).toBe(true);
      /** A fresh copy with the photo's 使用该文件的审计序号 replaced. */
      const withSeqs = (seqs: string) => {
        const dir = mkdtempSync(join(root, 'manifest-'));
        cpSync(join(root, 'pristine'), dir, { recursive: true });
        const edited = [...rows];
        edited[photoRow] = edited[photoRow].replace(new RegExp(`,${recorded}$`), `,${seqs}`);
        writeFileSync(join(dir, 'evidence', 'manifest.csv'), edited.join('\r\n'));
        return verifyIn(dir);
      };
      const where = `evidence/manifest.csv row ${photoRow + 1} (evidence/活动照片.png): its 使用该文件的审计序号`;
      expect(withSeqs(String(recorded + 1))).toEqual({
        status: 1,
        out: `FAILED: ${where} names seq ${recorded + 1}, but that audit event does not use attachment ${photoId}: the manifest was edited`,
      });
      expect(withSeqs(String(approve))).toEqual({
        status: 1,
        out: `FAILED: ${where} names seq ${approve}, but that audit event does not use attachment ${photoId}: the manifest was edited`,
      });
      expect(withSeqs(String(events.length + 1))).toEqual({
        status: 1,
        out: `FAILED: ${where} names seq ${events.length + 1}, which audit/chain.jsonl does not hold: the manifest was edited`,
      });
      expect(withSeqs('')).toEqual({
        status: 1,
        out: `FAILED: ${where} leaves out seq ${recorded}, which uses attachment ${photoId}: the manifest was edited`,
      });

      const ok = verifyIn(join(root, 'pristine'));
      expect(ok.status).toBe(0);
      expect(ok.out).toContain('the audit seqs it names are the events that use each file');
      expect(ok.out).toContain("not checked: the manifest's 上传人 and 上传时间 (uploaded by, at), which the chain does not record");
    });

    it('is refused plainly: 404 for a pairing the user may not see or that does not exist, 403 for roles that may not file it, 400 for a bad id', async () => {
      const other = await download(`/api/pairings/${pairing.id}/dossier`, 'secretary2');
      expect({ status: other.status, code: JSON.parse(other.body.toString()).code }).toEqual({ status: 404, code: 'NOT_FOUND' });
      expect((await download('/api/pairings/999999/dossier', 'auditor')).status).toBe(404);
      const member = await download(`/api/pairings/${pairing.id}/dossier`, 'member');
      expect({ status: member.status, code: JSON.parse(member.body.toString()).code }).toEqual({ status: 403, code: 'FORBIDDEN' });
      expect((await download(`/api/pairings/${pairing.id}/dossier`, 'admin')).status).toBe(403);
      const bad = await download('/api/pairings/abc/dossier', 'auditor');
      expect(JSON.parse(bad.body.toString()).code).toBe('VALIDATION_FAILED');
      expect((await t.http().get(`/api/pairings/${pairing.id}/dossier`)).status).toBe(401);
      // The lead branch's secretary and the leader may take it.
      expect((await download(`/api/pairings/${pairing.id}/dossier`, 'secretary')).status).toBe(200);
      expect((await download(`/api/pairings/${pairing.id}/dossier`, 'leader')).status).toBe(200);
    });

    it('is filed by the lead branch’s secretaries only: a co-branch’s secretary reads the pairing but may not take its dossier (403)', async () => {
      const joint = await court.create('secretary', { coBranchIds: [court.otherBranch] });
      expect((await court.get('secretary2', joint.id)).status).toBe(200);
      const refused = await download(`/api/pairings/${joint.id}/dossier`, 'secretary2');
      expect({ status: refused.status, code: JSON.parse(refused.body.toString()).code }).toEqual({ status: 403, code: 'FORBIDDEN' });
      expect((await download(`/api/pairings/${joint.id}/dossier`, 'secretary')).status).toBe(200);
    });

    it('files the year as one archive: a folder per pairing of the year whatever its state, an index, one verify.mjs for all', async () => {
      const draft = await court.create();
      const res = await download(`/api/reports/archive?year=${court.year}`, 'committee');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/zip');
      expect(res.headers['content-disposition']).toContain(`filename="archive-${court.year}.zip"`);
      const archive = await unzip(res.body);
      const list = await court.list('auditor', { year: court.year, pageSize: 100 });
      const codes: string[] = list.body.items.map((p: PairingView) => p.code).sort();
      expect(codes).toContain(draft.code);
      const folders = [...new Set([...archive.keys()].filter((k) => k.includes('/')).map((k) => k.split('/')[0]))].sort();
      expect(folders).toEqual(codes);
      for (const code of codes) expect(archive.has(`${code}/audit/chain.jsonl`) && archive.has(`${code}/summary.docx`)).toBe(true);
      expect(archive.get(`${pairing.code}/evidence/活动照片.png`)).toEqual(files.photo);
      const index = archive.get('index.csv')!.toString('utf8');
      expect(index).toContain(`${pairing.code},${pairing.title},已评分,${pairing.finalScore.toFixed(2)},1,${pairing.code}/`);
      expect(index).toContain(`${draft.code},${draft.title},草稿,`);
      const dir = join(root, 'archive');
      extract(archive, dir);
      const ok = verifyIn(dir);
      expect(ok.status).toBe(0);
      expect(ok.out).toContain(`${pairing.code}/pairing:${pairing.id} (${pairing.code})`);
      writeFileSync(join(dir, draft.code, 'audit', 'chain.jsonl'), '');
      expect(verifyIn(dir)).toEqual({ status: 1, out: `FAILED: ${draft.code}/audit/chain.jsonl: holds no events` });
    });

    it('refuses the archive to other roles and a bad year, plainly', async () => {
      for (const role of ['secretary', 'leader', 'member', 'admin']) {
        expect((await download(`/api/reports/archive?year=${court.year}`, role)).status).toBe(403);
      }
      for (const year of ['abc', '1999', '2101', '']) {
        const res = await download(`/api/reports/archive?year=${year}`, 'auditor');
        expect({ year, status: res.status, code: JSON.parse(res.body.toString()).code }).toEqual({
          year,
          status: 400,
          code: 'VALIDATION_FAILED',
        });
      }
      const empty = await unzip((await download('/api/reports/archive?year=2001', 'auditor')).body);
      expect([...empty.keys()].sort()).toEqual(['README.txt', 'index.csv', 'verify.mjs']);
    });
  });
});
