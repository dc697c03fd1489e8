import { spawnSync } from 'node:child_process';
import { createHash, createPublicKey, generateKeyPairSync, KeyObject } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AuditEventView, toAuditView } from '../audit/audit.service';
import { auditHash, canonicalJson, GENESIS_HASH, HashedAuditFields } from '../audit/canonical-json';
import { signedCheckpoint } from '../audit/checkpoint';
import { chainJsonl, EvidenceFile, evidencePaths, manifestCsv, verifierScript } from './dossier-files';

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

interface Keys {
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicKeyPem: string;
}
const newKeys = (): Keys => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
};

/** A chain of events as the server hashes and stores them, and as history serves them (toAuditView). */
function chain(name: string, payloads: unknown[]) {
  const events: AuditEventView[] = [];
  for (const [i, payload] of payloads.entries()) {
    const fields: HashedAuditFields = {
      chain: name,
      seq: i + 1,
      at: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
      actorId: '3',
      type: i === 0 ? 'CREATE' : 'RECORD_ACTIVITY',
      fromState: i === 0 ? null : 'active.collecting',
      toState: i === 0 ? 'draft' : 'active.collecting',
      payload,
      comment: i === 2 ? '第三条, 含"引号"' : null,
      prevHash: i === 0 ? GENESIS_HASH : events[i - 1].hash,
    };
    const stored = { ...fields, id: i + 1, payload: payload === null ? null : canonicalJson(payload), hash: auditHash(fields) };
    events.push(toAuditView(stored));
  }
  return events;
}

const PHOTO = Buffer.from('\x89PNG pretend photo bytes');
const MINUTES = Buffer.from('%PDF-1.4 pretend minutes');

/**
 * A dossier folder written with the server's own helpers: what the ZIP holds, minus summary.docx and README.txt. Its
 * two files were uploaded as `names` (a photo and minutes), and sit in evidence/ under the names the server gives them.
 */
function writeDossier(dir: string, keys: Keys, code = 'GJ-2026-001', names: [string, string] = ['照片.png', '纪要.pdf']) {
  const events = chain(`pairing:${code.slice(-1)}`, [
    { code, title: '诉源治理' },
    {
      kind: 'joint_meeting',
      attachmentIds: [11, 12],
      attachments: [
        { id: 11, filename: names[0], sha256: sha256(PHOTO) },
        { id: 12, filename: names[1], sha256: sha256(MINUTES) },
      ],
    },
    { kind: 'activity_day', attachmentIds: [] },
    { kind: 'party_lesson' },
  ]);
  const [photoPath, minutesPath] = evidencePaths(names);
  const evidence: EvidenceFile[] = [
    {
      attachmentId: 11,
      path: photoPath,
      sha256: sha256(PHOTO),
      size: PHOTO.length,
      uploadedBy: '=李立案',
      uploadedAt: '2026-01-01T00:00:00.000Z',
      usedBySeqs: [2],
    },
    {
      attachmentId: 12,
      path: minutesPath,
      sha256: sha256(MINUTES),
      size: MINUTES.length,
      uploadedBy: '李立案',
      uploadedAt: '2026-01-01T00:00:00.000Z',
      usedBySeqs: [2],
    },
  ];
  mkdirSync(join(dir, 'evidence'), { recursive: true });
  mkdirSync(join(dir, 'audit'), { recursive: true });
  writeFileSync(join(dir, photoPath), PHOTO);
  writeFileSync(join(dir, minutesPath), MINUTES);
  writeFileSync(join(dir, 'evidence', 'manifest.csv'), manifestCsv(evidence, 'Asia/Shanghai'));
  writeFileSync(join(dir, 'audit', 'chain.jsonl'), chainJsonl(events));
  const last = events[events.length - 1];
  const checkpoint = signedCheckpoint([{ chain: last.chain, seq: last.seq, hash: last.hash }], keys, '2026-12-01T07:00:00.000Z');
  writeFileSync(join(dir, 'audit', 'checkpoint.json'), JSON.stringify(checkpoint, null, 2));
  writeFileSync(join(dir, 'audit', 'public-key.pem'), keys.publicKeyPem);
  writeFileSync(join(dir, 'verify.mjs'), verifierScript());
  return events;
}

function run(dir: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [join(dir, 'verify.mjs'), ...args], { encoding: 'utf8' });
  return { status: result.status, out: result.stdout.trim(), err: result.stderr };
}

const lines = (dir: string) =>
  readFileSync(join(dir, 'audit', 'chain.jsonl'), 'utf8')
    .trimEnd()
    .split('\n');
const setLines = (dir: string, list: string[]) => writeFileSync(join(dir, 'audit', 'chain.jsonl'), `${list.join('\n')}\n`);
/** Edits line n (from 1) of chain.jsonl as text. */
const editLine = (dir: string, n: number, edit: (line: string) => string) => {
  const list = lines(dir);
  const edited = edit(list[n - 1]);
  expect(edited).not.toBe(list[n - 1]);
  list[n - 1] = edited;
  setLines(dir, list);
};
/** Edits the manifest's row of one file as text. */
const editManifestRow = (dir: string, file: string, edit: (row: string) => string) => {
  const path = join(dir, 'evidence', 'manifest.csv');
  const rows = readFileSync(path, 'utf8').split('\r\n');
  const i = rows.findIndex((row) => row.startsWith(`${file},`));
  expect(i).toBeGreaterThan(0);
  const edited = edit(rows[i]);
  expect(edited).not.toBe(rows[i]);
  rows[i] = edited;
  writeFileSync(path, rows.join('\r\n'));
};

/** The fields history serves for an event, taken from the server's own view (toAuditView). */
const SERVED_FIELDS = Object.keys(chain('pairing:1', [null])[0]);

/**
 * verify.mjs as a module: its last line, which runs it, swapped for an export of checkDossier, so that a test can
 * check thousands of copies in one process. Returns a function that runs `driver` (a module body that has
 * `checkDossier`, `Failure` and `dir`) and parses what it prints as JSON.
 */
function inProcess(root: string) {
  const source = verifierScript().toString('utf8');
  expect(source.endsWith('\nawait main();\n')).toBe(true);
  const module = join(root, 'verify-as-module.mjs');
  writeFileSync(module, source.replace(/\nawait main\(\);\n$/, '\nexport { checkDossier, Failure };\n'));
  return (dir: string, driver: string) => {
    const script = `const { checkDossier, Failure } = await import(${JSON.stringify(pathToFileURL(module).href)});
const dir = ${JSON.stringify(dir)};
${driver}`;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    return JSON.parse(result.stdout) as unknown;
  };
}

/**
 * A driver for {@link inProcess}: every single-bit flip of every byte of `file` (eight changes per byte), each
 * checked with checkDossier; prints the changes it let through and those it crashed on, and how many it ran.
 */
const everyBitFlip = (file: string, allowed = 'false') => `
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
const path = join(dir, ${JSON.stringify(file)});
const original = readFileSync(path);
// Each change written in place, one byte, and put back (truncating and rewriting the file is far slower).
const fd = openSync(path, 'r+');
const passed = [];
const crashed = [];
let runs = 0;
for (let i = 0; i < original.length; i++) {
  for (let bit = 0; bit < 8; bit++) {
    writeSync(fd, Buffer.from([original[i] ^ (1 << bit)]), 0, 1, i);
    runs++;
    try {
      await checkDossier(dir, null);
      if (!(${allowed})) passed.push({ at: i, bit, around: original.subarray(Math.max(0, i - 12), i + 12).toString('utf8') });
    } catch (error) {
      if (!(error instanceof Failure)) crashed.push({ at: i, bit, error: String(error) });
    }
  }
  writeSync(fd, original, i, 1, i);
}
closeSync(fd);
console.log(JSON.stringify({ runs, passed, crashed }));
`;

describe('verify.mjs', () => {
  const keys = newKeys();
  let root: string;
  let pristine: string;
  let events: ReturnType<typeof chain>;
  let n = 0;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'gongjian-verify-'));
    pristine = join(root, 'pristine');
    events = writeDossier(pristine, keys);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  /** A fresh copy of the dossier to tamper with. */
  const copy = () => {
    const dir = join(root, `copy-${n++}`);
    cpSync(pristine, dir, { recursive: true });
    return dir;
  };

  it('prints OK for an untouched dossier, with what it checked and the key’s fingerprint', () => {
    const { status, out } = run(pristine);
    expect(status).toBe(0);
    const fingerprint = sha256(keys.publicKey.export({ type: 'spki', format: 'der' }));
    expect(out.split('\n')).toEqual([
      'OK',
      `pairing:1 (GJ-2026-001): 4 events, every hash and link recomputed; head seq 4 as signed at 2026-12-01T07:00:00.000Z`,
      'evidence: 2 files match the manifest, 2 also the sha256 and file name the chain names; the audit seqs it names are the events that use each file',
      "not checked: the manifest's 上传人 and 上传时间 (uploaded by, at), which the chain does not record",
      `signing key fingerprint (SHA-256): ${fingerprint.replace(/(.{4})(?!$)/g, '$1 ')}`,
    ]);
    expect(run(pristine, '--key', join(pristine, 'audit', 'public-key.pem')).status).toBe(0);
  });

  it.each(['照片.png', '纪要.pdf'])('catches a flipped byte in evidence/%s, naming the file', (name) => {
    const dir = copy();
    const path = join(dir, 'evidence', name);
    const bytes = readFileSync(path);
    bytes[5] ^= 0x01;
    writeFileSync(path, bytes);
    expect(run(dir)).toMatchObject({
      status: 1,
      out: `FAILED: evidence/${name}: its sha256 does not match the manifest: the file was changed`,
    });
  });

  it('catches an evidence file replaced together with its manifest line, through the sha256 the chain names', () => {
    const dir = copy();
    const forged = Buffer.from('%PDF-1.4 other minutes');
    writeFileSync(join(dir, 'evidence', '纪要.pdf'), forged);
    const manifest = readFileSync(join(dir, 'evidence', 'manifest.csv'), 'utf8')
      .replace(sha256(MINUTES), sha256(forged))
      .replace(`,${MINUTES.length},`, `,${forged.length},`);
    writeFileSync(join(dir, 'evidence', 'manifest.csv'), manifest);
    expect(run(dir)).toMatchObject({
      status: 1,
      out: `FAILED: evidence/纪要.pdf: is not the file seq 2 used (sha256 ${sha256(MINUTES)}): it was replaced`,
    });
  });

  it('catches an evidence file renamed together with its manifest line, through the file name the chain names', () => {
    const dir = copy();
    renameSync(join(dir, 'evidence', '照片.png'), join(dir, 'evidence', '合影.png'));
    editManifestRow(dir, 'evidence/照片.png', (row) => row.replace('evidence/照片.png', 'evidence/合影.png'));
    expect(run(dir)).toMatchObject({
      status: 1,
      out: 'FAILED: evidence/合影.png: is attachment 11, which seq 2 names "照片.png": it was renamed',
    });
  });

  it('takes the names the server gives files uploaded under one name, or under one that cannot be a ZIP path', () => {
    for (const names of [
      ['照片.png', '照片.png'],
      ['会议/照片.png', '.纪要'],
    ] as [string, string][]) {
      const dir = join(root, `names-${n++}`);
      writeDossier(dir, keys, 'GJ-2026-001', names);
      expect(readdirSync(join(dir, 'evidence')).sort()).toEqual(
        evidencePaths(names)
          .map((path) => path.slice('evidence/'.length))
          .concat('manifest.csv')
          .sort(),
      );
      expect(run(dir)).toMatchObject({ status: 0 });
    }
  });

  it('catches a numbered file that is not the one the chain numbers (the second 照片.png renamed the first)', () => {
    const dir = join(root, `names-${n++}`);
    writeDossier(dir, keys, 'GJ-2026-001', ['照片.png', '纪要.pdf']);
    renameSync(join(dir, 'evidence', '纪要.pdf'), join(dir, 'evidence', '照片 (2).png'));
    editManifestRow(dir, 'evidence/纪要.pdf', (row) => row.replace('evidence/纪要.pdf', 'evidence/照片 (2).png'));
    expect(run(dir)).toMatchObject({
      status: 1,
      out: 'FAILED: evidence/照片 (2).png: is attachment 12, which seq 2 names "纪要.pdf": it was renamed',
    });
  });

  it('catches an evidence file removed, and one slipped in', () => {
    const removed = copy();
    unlinkSync(join(removed, 'evidence', '照片.png'));
    expect(run(removed)).toMatchObject({ status: 1, out: 'FAILED: evidence/照片.png: is listed in the manifest but missing' });
    const added = copy();
    writeFileSync(join(added, 'evidence', 'extra.pdf'), 'x');
    expect(run(added)).toMatchObject({ status: 1, out: 'FAILED: evidence/extra.pdf: is not in the manifest' });
  });

  it('catches an edited chain line, naming its seq', () => {
    const dir = copy();
    const list = lines(dir);
    list[2] = list[2].replace('第三条', '第叁条');
    setLines(dir, list);
    expect(run(dir)).toMatchObject({
      status: 1,
      out: "FAILED: audit/chain.jsonl line 3 (seq 3): the hash does not match the event's contents: it was edited",
    });
  });

  it.each([
    [
      'fields added to a line',
      2,
      (line: string) => line.replace(/}$/, ',"decidedBy":"院长亲自批准","score":100}'),
      'audit/chain.jsonl line 2 (seq 2): has fields the server does not write (decidedBy, score): the line was edited',
    ],
    [
      'a null field renamed',
      1,
      (line: string) => line.replace('"fromState":null', '"fromStatd":null'),
      'audit/chain.jsonl line 1 (seq 1): lacks the field fromState and has a field the server does not write (fromStatd): the line was edited',
    ],
    [
      'a null field removed',
      2,
      (line: string) => line.replace('"comment":null,', ''),
      'audit/chain.jsonl line 2 (seq 2): lacks the field comment: the line was edited',
    ],
    [
      'a field of another type',
      2,
      (line: string) => line.replace('"actorId":"3"', '"actorId":3'),
      'audit/chain.jsonl line 2 (seq 2): actorId is 3, where the server writes a string, or null for the system: the line was edited',
    ],
    [
      'the seq written as text',
      2,
      (line: string) => line.replace('"seq":2', '"seq":"2"'),
      'audit/chain.jsonl line 2: seq is "2", where the server writes a whole number from 1: the line was edited',
    ],
    [
      'a line spaced out, its contents unchanged',
      3,
      (line: string) => line.replace('{"chain":', '{ "chain": '),
      'audit/chain.jsonl line 3 (seq 3): is not written exactly as the server writes it (spacing, escapes or the order of fields differ): it was edited',
    ],
    [
      'a character written as an escape',
      1,
      (line: string) => line.replace('诉', '\\u8bc9'),
      'audit/chain.jsonl line 1 (seq 1): is not written exactly as the server writes it (spacing, escapes or the order of fields differ): it was edited',
    ],
  ])('catches %s, naming the line and its seq', (_, n, edit, failure) => {
    const dir = copy();
    editLine(dir, n, edit);
    expect(run(dir)).toMatchObject({ status: 1, out: `FAILED: ${failure}` });
  });

  it.each(SERVED_FIELDS)('requires the field %s on every line, as history serves it', (key) => {
    const dir = copy();
    editLine(dir, 4, (line) => JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(line)).filter(([k]) => k !== key))));
    expect(run(dir)).toMatchObject({
      status: 1,
      out: `FAILED: audit/chain.jsonl line 4${key === 'seq' ? '' : ' (seq 4)'}: lacks the field ${key}: the line was edited`,
    });
  });

  it('catches the last line break removed', () => {
    const dir = copy();
    const path = join(dir, 'audit', 'chain.jsonl');
    writeFileSync(path, readFileSync(path, 'utf8').trimEnd());
    expect(run(dir)).toMatchObject({
      status: 1,
      out: 'FAILED: audit/chain.jsonl: does not end with a line break after its last line, as the server writes it: it was edited',
    });
  });

  it.each([
    ['changed to a seq that does not use the file', '2', '3', 'names seq 3, but that audit event does not use attachment 11'],
    ['changed to a seq the chain does not hold', '2', '9', 'names seq 9, which audit/chain.jsonl does not hold'],
    ['given a seq more', '2', '2、3', 'names seq 3, but that audit event does not use attachment 11'],
    ['emptied', '2', '', 'leaves out seq 2, which uses attachment 11'],
    ['written out of form', '2', '2,', 'has 8 columns, not 7'],
  ])('catches the manifest’s audit seq of a file %s', (_, from, to, reason) => {
    const dir = copy();
    editManifestRow(dir, 'evidence/照片.png', (row) => row.replace(new RegExp(`,${from}$`), `,${to}`));
    const edited = reason.startsWith('has') ? `${reason}: it was edited` : `its 使用该文件的审计序号 ${reason}: the manifest was edited`;
    expect(run(dir)).toMatchObject({ status: 1, out: `FAILED: evidence/manifest.csv row 2 (evidence/照片.png): ${edited}` });
  });

  it('does not vouch for the manifest’s 上传人 and 上传时间, which the chain does not record, and says so', () => {
    const dir = copy();
    editManifestRow(dir, 'evidence/纪要.pdf', (row) =>
      row.replace('李立案', '王院长').replace('2026-01-01 08:00:00', '2026-01-02 09:00:00'),
    );
    const { status, out } = run(dir);
    expect(status).toBe(0);
    expect(out).toContain("not checked: the manifest's 上传人 and 上传时间 (uploaded by, at), which the chain does not record");
  });

  it('catches a checkpoint with a field added, or naming another key than audit/public-key.pem', () => {
    const path = (dir: string) => join(dir, 'audit', 'checkpoint.json');
    const read = (dir: string) => JSON.parse(readFileSync(path(dir), 'utf8')) as Record<string, unknown> & { chains: object[] };
    const added = copy();
    writeFileSync(path(added), JSON.stringify({ ...read(added), note: '已核对' }));
    expect(run(added)).toMatchObject({
      status: 1,
      out: 'FAILED: audit/checkpoint.json: has a field the server does not write (note): the checkpoint was edited',
    });
    const head = copy();
    const checkpoint = read(head);
    writeFileSync(path(head), JSON.stringify({ ...checkpoint, chains: [{ ...checkpoint.chains[0], court: 'GJ' }] }));
    expect(run(head)).toMatchObject({
      status: 1,
      out: 'FAILED: audit/checkpoint.json chains[0]: has a field the server does not write (court): the checkpoint was edited',
    });
    const other = copy();
    writeFileSync(path(other), JSON.stringify({ ...read(other), publicKey: newKeys().publicKeyPem }));
    expect(run(other)).toMatchObject({
      status: 1,
      out: 'FAILED: audit/checkpoint.json: its publicKey is not the key in audit/public-key.pem: the checkpoint was edited',
    });
  });

  it('catches every single-bit change of any byte of chain.jsonl', () => {
    const dir = copy();
    const result = inProcess(root)(dir, everyBitFlip('audit/chain.jsonl')) as { runs: number; passed: unknown[]; crashed: unknown[] };
    expect(result.runs).toBe(readFileSync(join(dir, 'audit', 'chain.jsonl')).length * 8);
    expect(result).toMatchObject({ passed: [], crashed: [] });
    expect(run(dir).status).toBe(0);
  });

  it('catches every single-bit change of manifest.csv, but for those in 上传人 and 上传时间', () => {
    const dir = copy();
    const manifest = readFileSync(join(dir, 'evidence', 'manifest.csv'));
    // The byte ranges of the two columns nothing vouches for, row by row.
    const unvouched: [number, number][] = [];
    let start = 0;
    for (const row of manifest.toString('utf8').split('\r\n').slice(1, -1)) {
      start = manifest.indexOf(Buffer.from(row), start);
      const cells = row.split(',');
      const from = start + Buffer.byteLength(cells.slice(0, 4).join(',')) + 1;
      unvouched.push([from, from + Buffer.byteLength(cells.slice(4, 6).join(','))]);
      start += Buffer.byteLength(row);
    }
    expect(unvouched).toHaveLength(2);
    const inUnvouched = `${JSON.stringify(unvouched)}.some(([from, to]) => i >= from && i < to)`;
    const result = inProcess(root)(dir, everyBitFlip('evidence/manifest.csv', inUnvouched)) as { passed: unknown[]; crashed: unknown[] };
    expect(result).toMatchObject({ passed: [], crashed: [] });
  });

  it('catches a line removed from the middle, and from the end', () => {
    const middle = copy();
    setLines(
      middle,
      lines(middle).filter((_, i) => i !== 1),
    );
    expect(run(middle)).toMatchObject({
      status: 1,
      out: 'FAILED: audit/chain.jsonl line 2: holds seq 3 instead of seq 2: a line was removed, moved or added',
    });
    const end = copy();
    setLines(end, lines(end).slice(0, -1));
    expect(run(end)).toMatchObject({
      status: 1,
      out: 'FAILED: audit/chain.jsonl: ends at seq 3, but the signed checkpoint says the chain reaches seq 4: lines were removed from the end',
    });
  });

  it('catches reordered lines', () => {
    const dir = copy();
    const list = lines(dir);
    [list[1], list[2]] = [list[2], list[1]];
    setLines(dir, list);
    expect(run(dir)).toMatchObject({
      status: 1,
      out: 'FAILED: audit/chain.jsonl line 2: holds seq 3 instead of seq 2: a line was removed, moved or added',
    });
  });

  it('catches a line appended after the signed head, even one hashed and linked correctly', () => {
    const dir = copy();
    const last = events[events.length - 1];
    const fields: HashedAuditFields = { ...last, seq: 5, prevHash: last.hash, comment: '事后补记' };
    delete (fields as Partial<typeof last>).hash;
    setLines(dir, [...lines(dir), JSON.stringify({ ...fields, hash: auditHash(fields) })]);
    expect(run(dir)).toMatchObject({
      status: 1,
      out: 'FAILED: audit/chain.jsonl line 5 (seq 5): was appended after the signed checkpoint, which ends at seq 4',
    });
  });

  it('catches a chain rewritten with every hash recomputed, against the signed head', () => {
    const dir = copy();
    const rewritten = chain('pairing:1', [{ code: 'GJ-2026-001', title: '改写过的名称' }, ...events.slice(1).map((e) => e.payload)]);
    setLines(dir, chainJsonl(rewritten).trimEnd().split('\n'));
    expect(run(dir)).toMatchObject({
      status: 1,
      out: 'FAILED: audit/chain.jsonl line 4 (seq 4): differs from the signed checkpoint: the chain was rewritten',
    });
  });

  it('catches a forged checkpoint: heads edited, signature changed, or signed again with another key', () => {
    const edited = copy();
    const path = join(edited, 'audit', 'checkpoint.json');
    const checkpoint = JSON.parse(readFileSync(path, 'utf8'));
    writeFileSync(path, JSON.stringify({ ...checkpoint, chains: [{ ...checkpoint.chains[0], seq: 3, hash: events[2].hash }] }));
    expect(run(edited)).toMatchObject({
      status: 1,
      out: 'FAILED: audit/checkpoint.json: its heads are not the ones that were signed: the checkpoint was edited',
    });

    const signature = copy();
    const signed = JSON.parse(readFileSync(join(signature, 'audit', 'checkpoint.json'), 'utf8'));
    writeFileSync(
      join(signature, 'audit', 'checkpoint.json'),
      JSON.stringify({ ...signed, signature: Buffer.alloc(64, 7).toString('base64') }),
    );
    expect(run(signature)).toMatchObject({
      status: 1,
      out: 'FAILED: audit/checkpoint.json: the signature does not match: the checkpoint was forged or signed with another key',
    });

    // A forger who re-signs with a key of their own and swaps the public key: only the court's key tells.
    const resigned = copy();
    const other = newKeys();
    const last = events[events.length - 1];
    writeFileSync(join(resigned, 'audit', 'checkpoint.json'), JSON.stringify(signedCheckpoint([last], other, '2026-12-02T00:00:00.000Z')));
    writeFileSync(join(resigned, 'audit', 'public-key.pem'), other.publicKeyPem);
    const unchecked = run(resigned);
    expect(unchecked.status).toBe(0);
    expect(unchecked.out).not.toContain(sha256(keys.publicKey.export({ type: 'spki', format: 'der' })).slice(0, 4));
    writeFileSync(join(root, 'court.pem'), keys.publicKeyPem);
    expect(run(resigned, '--key', join(root, 'court.pem'))).toMatchObject({
      status: 1,
      out: 'FAILED: audit/public-key.pem: is not the key given with --key: the checkpoint was not signed by the court',
    });
    expect(createPublicKey(keys.publicKeyPem).equals(keys.publicKey)).toBe(true);
  });

  it('checks every dossier of an archive folder, naming the folder of the first failure', () => {
    const archive = join(root, 'archive');
    writeDossier(join(archive, 'GJ-2026-001'), keys, 'GJ-2026-001');
    writeDossier(join(archive, 'GJ-2026-002'), keys, 'GJ-2026-002');
    writeFileSync(join(archive, 'verify.mjs'), verifierScript());
    const ok = run(archive);
    expect(ok.status).toBe(0);
    expect(ok.out.split('\n')[0]).toBe('OK');
    expect(ok.out).toContain('GJ-2026-002/pairing:2 (GJ-2026-002): 4 events');
    const photo = join(archive, 'GJ-2026-002', 'evidence', '照片.png');
    writeFileSync(photo, Buffer.concat([readFileSync(photo), Buffer.from('!')]));
    expect(run(archive)).toMatchObject({
      status: 1,
      out: `FAILED: GJ-2026-002/evidence/照片.png: is ${PHOTO.length + 1} bytes, the manifest says ${PHOTO.length}: the file was changed`,
    });
  });

  it('says so when there is no dossier where it is run', () => {
    const empty = join(root, 'empty');
    mkdirSync(empty);
    writeFileSync(join(empty, 'verify.mjs'), verifierScript());
    expect(run(empty).status).toBe(1);
    expect(run(empty).out).toMatch(/^FAILED: .*no dossier here/);
  });
});
