import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** These tests run the built service (`npm run build:api`, done by `pretest`) as a real process. */
const MAIN = join(__dirname, '..', 'dist', 'src', 'main.js');

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('The service as a process', () => {
  it.each([
    [{ DATABASE_URL: 'postgres://localhost/gongjian' }, 'DATABASE_URL'],
    [{ PORT: 'abc' }, 'PORT'],
    [{ NODE_ENV: 'production', ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'long-enough-1' }, 'JWT_SECRET'],
  ])('refuses to start on %j with one sentence naming %s', (env, variable) => {
    const result = spawnSync(process.execPath, [MAIN], { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8', timeout: 30_000 });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^Gongjian cannot start: .*${variable}.*\\.$`));
  });

  describe('logging', () => {
    let child: ChildProcess;
    let output = '';
    let base = '';
    let dataDir = '';

    beforeAll(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'gongjian-logs-'));
      const port = await freePort();
      base = `http://127.0.0.1:${port}`;
      child = spawn(process.execPath, [MAIN], {
        env: {
          PATH: process.env.PATH,
          PORT: String(port),
          DATA_DIR: dataDir,
          DATABASE_URL: `sqlite:${dataDir}/db.sqlite`,
          LOG_LEVEL: 'debug',
          SEED_DEMO_PAIRINGS: 'false',
          JOB_POLL_MS: '0',
        },
      });
      child.stdout!.on('data', (chunk) => (output += chunk));
      child.stderr!.on('data', (chunk) => (output += chunk));
      for (let i = 0; i < 120 && !output.includes('is running at'); i++) await new Promise((r) => setTimeout(r, 250));
    });

    afterAll(async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('warns once, in one line, that it signs with the public development secret', () => {
      const warnings = output.split('\n').filter((line) => /JWT_SECRET/.test(line));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/^Warning: JWT_SECRET is not set, .*public development secret.*\.$/);
    });

    it('prints the URL and the demo logins at start', () => {
      expect(output).toContain(`is running at http://localhost:`);
      expect(output).toMatch(/committee\s+committee/);
    });

    it('serves the web UI with the security headers of the API (a CSP it runs under, no framing)', async () => {
      for (const path of ['/', '/pairings/1', '/favicon.svg']) {
        const res = await fetch(`${base}${path}`);
        expect(res.status).toBe(200);
        expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
        expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
        expect(res.headers.get('x-frame-options')).toBe('DENY');
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
        expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      }
    });

    it('writes JSON lines with request ids, and never a password or a token', async () => {
      const login = await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'committee', password: 'Demo@2026' }),
      });
      const { accessToken } = (await login.json()) as { accessToken: string };
      await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'committee', password: 'Wrong-Secret-9' }),
      });
      const refused = await fetch(`${base}/api/users`, {
        headers: { authorization: `Bearer ${accessToken}`, 'x-request-id': 'trace-me-123' },
      });
      expect(refused.status).toBe(403);
      expect(((await refused.json()) as { requestId: string }).requestId).toBe('trace-me-123');
      await new Promise((r) => setTimeout(r, 300));

      const lines = output.split('\n').filter((line) => line.startsWith('{'));
      expect(lines.length).toBeGreaterThan(3);
      const logged = lines.map((line) => JSON.parse(line));
      expect(logged.some((entry) => entry.req?.id === 'trace-me-123')).toBe(true);
      // The banner names the public demo password on purpose; the logs themselves must never carry one.
      const logText = lines.join('\n');
      expect(logText).not.toContain('Demo@2026');
      expect(logText).not.toContain('Wrong-Secret-9');
      expect(output).not.toContain(accessToken.split('.')[2]);
    });
  });
});
