import { spawnSync } from 'node:child_process';
import { createHash, createPublicKey, generateKeyPairSync, KeyObject } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditHash, GENESIS_HASH, HashedAuditFields } from '../audit/canonical-json';
import { signedCheckpoint } from '../audit/checkpoint';
import { chainJsonl, EvidenceFile, manifestCsv, verifierScript } from './dossier-files';

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

/** A chain of events as the server hashes them. */
function chain(name: string, payloads: unknown[]) {
  const events: (HashedAuditFields & { hash: string })[] = [];
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
    events.push({ ...fields, hash: auditHash(fields) });
  }
  return events;
}

const PHOTO = Buffer.from('\x89PNG pretend photo bytes');
const MINUTES = Buffer.from('%PDF-1.4 pretend minutes');

/** A dossier folder written with the server's own helpers: what the ZIP holds, minus summary.docx and README.txt. */
function writeDossier(dir: string, keys: Keys, code = 'GJ-2026-001') {
  const events = chain(`pairing:${code.slice(-1)}`, [
    { code, title: '诉源治理' },
    {
      kind: 'joint_meeting',
      attachmentIds: [11, 12],
      attachments: [
        { id: 11, filename: '照片.png', sha256: sha256(PHOTO) },
        { id: 12, filename: '纪要.pdf', sha256: sha256(MINUTES) },
      ],
    },
    { kind: 'activity_day', attachmentIds: [] },
    { kind: 'party_lesson' },
  ]);
  const evidence: EvidenceFile[] = [
    {
      attachmentId: 11,
      path: 'evidence/照片.png',
      sha256: sha256(PHOTO),
      size: PHOTO.length,
      uploadedBy: '=李立案',
      uploadedAt: '2026-01-01T00:00:00.000Z',
      usedBySeqs: [2],
    },
    {
      attachmentId: 12,
      path: 'evidence/纪要.pdf',
      sha256: sha256(MINUTES),
      size: MINUTES.length,
      uploadedBy: '李立案',
      uploadedAt: '2026-01-01T00:00:00.000Z',
      usedBySeqs: [2],
    },
  ];
  mkdirSync(join(dir, 'evidence'), { recursive: true });
  mkdirSync(join(dir, 'audit'), { recursive: true });
  writeFileSync(join(dir, 'evidence', '照片.png'), PHOTO);
  writeFileSync(join(dir, 'evidence', '纪要.pdf'), MINUTES);
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
      'evidence: 2 files match the manifest, 2 also the sha256 the chain names',
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
    expect(run(dir)).toMatchObject({ status: 1, out: "FAILED: seq 3: the hash does not match the event's contents: it was edited" });
  });

  it('catches a line removed from the middle, and from the end', () => {
    const middle = copy();
    setLines(
      middle,
      lines(middle).filter((_, i) => i !== 1),
    );
    expect(run(middle)).toMatchObject({ status: 1, out: 'FAILED: seq 2: line 2 holds seq 3 instead: a line was removed, moved or added' });
    const end = copy();
    setLines(end, lines(end).slice(0, -1));
    expect(run(end)).toMatchObject({
      status: 1,
      out: 'FAILED: seq 4: is missing: the signed checkpoint says the chain reaches seq 4 (lines were removed from the end)',
    });
  });

  it('catches reordered lines', () => {
    const dir = copy();
    const list = lines(dir);
    [list[1], list[2]] = [list[2], list[1]];
    setLines(dir, list);
    expect(run(dir)).toMatchObject({ status: 1, out: 'FAILED: seq 2: line 2 holds seq 3 instead: a line was removed, moved or added' });
  });

  it('catches a line appended after the signed head, even one hashed and linked correctly', () => {
    const dir = copy();
    const last = events[events.length - 1];
    const fields: HashedAuditFields = { ...last, seq: 5, prevHash: last.hash, comment: '事后补记' };
    delete (fields as Partial<typeof last>).hash;
    setLines(dir, [...lines(dir), JSON.stringify({ ...fields, hash: auditHash(fields) })]);
    expect(run(dir)).toMatchObject({ status: 1, out: 'FAILED: seq 5: was appended after the signed checkpoint, which ends at seq 4' });
  });

  it('catches a chain rewritten with every hash recomputed, against the signed head', () => {
    const dir = copy();
    const rewritten = chain('pairing:1', [{ code: 'GJ-2026-001', title: '改写过的名称' }, ...events.slice(1).map((e) => e.payload)]);
    setLines(dir, chainJsonl(rewritten).trimEnd().split('\n'));
    expect(run(dir)).toMatchObject({ status: 1, out: 'FAILED: seq 4: differs from the signed checkpoint: the chain was rewritten' });
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
