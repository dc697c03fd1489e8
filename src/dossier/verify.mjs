#!/usr/bin/env node
// 共建项目档案校验 / Gongjian dossier verifier. Node.js 20 or later, no packages, no network.
//
//   node verify.mjs [folder] [--key court-public-key.pem]
//
// Checks, without the server: every audit event's hash and its link to the one before
// (audit/chain.jsonl), the signed checkpoint and that the chain ends exactly at its head
// (audit/checkpoint.json, audit/public-key.pem), and every evidence file against
// evidence/manifest.csv and against the chain, which names each file's sha256.
// Prints OK, or FAILED and the first failure (the file or the seq), and exits 1 on failure.
// A folder holding several dossiers (the year archive) is checked dossier by dossier.
//
// With --key, the checkpoint must also be signed by that key (the court's published key);
// without it, compare the fingerprint printed below with the one the court publishes.
import { createHash, createPublicKey, verify } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const GENESIS = '0'.repeat(64);
const HASHED = ['chain', 'seq', 'at', 'actorId', 'type', 'fromState', 'toState', 'payload', 'comment', 'prevHash'];
const CHECKPOINT_FORMAT = 'gongjian-checkpoint/2';

class Failure extends Error {}
const fail = (where, reason) => {
  throw new Failure(`${where}: ${reason}`);
};

/** Canonical JSON as the server hashes it: keys sorted at every level, no whitespace. */
function canonical(value) {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => canonical(item === undefined ? null : item)).join(',')}]`;
  const keys = Object.keys(value).filter((key) => value[key] !== undefined).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`).join(',')}}`;
}

const sha256 = (data) => createHash('sha256').update(data).digest('hex');

function readText(dir, file) {
  const path = join(dir, file);
  if (!existsSync(path)) fail(file, 'is missing');
  return readFileSync(path, 'utf8');
}

/** audit/chain.jsonl: seq 1, 2, 3 … in order, each hash recomputed, each linked to the one before. */
function checkChain(dir) {
  const lines = readText(dir, 'audit/chain.jsonl').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const events = [];
  lines.forEach((line, i) => {
    let event;
    try {
      event = JSON.parse(line);
    } catch {
      fail(`audit/chain.jsonl line ${i + 1}`, 'is not JSON');
    }
    if (typeof event !== 'object' || event === null || Array.isArray(event)) fail(`audit/chain.jsonl line ${i + 1}`, 'is not an event');
    const seq = i + 1;
    if (event.seq !== seq) {
      fail(`seq ${seq}`, `line ${i + 1} holds seq ${event.seq} instead: a line was removed, moved or added`);
    }
    if (i > 0 && event.chain !== events[0].chain) fail(`seq ${seq}`, `belongs to chain ${event.chain}, not ${events[0].chain}`);
    const prevHash = i === 0 ? GENESIS : events[i - 1].hash;
    if (event.prevHash !== prevHash) {
      fail(`seq ${seq}`, i === 0 ? 'prevHash is not the genesis hash (64 zeros)' : `prevHash does not match the hash of seq ${i}`);
    }
    const hashed = Object.fromEntries(HASHED.map((key) => [key, event[key] ?? null]));
    if (sha256(canonical(hashed)) !== event.hash) fail(`seq ${seq}`, "the hash does not match the event's contents: it was edited");
    events.push(event);
  });
  if (!events.length) fail('audit/chain.jsonl', 'holds no events');
  return events;
}

function fingerprint(key) {
  return sha256(key.export({ type: 'spki', format: 'der' })).replace(/(.{4})(?!$)/g, '$1 ');
}

/** audit/checkpoint.json: signed by the key in audit/public-key.pem (or --key), and the chain ends exactly at its head. */
function checkCheckpoint(dir, events, trustedKey) {
  let checkpoint;
  try {
    checkpoint = JSON.parse(readText(dir, 'audit/checkpoint.json'));
  } catch (error) {
    if (error instanceof Failure) throw error;
    fail('audit/checkpoint.json', 'is not JSON');
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
  if (checkpoint.format !== CHECKPOINT_FORMAT || !Array.isArray(checkpoint.chains)) fail('audit/checkpoint.json', 'is not a checkpoint');
  const heads = checkpoint.chains.map(({ chain, seq, hash }) => `${canonical({ chain, seq, hash })}\n`).join('');
  const message = canonical({ at: checkpoint.at, count: checkpoint.count, format: checkpoint.format, headsSha256: checkpoint.headsSha256 });
  let signed = false;
  try {
    signed = verify(null, Buffer.from(message, 'utf8'), key, Buffer.from(String(checkpoint.signature), 'base64'));
  } catch {
    signed = false;
  }
  if (!signed) fail('audit/checkpoint.json', 'the signature does not match: the checkpoint was forged or signed with another key');
  if (checkpoint.count !== checkpoint.chains.length || sha256(heads) !== checkpoint.headsSha256) {
    fail('audit/checkpoint.json', 'its heads are not the ones that were signed: the checkpoint was edited');
  }
  const chain = events[0].chain;
  const head = checkpoint.chains.find((h) => h.chain === chain);
  if (!head) fail('audit/checkpoint.json', `does not cover chain ${chain}`);
  if (events.length < head.seq) {
    fail(`seq ${events.length + 1}`, `is missing: the signed checkpoint says the chain reaches seq ${head.seq} (lines were removed from the end)`);
  }
  if (events.length > head.seq) fail(`seq ${head.seq + 1}`, `was appended after the signed checkpoint, which ends at seq ${head.seq}`);
  if (events[events.length - 1].hash !== head.hash) fail(`seq ${head.seq}`, 'differs from the signed checkpoint: the chain was rewritten');
  return { checkpoint, key };
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
const COLUMNS = { file: '文件', id: '附件编号', sha256: 'SHA-256', size: '大小（字节）' };

/** Every evidence file against the manifest (sha256 and size), and against the chain where it names the file. */
async function checkEvidence(dir, events) {
  const [header, ...records] = parseCsv(readText(dir, MANIFEST).replace(/^\uFEFF/, ''));
  const column = Object.fromEntries(
    Object.entries(COLUMNS).map(([name, title]) => {
      const index = (header ?? []).indexOf(title);
      if (index < 0) fail(MANIFEST, `has no column ${title}`);
      return [name, index];
    }),
  );
  const byId = new Map();
  const listed = new Set();
  for (const record of records) {
    const file = record[column.file];
    const size = Number(record[column.size]);
    if (!/^evidence\/[^/]+$/.test(file ?? '') || file === MANIFEST) fail(MANIFEST, `lists ${JSON.stringify(file)}, which is not an evidence file`);
    const path = join(dir, file);
    if (!existsSync(path)) fail(file, 'is listed in the manifest but missing');
    const actual = statSync(path).size;
    if (actual !== size) fail(file, `is ${actual} bytes, the manifest says ${size}: the file was changed`);
    if ((await fileSha256(path)) !== record[column.sha256]) fail(file, 'its sha256 does not match the manifest: the file was changed');
    listed.add(basename(file));
    byId.set(String(record[column.id]), { file, sha256: record[column.sha256] });
  }
  for (const name of readdirSync(join(dir, 'evidence'))) {
    if (name !== basename(MANIFEST) && !listed.has(name)) fail(`evidence/${name}`, 'is not in the manifest');
  }
  let vouched = 0;
  for (const event of events) {
    const attachments = event.payload && Array.isArray(event.payload.attachments) ? event.payload.attachments : [];
    for (const { id, filename, sha256: expected } of attachments) {
      const entry = byId.get(String(id));
      if (!entry) fail(`seq ${event.seq}`, `uses attachment ${id} (${filename}), which the manifest does not list`);
      if (entry.sha256 !== expected) fail(entry.file, `is not the file seq ${event.seq} used (sha256 ${expected}): it was replaced`);
      vouched++;
    }
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
    `evidence: ${evidence.files} files match the manifest${evidence.vouched ? `, ${evidence.vouched} also the sha256 the chain names` : ''}`,
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
