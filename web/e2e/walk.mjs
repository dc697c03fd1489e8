// The frame every browser walk-through shares: Debian's headless Chromium through playwright-core, numbered
// steps with a screenshot each (test-artifacts/browser/<name>-NN.png; -FAILED.png for the one that failed,
// after which the rest are skipped), the API for the steps that only set the scene, and the demo sign-in.
//   const walk = await openWalk('courts', { phone: true });
//   await walk.step('…', async () => { … walk.check(ok, 'what is wrong'); });
//   await walk.finish(); // prints "N passed, M failed" and exits with 1 when one failed
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..', '..');
export const shotDir = path.join(repoRoot, 'test-artifacts', 'browser');
export const BASE = (process.env.E2E_BASE_URL || 'http://127.0.0.1:3000').replace(/\/$/, '');
export const PASSWORD = 'Demo@2026';
export const ADMIN_PASSWORD = process.env.E2E_ADMIN_PASSWORD || 'Admin@2026';
export const YEAR = new Date().getFullYear() - 1;
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const TIMEOUT = Number(process.env.E2E_TIMEOUT_MS || 15000);

export function check(condition, message) {
  if (!condition) throw new Error(message);
}

/**
 * `name` prefixes the screenshots (and clears the last run's); `phone` opens a 390 px touch screen instead of
 * a 1280 px desktop; `settleMs` is waited after each step before its screenshot.
 */
export async function openWalk(name, { phone = false, acceptDownloads = false, settleMs = 150 } = {}) {
  mkdirSync(shotDir, { recursive: true });
  const own = new RegExp(`^${name}-.*\\.png$`);
  for (const f of readdirSync(shotDir)) if (own.test(f)) rmSync(path.join(shotDir, f));
  const work = mkdtempSync(path.join(tmpdir(), `gj-e2e-${name}-`));

  const context = await chromium.launchPersistentContext(path.join(work, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    ...(phone ? { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } : { viewport: { width: 1280, height: 900 } }),
    ...(acceptDownloads ? { acceptDownloads: true } : {}),
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  context.setDefaultTimeout(TIMEOUT);
  const page = context.pages()[0] ?? (await context.newPage());

  let passed = 0;
  let failed = 0;
  let stepNo = 0;
  let aborted = false;

  async function step(title, fn) {
    stepNo += 1;
    if (aborted) {
      console.log(`- skip ${stepNo}. ${title}`);
      failed += 1;
      return;
    }
    const t0 = Date.now();
    const file = path.join(shotDir, `${name}-${String(stepNo).padStart(2, '0')}.png`);
    try {
      await fn();
      if (settleMs) await page.waitForTimeout(settleMs);
      await page.screenshot({ path: file, fullPage: true });
      passed += 1;
      console.log(`✓ ${stepNo}. ${title} (${Date.now() - t0} ms)`);
    } catch (e) {
      failed += 1;
      aborted = true;
      console.log(`✗ ${stepNo}. ${title}\n    ${String(e?.stack || e).split('\n').slice(0, 6).join('\n    ')}`);
      await page.screenshot({ path: file.replace('.png', '-FAILED.png'), fullPage: true }).catch(() => undefined);
    }
  }

  const tokens = new Map();
  async function token(username) {
    if (!tokens.has(username)) {
      const res = await fetch(`${BASE}/api/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username, password: username === 'admin' ? ADMIN_PASSWORD : PASSWORD }),
      });
      if (!res.ok) throw new Error(`login ${username}: ${res.status}`);
      tokens.set(username, (await res.json()).accessToken);
    }
    return tokens.get(username);
  }

  /** The API as `as`; a FormData body goes as multipart. */
  async function api(as, method, url, body) {
    const form = body instanceof FormData;
    const res = await fetch(`${BASE}${url}`, {
      method,
      headers: { Authorization: `Bearer ${await token(as)}`, ...(form ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : form ? body : JSON.stringify(body),
    });
    const json = await res.json().catch(() => null);
    if (!res.ok) throw new Error(`${as} ${method} ${url}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  }
  const send = (as, id, event) => api(as, 'POST', `/api/pairings/${id}/events`, event);

  /** Signs in through the login page, as a demo user, from a clean session. */
  async function login(username) {
    await page.goto(`${BASE}/login`);
    await page.evaluate(() => sessionStorage.clear());
    await page.goto(`${BASE}/login`);
    await page.getByLabel('用户名').fill(username);
    await page.getByLabel('密码').fill(PASSWORD);
    await page.locator('button[type="submit"]').click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  }

  /** The page fits the screen: nothing sticks out sideways. */
  async function fitsWidth(what) {
    const { scroll, inner } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
    check(scroll <= inner + 1, `${what}: the page is ${scroll}px wide on a ${inner}px screen`);
  }

  async function finish() {
    await context.close();
    rmSync(work, { recursive: true, force: true });
    console.log(`${passed} passed, ${failed} failed`);
    process.exit(failed ? 1 : 0);
  }

  return { context, page, work, step, token, api, send, login, fitsWidth, finish };
}
