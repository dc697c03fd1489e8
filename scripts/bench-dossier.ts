/**
 * The year archive's memory — a measurement, not a test: it prints, it never asserts.
 *
 *   npm run build:api && node dist/scripts/bench-dossier.js
 *   BENCH_DATABASE_URL=mysql://root@127.0.0.1:3306/test node dist/scripts/bench-dossier.js
 *
 * BENCH_DATABASE_URL   unset: a fresh temp SQLite file; mysql://…: a fresh database on that server, dropped after
 * BENCH_PAIRINGS       pairings in the archive (default 1,000)
 * BENCH_EVIDENCE_MB    evidence per pairing, in MB (default 20, the upload limit)
 * BENCH_CONCURRENCY    requests at a time while the pairings are made (default 8)
 *
 * Starts the built app in a child process, uploads one PDF of BENCH_EVIDENCE_MB (attachments are stored
 * by their sha256, so every pairing's evidence can be that one file: the archive still reads and writes
 * every byte of it once per pairing), makes BENCH_PAIRINGS pairings through the API up to a signed
 * agreement that carries its own attachment of that file, then downloads GET /api/reports/archive?year=
 * into a sink that keeps nothing, sampling the server's memory as it streams. Prints the archive's size,
 * time and throughput, the server's RSS before and its peak during the download, and whether memory
 * stayed flat (peak − before well under one pairing's evidence).
 */
import 'reflect-metadata';
import { createHash, randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { positiveInt, startApp, whileProbing, type BenchApp } from './bench-app';

const PAIRINGS = positiveInt('BENCH_PAIRINGS', 1000);
const EVIDENCE_MB = positiveInt('BENCH_EVIDENCE_MB', 20);
const CONCURRENCY = positiveInt('BENCH_CONCURRENCY', 8);
/** The upload limit is 20 MiB (file-rules.ts): stay just under it. */
const EVIDENCE_BYTES = Math.min(EVIDENCE_MB * 1024 * 1024, 20 * 1024 * 1024) - 1024;

async function pool(count: number, concurrency: number, job: (index: number) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < count) await job(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

async function call(app: BenchApp, as: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${app.base}${path}`, {
    method,
    headers: { Authorization: `Bearer ${await app.token(as)}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json().catch(() => null)) as Record<string, unknown> | null;
  if (!res.ok) throw new Error(`${as} ${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json!;
}

async function main() {
  const app = await startApp();
  try {
    await measure(app);
  } finally {
    await app.stop();
  }
}

async function measure(app: BenchApp) {
  const year = new Date().getFullYear() - 1;
  const secretaryId = Number((await call(app, 'secretary', 'GET', '/api/auth/me')).id);
  const members = (await call(app, 'admin', 'GET', '/api/users')) as unknown as { id: number; username: string }[];
  const liaison = members.find((u) => u.username === 'member')!.id;
  const partners = (await call(app, 'secretary', 'GET', '/api/partners')) as unknown as { id: number }[];

  // One real upload: a PDF the server recognises, stored once under its sha256.
  const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(EVIDENCE_BYTES - 20), Buffer.from('\n%%EOF\n')]);
  const form = new FormData();
  form.append('file', new Blob([pdf], { type: 'application/pdf' }), '活动照片与纪要.pdf');
  const uploaded = await fetch(`${app.base}/api/attachments`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${await app.token('secretary')}` },
    body: form,
  });
  if (uploaded.status !== 201) throw new Error(`upload: ${uploaded.status} ${await uploaded.text()}`);
  const sha256 = createHash('sha256').update(pdf).digest('hex');
  console.log(
    `engine ${app.engine}; evidence ${(pdf.length / 1024 / 1024).toFixed(1)} MB (sha256 ${sha256.slice(0, 12)}…), ${PAIRINGS} pairings`,
  );

  // Each pairing's own attachment row of the stored file, as a second upload of the same bytes would make;
  // written while the app is idle (a second writer on the SQLite file during its transactions would be refused).
  for (let i = 0; i < PAIRINGS; i++) {
    await app.raw.run(
      'INSERT INTO attachment (sha256, filename, mime, size, uploaded_by, pairing_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [sha256, `活动资料-${i + 1}.pdf`, 'application/pdf', pdf.length, secretaryId, null, new Date().toISOString()],
    );
  }
  const attachmentIds: number[] = [];
  for (let i = 0; i < PAIRINGS; i++) {
    attachmentIds.push(
      Number((await app.raw.get<{ id: number }>('SELECT id FROM attachment WHERE filename = ?', [`活动资料-${i + 1}.pdf`])).id),
    );
  }

  const t0 = performance.now();
  await pool(PAIRINGS, CONCURRENCY, async (i) => {
    const created = await call(app, 'secretary', 'POST', '/api/pairings', {
      year,
      title: `档案基准 ${i + 1}`,
      theme: '基层诉源治理',
      problem: '家事纠纷诉前化解率偏低',
      partnerIds: [partners[i % partners.length].id],
      categories: ['organization'],
      liaisonUserId: liaison,
    });
    const id = Number(created.id);
    await call(app, 'secretary', 'POST', `/api/pairings/${id}/events`, { type: 'SUBMIT' });
    await call(app, 'committee', 'POST', `/api/pairings/${id}/events`, { type: 'APPROVE' });
    await call(app, 'secretary', 'POST', `/api/pairings/${id}/events`, {
      type: 'SIGN_AGREEMENT',
      signedOn: `${year}-01-10`,
      validFrom: `${year}-01-01`,
      validTo: `${year}-12-31`,
      goals: '共同提升基层诉源治理水平',
      content: '联合开展调研、联席会议和共建活动日',
      requirements: '每季度至少一次联席会议和一次共建活动日',
      attachmentIds: [attachmentIds[i]],
    });
    if ((i + 1) % 100 === 0) console.log(`  ${i + 1} pairings made (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  });

  const before = app.memory();
  // The server's RSS through the download: after the first tenth (warmed up: the first dossiers built, the
  // ZIP and the sockets going) memory must not keep growing with the size of what has been sent.
  const samples: { bytes: number; rssMb: number }[] = [];
  let sent = 0;
  const sampler = setInterval(() => samples.push({ bytes: sent, rssMb: app.memory().rssMb }), 250);
  const archive = await whileProbing(
    app,
    async () => {
      const res = await fetch(`${app.base}/api/reports/archive?year=${year}`, {
        headers: { Authorization: `Bearer ${await app.token('committee')}` },
      });
      // A sink that keeps nothing: only the count of bytes.
      const reader = res.body!.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return sent;
        sent += value.byteLength;
      }
    },
    200,
  );
  clearInterval(sampler);
  const bytes = archive.result;
  const evidence = (PAIRINGS * pdf.length) / 1024 / 1024 / 1024;
  console.log(
    `GET /api/reports/archive?year=${year}: ${(bytes / 1024 / 1024 / 1024).toFixed(2)} GB (${evidence.toFixed(2)} GB of evidence) in ${archive.seconds.toFixed(1)} s, ${(bytes / 1024 / 1024 / archive.seconds).toFixed(0)} MB/s`,
  );
  console.log(
    `  health during it: p50 ${archive.health.p50.toFixed(1)} ms · p99 ${archive.health.p99.toFixed(1)} ms · max ${archive.health.max.toFixed(1)} ms`,
  );
  const half = bytes / 2;
  const peakOf = (list: typeof samples) => Math.max(0, ...list.map((x) => x.rssMb));
  const firstHalf = Math.max(before.rssMb, peakOf(samples.filter((x) => x.bytes <= half)));
  const secondHalf = peakOf(samples.filter((x) => x.bytes > half));
  for (const share of [0.1, 0.25, 0.5, 0.75, 1]) {
    const at = samples.filter((x) => x.bytes <= bytes * share).at(-1);
    if (at)
      console.log(
        `  after ${(share * 100).toFixed(0)}% (${(at.bytes / 1024 / 1024 / 1024).toFixed(2)} GB sent): server RSS ${at.rssMb.toFixed(0)} MB`,
      );
  }
  console.log(
    `server RSS: ${before.rssMb.toFixed(0)} MB before; peak ${firstHalf.toFixed(0)} MB over the first half of the download, ${secondHalf.toFixed(0)} MB over the second`,
  );
  // Flat: sending the second half (as much again) does not grow the server beyond what the first half needed
  // (a 64 MB margin for the garbage collector's own rhythm), and the peak is a sliver of what was sent.
  const flat = secondHalf <= firstHalf + 64;
  console.log(
    `RESULT year archive of ${PAIRINGS} pairings × ${(pdf.length / 1024 / 1024).toFixed(0)} MB (${(bytes / 1024 / 1024 / 1024).toFixed(1)} GB streamed): ` +
      `peak server RSS ${archive.peakRssMb.toFixed(0)} MB, second half ${secondHalf - firstHalf >= 0 ? '+' : ''}${(secondHalf - firstHalf).toFixed(0)} MB over the first — memory ${flat ? 'flat (met)' : 'not flat (not met)'}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
