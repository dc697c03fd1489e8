#!/usr/bin/env node
// Browser walk-through of many courts in one installation (SPEC §11): 嘉兴中院's supervisor signs in, compares
// the courts below it (chart beside the table), looks at all their pairings at once; a secretary of 平湖 sees
// only 平湖's; the platform admin manages the courts.
//   E2E_BASE_URL=http://127.0.0.1:3100 node web/e2e/courts.mjs
// Needs the API + built UI running on a fresh database with the full demo (JX above PH and HY). Screenshots go
// to test-artifacts/browser/courts-*.png. Last line: "N passed, M failed".
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');
const shotDir = path.join(repoRoot, 'test-artifacts', 'browser');
const BASE = (process.env.E2E_BASE_URL || 'http://127.0.0.1:3000').replace(/\/$/, '');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const PASSWORD = 'Demo@2026';
const TIMEOUT = Number(process.env.E2E_TIMEOUT_MS || 15000);
const YEAR = new Date().getFullYear() - 1;

mkdirSync(shotDir, { recursive: true });
for (const f of readdirSync(shotDir)) if (/^courts-.*\.png$/.test(f)) rmSync(path.join(shotDir, f));
const work = mkdtempSync(path.join(tmpdir(), 'gj-e2e-courts-'));

let passed = 0;
let failed = 0;
let stepNo = 0;
let aborted = false;

const context = await chromium.launchPersistentContext(path.join(work, 'profile'), {
  executablePath: CHROMIUM,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  viewport: { width: 1280, height: 900 },
  locale: 'zh-CN',
  timezoneId: 'Asia/Shanghai',
});
context.setDefaultTimeout(TIMEOUT);
const page = context.pages()[0] ?? (await context.newPage());

async function step(name, fn) {
  stepNo += 1;
  if (aborted) {
    console.log(`- skip ${stepNo}. ${name}`);
    failed += 1;
    return;
  }
  const t0 = Date.now();
  const file = path.join(shotDir, `courts-${String(stepNo).padStart(2, '0')}.png`);
  try {
    await fn();
    await page.waitForTimeout(150);
    await page.screenshot({ path: file, fullPage: true });
    passed += 1;
    console.log(`✓ ${stepNo}. ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    failed += 1;
    aborted = true;
    console.log(`✗ ${stepNo}. ${name}\n    ${String(e?.stack || e).split('\n').slice(0, 6).join('\n    ')}`);
    await page.screenshot({ path: file.replace('.png', '-FAILED.png'), fullPage: true }).catch(() => undefined);
  }
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

// ---- the API, for the steps that only set the scene ----------------------------------------

const tokens = new Map();
async function token(username) {
  if (!tokens.has(username)) {
    const res = await fetch(`${BASE}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username, password: PASSWORD }),
    });
    if (!res.ok) throw new Error(`login ${username}: ${res.status}`);
    tokens.set(username, (await res.json()).accessToken);
  }
  return tokens.get(username);
}
async function api(as, method, url, body) {
  const res = await fetch(`${BASE}${url}`, {
    method,
    headers: { Authorization: `Bearer ${await token(as)}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json().catch(() => null);
  if (!res.ok) throw new Error(`${as} ${method} ${url}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function login(username) {
  await page.goto(`${BASE}/login`);
  await page.evaluate(() => sessionStorage.clear());
  await page.goto(`${BASE}/login`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(PASSWORD);
  await page.locator('button[type="submit"]').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

/** The page fits the phone: nothing sticks out sideways. */
async function fitsWidth(what) {
  const { scroll, inner } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
  check(scroll <= inner + 1, `${what}: the page is ${scroll}px wide on a ${inner}px screen`);
}

let pairing;


await step('上级法院（嘉兴中院）登录，页眉写着所在法院，可选择查看的法院', async () => {
  await login('supervisor');
  const picker = page.getByTestId('court-switch');
  await picker.waitFor();
  check((await picker.innerText()).includes('嘉兴市中级人民法院'), 'the header does not name the supervisor’s court');
});

await step('各院对比：图表旁是各院达标率、逾期季度和平均分，跨院排名写明法院', async () => {
  await page.getByRole('menuitem', { name: '各院对比' }).click();
  const table = page.getByTestId('courts-table');
  await table.getByText('海盐县人民法院').waitFor();
  await table.getByText('平湖市人民法院').waitFor();
  await page.getByTestId('courts-chart').waitFor();
  const report = await api('supervisor', 'GET', `/api/reports/courts?year=${YEAR}`);
  check(report.courts.length === 3, `expected JX, PH and HY, got ${report.courts.map((c) => c.code)}`);
  const year = page.getByRole('combobox', { name: '年度' });
  await year.click();
  await page.getByTitle(`${YEAR}年`).click();
  await page.getByRole('link', { name: new RegExp(`^PH-${YEAR}-`) }).first().waitFor();
  await page.getByRole('link', { name: new RegExp(`^HY-${YEAR}-`) }).first().waitFor();
  const ranked = report.ranking.pairings.map((p) => p.courtName);
  check(ranked.includes('平湖市人民法院') && ranked.includes('海盐县人民法院'), 'the ranking across courts misses a court');
});

await step('选“本院及下级法院（全部）”，结对项目列出平湖和海盐的项目', async () => {
  await page.getByTestId('court-switch').click();
  await page.getByTitle('本院及下级法院（全部）').click();
  await page.getByRole('menuitem', { name: '结对项目' }).click();
  await page.getByText(/^HY-\d{4}-\d{3}$/).first().waitFor();
  await page.getByText(/^PH-\d{4}-\d{3}$/).first().waitFor();
});

await step('平湖的支部书记只看到本院：页眉写着平湖市人民法院，列表里没有海盐的项目', async () => {
  await login('secretary');
  const court = page.getByTestId('current-court');
  await court.waitFor();
  check((await court.innerText()).includes('平湖市人民法院'), 'the secretary’s header does not name their court');
  await page.getByRole('menuitem', { name: '结对项目' }).click();
  await page.getByText(/^PH-\d{4}-\d{3}$/).first().waitFor();
  check((await page.getByText(/^HY-/).count()) === 0, 'a secretary of 平湖 sees a pairing of 海盐');
});

await step('平台管理员在法院管理中看到三个法院及其上级', async () => {
  await page.evaluate(() => sessionStorage.clear());
  await page.goto(`${BASE}/login`);
  await page.getByLabel('用户名').fill('admin');
  await page.getByLabel('密码').fill(process.env.E2E_ADMIN_PASSWORD || 'Admin@2026');
  await page.locator('button[type="submit"]').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  await page.goto(`${BASE}/admin/courts`);
  for (const name of ['嘉兴市中级人民法院', '平湖市人民法院', '海盐县人民法院']) await page.getByRole('cell', { name, exact: true }).first().waitFor();
  const haiyan = page.locator('tr').filter({ hasText: '海盐县人民法院' });
  check((await haiyan.innerText()).includes('嘉兴市中级人民法院'), '海盐 is not shown below 嘉兴中院');
  await page.getByTestId('court-admin-HY').waitFor();
});

await context.close();
rmSync(work, { recursive: true, force: true });
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
