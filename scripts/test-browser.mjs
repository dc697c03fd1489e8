#!/usr/bin/env node
// Browser tests: start the built service on a fresh SQLite database with the demo data and a free port,
// run web/e2e/run.mjs (a pairing's year), web/e2e/audit.mjs (what the committee and an auditor read) and web/e2e/partner.mjs (a partner's liaison on a phone) against it in Debian's headless Chromium, stop the service, pass on the exit code.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (!existsSync(chromium)) {
  console.error(`Browser tests need Chromium at ${chromium} (apt-get install -y chromium).`);
  process.exit(1);
}
for (const file of ['dist/src/main.js', 'web/dist/index.html']) {
  if (!existsSync(path.join(root, file))) {
    console.error(`Browser tests need a build: ${file} is missing (run npm run build).`);
    process.exit(1);
  }
}

const port = await new Promise((resolve) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const { port: free } = probe.address();
    probe.close(() => resolve(free));
  });
});
const dataDir = mkdtempSync(path.join(tmpdir(), 'gongjian-browser-'));
const server = spawn(process.execPath, ['dist/src/main.js'], {
  cwd: root,
  env: { ...process.env, PORT: String(port), DATABASE_URL: `sqlite:${dataDir}/gongjian.sqlite`, DATA_DIR: dataDir, REDIS_URL: '', LOG_LEVEL: 'warn', NODE_ENV: 'development' },
  stdio: ['ignore', 'inherit', 'inherit'],
});

const base = `http://127.0.0.1:${port}`;
let code = 1;
try {
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/api/health`)).ok) break;
    } catch {
      // not up yet
    }
    if (i > 120) throw new Error('the service did not start within 60 s');
    await new Promise((r) => setTimeout(r, 500));
  }
  code = 0;
  for (const script of ['web/e2e/run.mjs', 'web/e2e/audit.mjs', 'web/e2e/partner.mjs', 'web/e2e/courts.mjs']) {
    const exit = await new Promise((resolve) => {
      const run = spawn(process.execPath, [script], { cwd: root, env: { ...process.env, E2E_BASE_URL: base }, stdio: 'inherit' });
      run.on('exit', (c) => resolve(c ?? 1));
    });
    code = code || exit;
  }
} catch (error) {
  console.error(`Browser tests could not run: ${error.message}`);
} finally {
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(code);
