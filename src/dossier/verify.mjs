#!/usr/bin/env node
// 共建项目档案校验 / Gongjian dossier verifier. Node.js 20 or later, no packages, no network.
//
//   node verify.mjs [folder] [--key court-public-key.pem]
//
// Checks, without the server: that each line of audit/chain.jsonl is an event exactly as the server's
// history serves it (the same fields, none more or fewer, of the same types, written the same way),
// its hash and its link to the one before; the signed checkpoint and that the chain ends exactly at
// its head (audit/checkpoint.json, audit/public-key.pem); every evidence file against
// evidence/manifest.csv and against the chain, which names each file's sha256; and that the audit
// seqs the manifest gives for each file are exactly the events that use it, and that a file the chain names
// sits under the name it was uploaded as. The manifest's 上传人 and
// 上传时间 (uploaded by, at) are not checked: an upload is not an audit event, so the chain holds neither.
// Prints OK, or FAILED and the first failure (the file, its line or the seq), and exits 1 on failure.
// A folder holding several dossiers (the year archive) is checked dossier by dossier.
//
// With --key, the checkpoint must also be signed by that key (the court's published key);
// without it, compare the fingerprint printed below with the one the court publishes.
import { createHash, createPublicKey, verify } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const GENESIS = '0'.repeat(64);
const CHECKPOINT_FORMAT = 'gongjian-checkpoint/2';
const CHAIN = 'audit/chain.jsonl';
const CHECKPOINT = 'audit/checkpoint.json';

const HEX64 = /^[0-9a-f]{64}$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const text = (v) => typeof v === 'string';
const textOrNull = (v) => v === null || typeof v === 'string';

/**
 * Every field of an event line, in the order GET /api/pairings/:id/history serves them (the server's
 * toAuditView), with what the server writes in it. A line holds exactly these: none more, none fewer.
 * All but the last are hashed.
 */
const EVENT_FIELDS = [
  ['chain', 'a chain name', (v) => text(v) && v !== ''],
  ['seq', 'a whole number from 1', (v) => Number.isInteger(v) && v >= 1],
  ['at', 'a UTC time such as 2026-12-01T07:00:00.000Z', (v) => text(v) && ISO_INSTANT.test(v)],
  ['actorId', 'a string, or null for the system', textOrNull],
  ['type', 'an event code such as APPROVE', (v) => text(v) && /^[A-Z][A-Z0-9_]*$/.test(v)],
  ['fromState', 'a state, or null', textOrNull],
  ['toState', 'a state, or null', textOrNull],
  ['payload', 'an object, or null', (v) => v === null || (typeof v === 'object' && !Array.isArray(v))],
  ['comment', 'a string, or null', textOrNull],
  ['prevHash', '64 lowercase hex digits', (v) => text(v) && HEX64.test(v)],
  ['hash', '64 lowercase hex digits', (v) => text(v) && HEX64.test(v)],
];
const EVENT_KEYS = EVENT_FIELDS.map(([key]) => key);
const HASHED = EVENT_KEYS.filter((key) => key !== 'hash');

class Failure extends Error {}
const fail = (where, reason) => {
  throw new Failure(`${where}: ${reason}`);
};

/** Canonical JSON as the server hashes it: keys sorted at every level, no whitespace. */
function canonical(value) {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => canonical(item === undefined ? null : item)).join(',')}]`;
  const keys = Object.keys(value)
    .filter((key) => value[key] !== undefined)
    .sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`).join(',')}}`;
}

const sha256 = (data) => createHash('sha256').update(data).digest('hex');
const listed = (names) => names.join(', ');
const shown = (value) => {
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 40 ? `${json.slice(0, 37)}...` : json;
};

function readText(dir, file) {
  const path = join(dir, file);
  if (!existsSync(path)) fail(file, 'is missing');
  return readFileSync(path, 'utf8');
}

/** Where a line is: its number, and its seq once that is known to be the one it should hold. */
const lineOf = (n, seqKnown = true) => `${CHAIN} line ${n}${seqKnown ? ` (seq ${n})` : ''}`;

/** The fields of a line against those the server writes: none missing, none added, each of the server's type. */
function checkFields(event, n) {
  const where = lineOf(n, event.seq === n);
  const missing = EVENT_KEYS.filter((key) => !Object.hasOwn(event, key));
  const extra = Object.keys(event).filter((key) => !EVENT_KEYS.includes(key));
  if (missing.length || extra.length) {
    const problems = [];
    if (missing.length) problems.push(`lacks ${missing.length > 1 ? 'the fields' : 'the field'} ${listed(missing)}`);
    if (extra.length) problems.push(`has ${extra.length > 1 ? 'fields' : 'a field'} the server does not write (${listed(extra)})`);
    fail(where, `${problems.join(' and ')}: the line was edited`);
  }
  for (const [key, what, holds] of EVENT_FIELDS) {
    if (!holds(event[key])) fail(where, `${key} is ${shown(event[key])}, where the server writes ${what}: the line was edited`);
  }
}

/** The line the server writes for this event: its fields in order, the payload as read back from its canonical JSON. */
const servedLine = (event) =>
  JSON.stringify(
    Object.fromEntries(
      EVENT_KEYS.map((key) => [key, key === 'payload' && event.payload !== null ? JSON.parse(canonical(event.payload)) : event[key]]),
    ),
  );

/**
 * audit/chain.jsonl: each line exactly an event as history serves it, seq 1, 2, 3 … in order, each hash
 * recomputed, each linked to the one before.
 */
function checkChain(dir) {
  const content = readText(dir, CHAIN);
  if (content === '') fail(CHAIN, 'holds no events');
  if (!content.endsWith('\n')) fail(CHAIN, 'does not end with a line break after its last line, as the server writes it: it was edited');
  const lines = content.slice(0, -1).split('\n');
  const events = [];
  lines.forEach((line, i) => {
    const n = i + 1;
    let event;
    try {
      event = JSON.parse(line);
    } catch {
      fail(lineOf(n, false), line === '' ? 'is empty' : 'is not JSON');
    }
    if (typeof event !== 'object' || event === null || Array.isArray(event)) fail(lineOf(n, false), 'is not an event');
    checkFields(event, n);
    if (event.seq !== n) fail(lineOf(n, false), `holds seq ${event.seq} instead of seq ${n}: a line was removed, moved or added`);
    if (i > 0 && event.chain !== events[0].chain) fail(lineOf(n), `belongs to chain ${event.chain}, not ${events[0].chain}`);
    const prevHash = i === 0 ? GENESIS : events[i - 1].hash;
    if (event.prevHash !== prevHash) {
      fail(lineOf(n), i === 0 ? 'prevHash is not the genesis hash (64 zeros)' : `prevHash does not match the hash of seq ${i}`);
    }
    const hashed = Object.fromEntries(HASHED.map((key) => [key, event[key]]));
    if (sha256(canonical(hashed)) !== event.hash) fail(lineOf(n), "the hash does not match the event's contents: it was edited");
    if (line !== servedLine(event)) {
      fail(lineOf(n), 'is not written exactly as the server writes it (spacing, escapes or the order of fields differ): it was edited');
    }
    events.push(event);
  });
  return events;
}

function fingerprint(key) {
  return sha256(key.export({ type: 'spki', format: 'der' })).replace(/(.{4})(?!$)/g, '$1 ');
}

/** audit/checkpoint.json: signed by the key in audit/public-key.pem (or --key), and the chain ends exactly at its head. */
function checkCheckpoint(dir, events, trustedKey) {
  let checkpoint;
  try {
    checkpoint = JSON.parse(readText(dir, CHECKPOINT));
  } catch (error) {
    if (error instanceof Failure) throw error;
    fail(CHECKPOINT, 'is not JSON');
  }
  let key;
  try {
    key = createPublicKey(readText(dir, 'audit/public-key.pem'));
  } catch (error) {
    if (error instanceof Failure) throw error;
    fail('audit/public-key.pem', 'is not a public key');
  }
  if (trustedKey && fingerprint(key) !== fingerprint(trustedKey)) {
    fail('audit/public-key.pem', 'is not the key given with --key: the checkpoint was not signed by the court');
  }
  checkCheckpointFields(checkpoint, key);
  const heads = checkpoint.chains.map((head) => `${canonical(head)}\n`).join('');
  const message = canonical({ at: checkpoint.at, count: checkpoint.count, format: checkpoint.format, headsSha256: checkpoint.headsSha256 });
  let signed = false;
  try {
    signed = verify(null, Buffer.from(message, 'utf8'), key, Buffer.from(checkpoint.signature, 'base64'));
  } catch {
    signed = false;
  }
  if (!signed) fail(CHECKPOINT, 'the signature does not match: the checkpoint was forged or signed with another key');
  if (checkpoint.count !== checkpoint.chains.length || sha256(heads) !== checkpoint.headsSha256) {
    fail(CHECKPOINT, 'its heads are not the ones that were signed: the checkpoint was edited');
  }
  const chain = events[0].chain;
  const head = checkpoint.chains.find((h) => h.chain === chain);
  if (!head) fail(CHECKPOINT, `does not cover chain ${chain}`);
  if (events.length < head.seq) {
    fail(
      CHAIN,
      `ends at seq ${events.length}, but the signed checkpoint says the chain reaches seq ${head.seq}: lines were removed from the end`,
    );
  }
  if (events.length > head.seq) fail(lineOf(head.seq + 1), `was appended after the signed checkpoint, which ends at seq ${head.seq}`);
  if (events[events.length - 1].hash !== head.hash) fail(lineOf(head.seq), 'differs from the signed checkpoint: the chain was rewritten');
  return { checkpoint, key };
}

/** The fields of a checkpoint as the server writes it (and as POST /api/audit/verify/checkpoint accepts it): none more, none fewer. */
const CHECKPOINT_FIELDS = [
  ['format', CHECKPOINT_FORMAT, (v) => v === CHECKPOINT_FORMAT],
  ['algorithm', 'Ed25519', (v) => v === 'Ed25519'],
  ['publicKey', 'the public key as PEM text', text],
  ['chains', 'a list of heads {chain, seq, hash}', Array.isArray],
  ['at', 'a UTC time such as 2026-12-01T07:00:00.000Z', (v) => text(v) && ISO_INSTANT.test(v)],
  ['count', 'a whole number', (v) => Number.isInteger(v) && v >= 0],
  ['headsSha256', '64 lowercase hex digits', (v) => text(v) && HEX64.test(v)],
  ['signature', 'base64', (v) => text(v) && /^[A-Za-z0-9+/]*={0,2}$/.test(v)],
];
const HEAD_FIELDS = [
  ['chain', 'a chain name', (v) => text(v) && v !== ''],
  ['hash', '64 lowercase hex digits', (v) => text(v) && HEX64.test(v)],
  ['seq', 'a whole number from 1', (v) => Number.isInteger(v) && v >= 1],
];

/** Exactly these fields, each holding what it should; `where` names the object in the failure. */
function checkExactly(value, fields, where, edited) {
  const keys = fields.map(([key]) => key);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(where, `is not an object: ${edited}`);
  const missing = keys.filter((key) => !Object.hasOwn(value, key));
  const extra = Object.keys(value).filter((key) => !keys.includes(key));
  if (missing.length) fail(where, `lacks ${missing.length > 1 ? 'the fields' : 'the field'} ${listed(missing)}: ${edited}`);
  if (extra.length) fail(where, `has ${extra.length > 1 ? 'fields' : 'a field'} the server does not write (${listed(extra)}): ${edited}`);
  for (const [key, what, holds] of fields) {
    if (!holds(value[key])) fail(where, `${key} is ${shown(value[key])}, where the server writes ${what}: ${edited}`);
  }
}

function checkCheckpointFields(checkpoint, key) {
  const edited = 'the checkpoint was edited';
  checkExactly(checkpoint, CHECKPOINT_FIELDS, CHECKPOINT, edited);
  checkpoint.chains.forEach((head, i) => checkExactly(head, HEAD_FIELDS, `${CHECKPOINT} chains[${i}]`, edited));
  let named;
  try {
    named = createPublicKey(checkpoint.publicKey);
  } catch {
    fail(CHECKPOINT, `its publicKey is not a public key: ${edited}`);
  }
  if (!named.equals(key)) fail(CHECKPOINT, `its publicKey is not the key in audit/public-key.pem: ${edited}`);
}

/** RFC 4180: quoted fields may hold commas, doubled quotes and line breaks; records end with CRLF. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) rows.push([...row, field]);
  return rows;
}

function fileSha256(path) {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

const MANIFEST = 'evidence/manifest.csv';
/**
 * The manifest's columns as the server writes them. 上传人 and 上传时间 (uploaded by, at) come from the server's
 * attachment records: an upload is not an audit event, so nothing in the chain vouches for them and they are not checked.
 */
const COLUMNS = ['文件', '附件编号', 'SHA-256', '大小（字节）', '上传人', '上传时间', '使用该文件的审计序号'];
const COLUMN = { file: 0, id: 1, sha256: 2, size: 3, seqs: 6 };
const SEQS = COLUMNS[COLUMN.seqs];

/**
 * Whether `file` is the name the server gives an attachment uploaded as `filename`: the original name, made safe as
 * a ZIP path (no slashes, no leading dots) and, where another file of the dossier took it first, numbered: the
 * second 照片.jpg is 照片 (2).jpg.
 */
function isEvidenceNameOf(file, filename) {
  const safe = filename.replace(/[/\\]/g, '_').replace(/^\.+/, '') || 'file';
  const name = file.slice('evidence/'.length);
  if (name === safe) return true;
  const dot = safe.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [safe.slice(0, dot), safe.slice(dot)] : [safe, ''];
  const numbered = /^ \(([1-9]\d*)\)$/.exec(name.startsWith(stem) && name.endsWith(ext) ? name.slice(stem.length, name.length - ext.length) : '');
  return numbered !== null && Number(numbered[1]) >= 2;
}

/** The attachment ids an event's payload names, in attachmentIds or attachments, as the server reads them for the manifest. */
function attachmentIdsOf(event) {
  const payload = event.payload;
  const ids = new Set();
  if (payload === null) return ids;
  if (Array.isArray(payload.attachmentIds)) for (const id of payload.attachmentIds) if (typeof id === 'number') ids.add(id);
  if (Array.isArray(payload.attachments)) for (const a of payload.attachments) if (typeof a?.id === 'number') ids.add(a.id);
  return ids;
}

/**
 * Every evidence file against the manifest (sha256 and size); the manifest against the chain: each file's sha256
 * where the chain names it, and the audit seqs it says used each file are exactly the events that name it.
 */
async function checkEvidence(dir, events) {
  const [header, ...records] = parseCsv(readText(dir, MANIFEST).replace(/^\uFEFF/, ''));
  if ((header ?? []).join('\u0000') !== COLUMNS.join('\u0000')) fail(MANIFEST, `its columns are not ${listed(COLUMNS)}: it was edited`);
  const byId = new Map();
  const files = new Set();
  for (const [i, record] of records.entries()) {
    const file = record[COLUMN.file];
    // Row numbers as a spreadsheet shows them: the header is row 1.
    const where = `${MANIFEST} row ${i + 2}${file ? ` (${file})` : ''}`;
    if (record.length !== COLUMNS.length) fail(where, `has ${record.length} columns, not ${COLUMNS.length}: it was edited`);
    if (!/^evidence\/[^/]+$/.test(file) || file === MANIFEST) fail(where, `names ${JSON.stringify(file)}, which is not an evidence file`);
    if (files.has(file)) fail(where, `lists ${file} a second time`);
    const [id, expected, size, seqs] = [record[COLUMN.id], record[COLUMN.sha256], record[COLUMN.size], record[COLUMN.seqs]];
    if (!/^[1-9]\d*$/.test(id) || byId.has(Number(id)))
      fail(where, `its 附件编号 ${JSON.stringify(id)} is not an attachment number of its own: it was edited`);
    if (!HEX64.test(expected)) fail(where, `its SHA-256 ${JSON.stringify(expected)} is not 64 lowercase hex digits: it was edited`);
    if (!/^\d+$/.test(size)) fail(where, `its size ${JSON.stringify(size)} is not a number of bytes: it was edited`);
    if (!/^([1-9]\d*(、[1-9]\d*)*)?$/.test(seqs))
      fail(where, `its ${SEQS} ${JSON.stringify(seqs)} is not a list of seqs such as 5、9: it was edited`);
    const path = join(dir, file);
    if (!existsSync(path)) fail(file, 'is listed in the manifest but missing');
    const actual = statSync(path).size;
    if (actual !== Number(size)) fail(file, `is ${actual} bytes, the manifest says ${size}: the file was changed`);
    if ((await fileSha256(path)) !== expected) fail(file, 'its sha256 does not match the manifest: the file was changed');
    files.add(file);
    byId.set(Number(id), { file, sha256: expected, seqs: seqs === '' ? [] : seqs.split('、').map(Number), where });
  }
  for (const name of readdirSync(join(dir, 'evidence'))) {
    if (name !== basename(MANIFEST) && !files.has(`evidence/${name}`)) fail(`evidence/${name}`, 'is not in the manifest');
  }
  let vouched = 0;
  const usedBy = new Map();
  for (const event of events) {
    const attachments = Array.isArray(event.payload?.attachments) ? event.payload.attachments : [];
    for (const attachment of attachments) {
      if (typeof attachment?.id !== 'number') continue;
      const entry = byId.get(attachment.id);
      if (!entry) fail(lineOf(event.seq), `uses attachment ${attachment.id} (${attachment.filename}), which the manifest does not list`);
      if (entry.sha256 !== attachment.sha256)
        fail(entry.file, `is not the file seq ${event.seq} used (sha256 ${attachment.sha256}): it was replaced`);
      if (typeof attachment.filename === 'string' && !isEvidenceNameOf(entry.file, attachment.filename))
        fail(entry.file, `is attachment ${attachment.id}, which seq ${event.seq} names ${JSON.stringify(attachment.filename)}: it was renamed`);
      vouched++;
    }
    for (const id of attachmentIdsOf(event)) {
      if (!byId.has(id)) fail(lineOf(event.seq), `uses attachment ${id}, which the manifest does not list`);
      usedBy.set(id, [...(usedBy.get(id) ?? []), event.seq]);
    }
  }
  for (const [id, entry] of byId) {
    const used = usedBy.get(id) ?? [];
    for (const seq of entry.seqs) {
      if (seq > events.length) fail(entry.where, `its ${SEQS} names seq ${seq}, which ${CHAIN} does not hold: the manifest was edited`);
      if (!used.includes(seq))
        fail(entry.where, `its ${SEQS} names seq ${seq}, but that audit event does not use attachment ${id}: the manifest was edited`);
    }
    for (const seq of used) {
      if (!entry.seqs.includes(seq))
        fail(entry.where, `its ${SEQS} leaves out seq ${seq}, which uses attachment ${id}: the manifest was edited`);
    }
    if (entry.seqs.join('、') !== used.join('、')) fail(entry.where, `its ${SEQS} should read ${used.join('、')}: the manifest was edited`);
  }
  return { files: records.length, vouched };
}

async function checkDossier(dir, trustedKey) {
  const events = checkChain(dir);
  const { checkpoint, key } = checkCheckpoint(dir, events, trustedKey);
  const evidence = await checkEvidence(dir, events);
  const code = events[0].payload && typeof events[0].payload.code === 'string' ? ` (${events[0].payload.code})` : '';
  return [
    `${events[0].chain}${code}: ${events.length} events, every hash and link recomputed; head seq ${events.length} as signed at ${checkpoint.at}`,
    `evidence: ${evidence.files} files match the manifest${evidence.vouched ? `, ${evidence.vouched} also the sha256 and file name the chain names` : ''}; the audit seqs it names are the events that use each file`,
    `not checked: the manifest's 上传人 and 上传时间 (uploaded by, at), which the chain does not record`,
    `signing key fingerprint (SHA-256): ${fingerprint(key)}`,
  ];
}

async function main() {
  const args = process.argv.slice(2);
  const keyAt = args.indexOf('--key');
  const trustedKey = keyAt >= 0 ? createPublicKey(readFileSync(args[keyAt + 1], 'utf8')) : null;
  if (keyAt >= 0) args.splice(keyAt, 2);
  const folder = args[0] ?? dirname(fileURLToPath(import.meta.url));
  const isDossier = (dir) => existsSync(join(dir, 'audit', 'chain.jsonl'));
  const dossiers = isDossier(folder)
    ? [folder]
    : readdirSync(folder)
        .map((name) => join(folder, name))
        .filter((dir) => statSync(dir).isDirectory() && isDossier(dir))
        .sort();
  if (!dossiers.length) {
    console.log(`FAILED: ${folder}: no dossier here (audit/chain.jsonl not found)`);
    process.exit(1);
  }
  const report = [];
  for (const dir of dossiers) {
    const prefix = dossiers.length > 1 || dir !== folder ? `${basename(dir)}/` : '';
    try {
      report.push(...(await checkDossier(dir, trustedKey)).map((line) => `${prefix}${line}`));
    } catch (error) {
      if (!(error instanceof Failure)) throw error;
      console.log(`FAILED: ${prefix}${error.message}`);
      process.exit(1);
    }
  }
  console.log('OK');
  for (const line of report) console.log(line);
}

await main();
