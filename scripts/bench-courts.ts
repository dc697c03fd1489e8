/**
 * Many courts in one installation — a measurement, not a test: it prints, it never asserts.
 *
 *   npm run build:api && BENCH_DATABASE_URL=mysql://root@127.0.0.1:3306/test node dist/scripts/bench-courts.js
 *
 * BENCH_COURTS     courts below one supervising court (default 100; the demo court GJ is one of them)
 * BENCH_BRANCHES   branches per court (default 30)
 * BENCH_YEARS      years of pairings (default 5), BENCH_PER_BRANCH pairings per branch and year (default 3)
 * BENCH_REQUESTS   requests timed per route (default 200)
 *
 * Writes the courts, branches and pairings straight into the tables (pairing rows as the engine keeps them:
 * a real persisted snapshot, one in four scored), then times a secretary's pairing list, a supervisor's
 * `courtId=all` list and the cross-court report over the app's HTTP API, and prints p50/p99 of each and the
 * plans (EXPLAIN) of the two list queries. Audit events are not written here (bench-audit.ts measures those).
 */
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { createPairingSnapshot, PAIRING_WORKFLOW_VERSION, persistSnapshot } from '../workflows';
import { percentile, positiveInt, startApp } from './bench-app';

const COURTS = positiveInt('BENCH_COURTS', 100);
const BRANCHES = positiveInt('BENCH_BRANCHES', 30);
const YEARS = positiveInt('BENCH_YEARS', 5);
const PER_BRANCH = positiveInt('BENCH_PER_BRANCH', 3);
const REQUESTS = positiveInt('BENCH_REQUESTS', 200);
const ROWS_PER_INSERT = 1000;

async function main() {
  const app = await startApp();
  const { raw } = app;
  const now = new Date().toISOString();
  const thisYear = new Date().getUTCFullYear();
  const t0 = performance.now();
  const insert = async (table: string, columns: string[], rows: unknown[][]) => {
    for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
      const part = rows.slice(i, i + ROWS_PER_INSERT);
      const marks = `(${columns.map(() => '?').join(',')})`;
      await raw.run(
        `INSERT INTO \`${table}\` (${columns.map((c) => `\`${c}\``).join(',')}) VALUES ${part.map(() => marks).join(',')}`,
        part.flat(),
      );
    }
  };
  if (raw.engine === 'sqlite') await raw.run('BEGIN', []);
  // One supervising court above the demo court and COURTS − 1 more.
  await insert('court', ['code', 'name', 'parent_court_id', 'created_at', 'updated_at'], [['SUP', '基准中级人民法院', null, now, now]]);
  const { id: supId } = await raw.get<{ id: number }>("SELECT id FROM court WHERE code = 'SUP'");
  await raw.run('UPDATE court SET parent_court_id = ? WHERE code = ?', [supId, 'GJ']);
  const letters = (n: number) =>
    `B${String.fromCharCode(65 + (Math.floor(n / 26 / 26) % 26), 65 + (Math.floor(n / 26) % 26), 65 + (n % 26))}`;
  await insert(
    'court',
    ['code', 'name', 'parent_court_id', 'created_at', 'updated_at'],
    Array.from({ length: COURTS - 1 }, (_, i) => [letters(i), `基准法院${i + 1}`, supId, now, now]),
  );
  const courts = [
    (await raw.get<{ id: number }>("SELECT id FROM court WHERE code = 'GJ'")).id,
    ...(
      await Promise.all(
        Array.from({ length: COURTS - 1 }, (_, i) => raw.get<{ id: number }>('SELECT id FROM court WHERE code = ?', [letters(i)])),
      )
    ).map((c) => c.id),
  ];
  const { hash } = await raw.get<{ hash: string }>("SELECT password_hash AS hash FROM `user` WHERE username = 'secretary'");
  await insert(
    'user',
    ['court_id', 'username', 'display_name', 'password_hash', 'roles', 'branch_id', 'active', 'token_version', 'created_at', 'updated_at'],
    [[supId, 'bench-supervisor', '基准上级法院', hash, JSON.stringify(['supervisor']), null, 1, 0, now, now]],
  );
  const { id: secretaryBranch } = await raw.get<{ id: number }>("SELECT branch_id AS id FROM `user` WHERE username = 'secretary'");
  // Branches: the demo court keeps its own ten and gets the rest; every other court gets BRANCHES.
  for (const courtId of courts) {
    const have = courtId === courts[0] ? 10 : 0;
    await insert(
      'branch',
      ['court_id', 'name', 'secretary_user_id', 'active', 'created_at', 'updated_at'],
      Array.from({ length: BRANCHES - have }, (_, b) => [courtId, `基准支部${b + 1}`, null, 1, now, now]),
    );
  }
  const snapshots = new Map<number, string>();
  const snapshotOf = (year: number) => {
    if (!snapshots.has(year)) snapshots.set(year, JSON.stringify(persistSnapshot(createPairingSnapshot({ year, mode: 'voluntary' }))));
    return snapshots.get(year)!;
  };
  let pairings = 0;
  for (const courtId of courts) {
    const branchRows = await raw.get<{ ids: string }>(
      raw.engine === 'mysql'
        ? 'SELECT GROUP_CONCAT(id ORDER BY id) AS ids FROM branch WHERE court_id = ?'
        : 'SELECT GROUP_CONCAT(id) AS ids FROM branch WHERE court_id = ?',
      [courtId],
    );
    const branchIds = String(branchRows.ids).split(',').map(Number);
    const code = courtId === courts[0] ? 'GJ' : letters(courts.indexOf(courtId) - 1);
    const rows: unknown[][] = [];
    const counters: unknown[][] = [];
    for (let y = 0; y < YEARS; y++) {
      const year = thisYear - YEARS + 1 + y;
      let seq = 0;
      for (const branchId of branchIds) {
        for (let k = 0; k < PER_BRANCH; k++) {
          seq++;
          const scored = (seq + k) % 4 === 0;
          rows.push([
            courtId,
            `${code}-${year}-${String(seq).padStart(3, '0')}B`,
            year,
            `基准结对项目 ${code} ${year} ${seq}`,
            '主题',
            '问题',
            'voluntary',
            branchId,
            '[]',
            '[]',
            '["organization"]',
            '[]',
            scored ? 'scored' : 'draft',
            '[]',
            scored ? 80 + (seq % 20) : null,
            snapshotOf(year),
            PAIRING_WORKFLOW_VERSION,
            0,
            '',
            1,
            now,
            now,
          ]);
        }
      }
      counters.push([courtId, year, seq]);
    }
    await insert(
      'pairing',
      [
        'court_id',
        'code',
        'year',
        'title',
        'theme',
        'problem',
        'mode',
        'lead_branch_id',
        'co_branch_ids',
        'partner_ids',
        'categories',
        'partner_liaisons',
        'state',
        'quarter_scores',
        'final_score',
        'snapshot',
        'workflow_version',
        'version',
        'chain_hash',
        'created_by',
        'created_at',
        'updated_at',
      ],
      rows,
    );
    pairings += rows.length;
  }
  // Each pairing's lead branch, as the engine writes it (the secretary's list joins it).
  await raw.run(
    "INSERT INTO pairing_branch (pairing_id, branch_id, role) SELECT id, lead_branch_id, 'lead' FROM pairing WHERE id NOT IN (SELECT pairing_id FROM pairing_branch)",
    [],
  );
  if (raw.engine === 'sqlite') await raw.run('COMMIT', []);
  const seeded = performance.now() - t0;
  console.log(
    `Seeded ${COURTS} courts × ${BRANCHES} branches × ${YEARS} years: ${pairings} pairings in ${(seeded / 1000).toFixed(1)} s (${app.engine})`,
  );

  const time = async (label: string, user: string, path: string) => {
    const token = await app.token(user);
    const samples: number[] = [];
    let bytes = 0;
    for (let i = 0; i < REQUESTS; i++) {
      const start = performance.now();
      const res = await fetch(`${app.base}${path}`, { headers: { Authorization: `Bearer ${token}` } });
      const body = await res.text();
      samples.push(performance.now() - start);
      if (!res.ok) throw new Error(`${label}: ${res.status} ${body.slice(0, 200)}`);
      bytes = body.length;
    }
    console.log(
      `${label.padEnd(44)} p50 ${percentile(samples, 50).toFixed(1).padStart(7)} ms   p99 ${percentile(samples, 99).toFixed(1).padStart(7)} ms   (${REQUESTS} requests, ${bytes} bytes)`,
    );
  };
  const lastYear = thisYear - 1;
  await time('secretary: GET /api/pairings', 'secretary', '/api/pairings?page=1&pageSize=20');
  await time('supervisor: GET /api/pairings?courtId=all', 'bench-supervisor', '/api/pairings?courtId=all&page=1&pageSize=20');
  await time(`supervisor: GET /api/reports/courts?year=${lastYear}`, 'bench-supervisor', `/api/reports/courts?year=${lastYear}`);

  if (app.engine === 'mysql') {
    const explain = async (label: string, sql: string, params: unknown[]) => {
      const rows = (await raw.get<unknown>(`EXPLAIN ${sql}`, params)) as Record<string, unknown>;
      console.log(`EXPLAIN ${label}: ${JSON.stringify(rows)}`);
    };
    const inCourts = courts.map(() => '?').join(',');
    await explain(
      'secretary list (first row)',
      'SELECT p.id FROM pairing p INNER JOIN pairing_branch vb ON vb.pairing_id = p.id AND vb.branch_id = ? WHERE p.court_id IN (?) ORDER BY p.id DESC LIMIT 20',
      [secretaryBranch, courts[0]],
    );
    await explain(
      'supervisor list (first row)',
      `SELECT p.id FROM pairing p WHERE p.court_id IN (${inCourts}, ?) ORDER BY p.id DESC LIMIT 20`,
      [...courts, supId],
    );
    await explain(
      'cross-court report, pairings of a year (first row)',
      `SELECT p.id FROM pairing p WHERE p.court_id IN (${inCourts}, ?) AND p.year = ?`,
      [...courts, supId, lastYear],
    );
  }
  await app.stop();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
