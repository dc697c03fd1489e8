/**
 * Long audit reads — a measurement, not a test: it prints, it never asserts.
 *
 *   npm run build:api && node dist/scripts/bench-audit.js
 *   BENCH_DATABASE_URL=mysql://root@127.0.0.1:3306/test node dist/scripts/bench-audit.js
 *
 * BENCH_DATABASE_URL   unset: a fresh temp SQLite file; mysql://…: a fresh database on that server, dropped after
 * BENCH_EVENTS         audit events to verify and export (default 1,000,000), in chains of BENCH_CHAIN_LENGTH (25)
 * BENCH_CHAINS         chains in the checkpoint phase (default 1,000,000 one-event chains, written after the first phase)
 *
 * Starts the built app in a child process (so the bench never competes with its event loop), writes the
 * events straight into audit_event with correct hashes, then times, each while probing GET /api/health
 * every 50 ms: GET /api/audit/verify, GET /api/audit/export (CSV and JSON lines), and with a million chains
 * GET /api/audit/checkpoint and the checkpoint uploaded back to POST /api/audit/verify/checkpoint. Prints
 * the time of each, health p50/p99/max during it, and the server's peak memory; then the targets
 * (verify of 1M events ≤ 10 s, health p99 ≤ 200 ms), each met or not.
 */
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { auditHash, GENESIS_HASH } from '../src/audit/canonical-json';
import { BenchApp, drain, fetchAgain, healthLine, positiveInt, ProbeResult, startApp, whileProbing } from './bench-app';

const EVENTS = positiveInt('BENCH_EVENTS', 1_000_000);
const CHAIN_LENGTH = positiveInt('BENCH_CHAIN_LENGTH', 25);
const CHAINS = positiveInt('BENCH_CHAINS', 1_000_000);
const ROWS_PER_INSERT = 1000;

const COLUMNS = '(chain, seq, at, actor_id, type, from_state, to_state, payload, comment, prev_hash, hash)';

/** Writes `chains` chains of `length` events each (names `<prefix>:<n>`), hashed and linked as the server does, and their head rows. */
async function writeChains(app: BenchApp, prefix: string, chains: number, length: number): Promise<number> {
  const t0 = performance.now();
  let rows: unknown[][] = [];
  let heads: unknown[][] = [];
  const flush = async () => {
    if (rows.length) {
      await app.raw.run(`INSERT INTO audit_event ${COLUMNS} VALUES ${rows.map(() => '(?,?,?,?,?,?,?,?,?,?,?)').join(',')}`, rows.flat());
    }
    if (heads.length)
      await app.raw.run(`INSERT INTO audit_chain_head (chain, seq, hash) VALUES ${heads.map(() => '(?,?,?)').join(',')}`, heads.flat());
    rows = [];
    heads = [];
  };
  if (app.raw.engine === 'sqlite') await app.raw.run('BEGIN', []);
  for (let c = 0; c < chains; c++) {
    const chain = `${prefix}:${String(c).padStart(7, '0')}`;
    let prevHash = GENESIS_HASH;
    for (let seq = 1; seq <= length; seq++) {
      const payload = { kind: 'joint_meeting', heldOn: '2026-05-15', title: `第${seq}次联席会议`, participants: 12, partnerIds: [4] };
      const fields = {
        chain,
        seq,
        at: new Date(Date.UTC(2026, 0, 1) + c * 60_000 + seq).toISOString(),
        actorId: '3',
        type: 'RECORD_ACTIVITY',
        fromState: 'active.collecting',
        toState: 'active.collecting',
        payload,
        comment: seq % 5 === 0 ? '按计划开展' : null,
        prevHash,
      };
      const hash = auditHash(fields);
      rows.push([
        chain,
        seq,
        fields.at,
        '3',
        fields.type,
        fields.fromState,
        fields.toState,
        JSON.stringify(sortKeys(payload)),
        fields.comment,
        prevHash,
        hash,
      ]);
      prevHash = hash;
      if (rows.length >= ROWS_PER_INSERT) await flush();
    }
    heads.push([chain, length, prevHash]);
    if (heads.length >= ROWS_PER_INSERT) await flush();
  }
  await flush();
  if (app.raw.engine === 'sqlite') await app.raw.run('COMMIT', []);
  return (performance.now() - t0) / 1000;
}

/** The stored payload is canonical JSON: keys sorted (the values here are flat). */
function sortKeys(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, value[key]]),
  );
}

interface Row {
  what: string;
  seconds: number;
  health: ProbeResult;
  peakRssMb: number;
  note: string;
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
  const auditor = await app.token('auditor');
  const auth = { Authorization: `Bearer ${auditor}` };
  const results: Row[] = [];
  const line = (row: Row) => {
    results.push(row);
    console.log(
      `${row.what}: ${row.seconds.toFixed(2)} s${row.note ? ` (${row.note})` : ''}; server RSS peak ${row.peakRssMb.toFixed(0)} MB`,
    );
    console.log(`  ${healthLine(row.health)}`);
  };
  console.log(`engine ${app.engine}; writing ${EVENTS.toLocaleString('en')} events in chains of ${CHAIN_LENGTH} …`);
  const chains = Math.ceil(EVENTS / CHAIN_LENGTH);
  const writeSeconds = await writeChains(app, 'bench', chains, CHAIN_LENGTH);
  console.log(`  written in ${writeSeconds.toFixed(1)} s`);

  const idle = await whileProbing(app, () => new Promise((r) => setTimeout(r, 2000)));
  console.log(`idle: ${healthLine(idle.health)}`);

  const verify = await whileProbing(app, async () => {
    const res = await fetchAgain(`${app.base}/api/audit/verify`, { headers: auth });
    return (await res.json()) as { ok: boolean; chains: number; events: number; failures: unknown[] };
  });
  line({
    what: `GET /api/audit/verify`,
    seconds: verify.seconds,
    health: verify.health,
    peakRssMb: verify.peakRssMb,
    note: `ok ${verify.result.ok}, ${verify.result.chains} chains, ${verify.result.events.toLocaleString('en')} events`,
  });

  for (const format of ['csv', 'jsonl']) {
    const exported = await whileProbing(app, async () =>
      drain(await fetchAgain(`${app.base}/api/audit/export?format=${format}`, { headers: auth })),
    );
    line({
      what: `GET /api/audit/export?format=${format}`,
      seconds: exported.seconds,
      health: exported.health,
      peakRssMb: exported.peakRssMb,
      note: `${(exported.result / 1024 / 1024).toFixed(0)} MB`,
    });
  }

  console.log(`writing ${CHAINS.toLocaleString('en')} more chains of one event for the checkpoint …`);
  console.log(`  written in ${(await writeChains(app, 'heads', CHAINS, 1)).toFixed(1)} s`);
  const taken = await whileProbing(app, async () => {
    const res = await fetchAgain(`${app.base}/api/audit/checkpoint`, { headers: auth });
    return Buffer.from(await res.arrayBuffer());
  });
  const checkpoint = taken.result;
  const count = Number(/"count":(\d+)/.exec(checkpoint.subarray(checkpoint.length - 400).toString('utf8'))?.[1] ?? NaN);
  line({
    what: 'GET /api/audit/checkpoint',
    seconds: taken.seconds,
    health: taken.health,
    peakRssMb: taken.peakRssMb,
    note: `${count.toLocaleString('en')} chains, ${(checkpoint.length / 1024 / 1024).toFixed(0)} MB`,
  });
  const checked = await whileProbing(app, async () => {
    const res = await fetchAgain(`${app.base}/api/audit/verify/checkpoint`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/octet-stream' },
      body: checkpoint,
    });
    const body = (await res.json()) as {
      ok: boolean;
      events: number;
      checkpoint: { signatureValid: boolean; chains: number; asBefore: number };
    };
    if (!res.ok) throw new Error(`POST /api/audit/verify/checkpoint answered ${res.status}: ${JSON.stringify(body)}`);
    return body;
  });
  line({
    what: 'POST /api/audit/verify/checkpoint (uploaded as a stream, then every chain verified)',
    seconds: checked.seconds,
    health: checked.health,
    peakRssMb: checked.peakRssMb,
    note: `signature valid ${checked.result.checkpoint?.signatureValid}, ${checked.result.checkpoint?.chains?.toLocaleString('en')} chains, ${checked.result.checkpoint?.asBefore?.toLocaleString('en')} as before, ${checked.result.events?.toLocaleString('en')} events verified`,
  });
  const memory = app.memory();
  console.log(`server memory: RSS ${memory.rssMb.toFixed(0)} MB now, peak ${memory.peakMb.toFixed(0)} MB over the whole run`);

  const verifyPerMillion = (verify.seconds * 1_000_000) / EVENTS;
  const worstP99 = Math.max(...results.map((r) => r.health.p99));
  console.log(
    `RESULT verify of 1M events: ${verifyPerMillion.toFixed(2)} s (target ≤ 10 s) — ${verifyPerMillion <= 10 ? 'met' : 'not met'}`,
  );
  console.log(
    `RESULT health p99 during long reads: worst ${worstP99.toFixed(1)} ms (target ≤ 200 ms) — ${worstP99 <= 200 ? 'met' : 'not met'}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
