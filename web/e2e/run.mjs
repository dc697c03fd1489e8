#!/usr/bin/env node
// Browser walk-through of one pairing's whole year, as court staff would do it.
//   E2E_BASE_URL=http://127.0.0.1:3100 node web/e2e/run.mjs
// Needs the API + built UI running on a fresh database with the demo data.
// Screenshots go to test-artifacts/browser/ (repo root). Last line: "N passed, M failed".
import { chromium } from 'playwright-core';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');
const shotDir = path.join(repoRoot, 'test-artifacts', 'browser');
const BASE = (process.env.E2E_BASE_URL || 'http://127.0.0.1:3000').replace(/\/$/, '');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const START_QUARTER = Math.min(4, Math.max(1, Number(process.env.E2E_START_QUARTER || 4)));
const PASSWORD = 'Demo@2026';
const TIMEOUT = Number(process.env.E2E_TIMEOUT_MS || 15000);

// A past year, so every quarter's dates are already behind us ("not after today").
const YEAR = new Date().getFullYear() - 1;
const TAG = `E2E ${Date.now().toString(36)}`;
const TITLE = `立案庭与社会治理中心诉源治理共建（${TAG}）`;

// 1×1 PNG, the smallest honest picture for an activity record.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

mkdirSync(shotDir, { recursive: true });
// Start from a clean folder so old failures are not mistaken for this run's.
for (const f of readdirSync(shotDir)) if (/\.(png|txt)$/.test(f)) rmSync(path.join(shotDir, f));
const userDataDir = mkdtempSync(path.join(tmpdir(), 'gj-e2e-'));

let passed = 0;
let failed = 0;
let skipped = 0;
let stepNo = 0;
let aborted = false;
const consoleErrors = [];

const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: CHROMIUM,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
  viewport: { width: 1280, height: 900 },
  locale: 'zh-CN',
  timezoneId: 'Asia/Shanghai',
  acceptDownloads: true,
});
context.setDefaultTimeout(TIMEOUT);
const page = context.pages()[0] ?? (await context.newPage());
page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
page.on('console', (m) => {
  if (m.type() === 'error') consoleErrors.push(`console: ${m.text()}`);
});

function slug(s) {
  return s.replace(/[^\w\u4e00-\u9fa5-]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
}

async function shot(name) {
  const file = path.join(shotDir, `${String(stepNo).padStart(2, '0')}-${slug(name)}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

async function step(name, fn) {
  stepNo += 1;
  if (aborted) {
    skipped += 1;
    console.log(`- skip ${stepNo}. ${name}`);
    return;
  }
  const t0 = Date.now();
  try {
    await fn();
    await shot(name);
    passed += 1;
    console.log(`✓ ${stepNo}. ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    failed += 1;
    aborted = true; // later steps build on this one
    console.log(`✗ ${stepNo}. ${name}\n    ${String(e?.stack || e).split('\n').slice(0, 6).join('\n    ')}`);
    try {
      await shot(`FAILED-${name}`);
    } catch {
      /* the page may be gone */
    }
  }
}

// ---- helpers -----------------------------------------------------------

async function login(username, password = PASSWORD) {
  await page.goto(`${BASE}/login`);
  await page.evaluate(() => {
    sessionStorage.clear();
    history.replaceState(null, '');
  });
  await page.goto(`${BASE}/login`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.locator('button[type="submit"]').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  await page.getByRole('heading', { name: '工作台' }).waitFor();
}

async function logout() {
  await page.getByRole('button', { name: '退出登录' }).click();
  await page.waitForURL((u) => u.pathname.startsWith('/login'));
}

/** Open an antd Select by its form field id and click the option whose text contains `text`. */
async function pick(scope, fieldId, text) {
  const item = scope.locator('.ant-form-item').filter({ has: page.locator(`#${fieldId}`) }).first();
  await item.locator('.ant-select').first().click();
  const option = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').filter({ hasText: text }).first();
  await option.click();
  // close a multiple select's dropdown
  await page.keyboard.press('Escape').catch(() => undefined);
}

async function typeDate(scope, fieldId, value) {
  const input = scope.locator(`#${fieldId}`);
  await input.click();
  await input.fill(value);
  await input.press('Enter');
  await page.keyboard.press('Escape').catch(() => undefined);
}

async function openPairing(id) {
  await page.goto(`${BASE}/pairings/${id}`);
  await page.getByRole('button', { name: '刷新' }).waitFor();
}

async function expectState(state) {
  await page.locator(`.ant-card .ant-tag[data-state="${state}"]`).first().waitFor({ timeout: TIMEOUT });
}

/** Click an action button (only shown when the server lists it) and return the opened modal. */
async function action(type) {
  const btn = page.locator(`button[data-event="${type}"]:not([disabled])`).first();
  await btn.waitFor();
  await btn.click();
  const modal = page.locator('.ant-modal').filter({ has: page.locator('.ant-modal-title') }).last();
  await modal.waitFor();
  return modal;
}

async function confirm(modal) {
  await modal.locator('.ant-modal-footer .ant-btn-primary').click();
  await modal.waitFor({ state: 'hidden', timeout: TIMEOUT });
}

async function sendEvent(type, fill, nextState) {
  const modal = await action(type);
  if (fill) await fill(modal);
  await confirm(modal);
  if (nextState) await expectState(nextState);
}

let pairingId = null;
const monthOf = (q) => String((q - 1) * 3 + 2).padStart(2, '0'); // middle month of the quarter

// ---- the scenario -------------------------------------------------------

await step('支部书记登录，进入工作台', async () => {
  await login('secretary');
  await page.getByText('我的待办').waitFor();
});

await step('新建结对申报（共建单位、共建内容、联络员）', async () => {
  await page.goto(`${BASE}/pairings/new`);
  await page.getByRole('heading', { name: '新建结对项目' }).waitFor();
  const form = page.locator('form');
  await pick(form, 'year', `${YEAR}年`);
  await page.getByLabel('项目名称').fill(TITLE);
  await page.getByLabel('结对主题').fill('诉源治理 共享法庭');
  await page.getByLabel('拟解决的实际问题').fill('基层矛盾纠纷诉前化解率不高，诉调对接不畅');
  await page.getByLabel('共建目标').fill('开展基层诉源治理大调研，提升诉前化解率');
  await pick(form, 'partnerIds', '平湖市社会治理中心党支部');
  await page.getByRole('checkbox', { name: '组织结对' }).check();
  await page.getByRole('checkbox', { name: '项目结对' }).check();
  await pick(form, 'liaisonUserId', '周联络');
  await page.getByRole('button', { name: '添加共建单位联络员' }).click();
  await pick(form, 'partnerLiaisons_0_partnerId', '平湖市社会治理中心党支部');
  await page.locator('#partnerLiaisons_0_name').fill('张联络');
  await page.locator('#partnerLiaisons_0_phone').fill('0573-85000000');
  await page.getByRole('button', { name: /保\s?存\s?草\s?稿/ }).click();
  await page.waitForURL((u) => /^\/pairings\/[^/]+$/.test(u.pathname) && !u.pathname.endsWith('/new'));
  pairingId = new URL(page.url()).pathname.split('/').pop();
  await expectState('draft');
});

await step('提交申报', async () => {
  await sendEvent('SUBMIT', null, 'proposed');
});

await step('机关党委在审批待办中看到申报', async () => {
  await logout();
  await login('committee');
  await page.goto(`${BASE}/inbox`);
  await page.getByRole('link', { name: new RegExp(TAG) }).first().waitFor();
});

await step('机关党委退回申报并写明意见', async () => {
  await openPairing(pairingId);
  await sendEvent('RETURN', async (m) => {
    await m.getByLabel('意见/理由').fill('请补充共建单位联络员的联系方式，并细化拟解决的问题。');
  }, 'returned');
});

await step('支部书记看到退回意见，修改后重新提交', async () => {
  await logout();
  await login('secretary');
  await openPairing(pairingId);
  await page.getByText('请补充共建单位联络员的联系方式').first().waitFor();
  await page.getByRole('button', { name: '修改申报' }).click();
  await page.getByRole('heading', { name: '修改结对申报' }).waitFor();
  await page.getByLabel('拟解决的实际问题').fill('基层矛盾纠纷诉前化解率不高（上年47%），诉调对接不畅，拟通过共享法庭提升至55%');
  await page.getByRole('button', { name: '保存修改' }).click();
  await page.waitForURL(new RegExp(`/pairings/${pairingId}$`));
  await expectState('returned');
  await sendEvent('SUBMIT', null, 'proposed');
});

await step('机关党委批准', async () => {
  await logout();
  await login('committee');
  await openPairing(pairingId);
  await sendEvent('APPROVE', async (m) => {
    await m.getByLabel('意见（可选）').fill('同意结对。');
  }, 'approved');
});

await step('支部书记签订共建协议书', async () => {
  await logout();
  await login('secretary');
  await openPairing(pairingId);
  await sendEvent('SIGN_AGREEMENT', async (m) => {
    await typeDate(m, 'signedOn', `${YEAR}-01-20`);
    await typeDate(m, 'validFrom', `${YEAR}-01-01`);
    await typeDate(m, 'validTo', `${YEAR}-12-31`);
    await m.getByLabel('共建内容').fill('组织共建、联合调研、共享法庭建设');
    await m.getByLabel('共建要求').fill('每季度召开一次联席会议，确定一天为共建活动日');
  }, 'agreementSigned');
});

await step(`支部书记报送年度计划（自第${START_QUARTER}季度起）`, async () => {
  await sendEvent('FILE_PLAN', async (m) => {
    await pick(m, 'startQuarter', `第${START_QUARTER}季度`);
    await m.getByRole('button', { name: '按季度生成联席会议和活动日' }).click();
    const owners = m.locator('input[id^="items_"][id$="_owner"]');
    const n = await owners.count();
    if (n < 2) throw new Error(`expected generated plan items, got ${n}`);
    for (let i = 0; i < n; i++) await owners.nth(i).fill('李立案');
  }, 'planFiled');
});

await step('机关党委对计划备案', async () => {
  await logout();
  await login('committee');
  await openPairing(pairingId);
  await sendEvent('ACCEPT_PLAN', null, 'active.collecting');
});

for (let q = START_QUARTER; q <= 4; q++) {
  await step(`第${q}季度：登记联席会议（附照片）`, async () => {
    await logout();
    await login('secretary');
    await openPairing(pairingId);
    await sendEvent('RECORD_ACTIVITY', async (m) => {
      await pick(m, 'kind', '联席会议');
      await typeDate(m, 'heldOn', `${YEAR}-${monthOf(q)}-10`);
      await m.getByLabel('活动名称').fill(`第${q}季度结对共建联席会议`);
      await m.getByLabel('活动地点').fill('平湖市人民法院立案庭会议室');
      await m.getByLabel('本院参加人数').fill('6');
      await m.getByLabel('共建单位参加人数').fill('4');
      await m.getByLabel('活动内容摘要').fill('总结交流共建工作开展情况，研究下阶段计划');
      await m.locator('input[type="file"]').setInputFiles({ name: `meeting-q${q}.png`, mimeType: 'image/png', buffer: PNG });
      await m.locator('[data-testid="attachment-list"] li').filter({ hasText: `meeting-q${q}.png` }).waitFor();
    }, 'active.collecting');
    await page.getByRole('tab', { name: /活动登记/ }).click();
    await page.getByRole('cell', { name: `第${q}季度结对共建联席会议` }).waitFor();
  });

  await step(`第${q}季度：登记共建活动日`, async () => {
    await sendEvent('RECORD_ACTIVITY', async (m) => {
      await pick(m, 'kind', '共建活动日');
      await typeDate(m, 'heldOn', `${YEAR}-${monthOf(q)}-18`);
      await m.getByLabel('活动名称').fill(`第${q}季度共建活动日：诉源治理大调研`);
      await m.getByLabel('本院参加人数').fill('10');
      await m.getByLabel('共建单位参加人数').fill('8');
      await m.getByLabel('活动内容摘要').fill('走访村社区，开展诉源治理调研与普法宣传');
    }, 'active.collecting');
    await page.getByRole('tab', { name: /季度考核/ }).click();
  });

  await step(`第${q}季度：报送季度报告`, async () => {
    await sendEvent('SUBMIT_QUARTER_REPORT', async (m) => {
      await m.getByText('联席会议 1 次，共建活动日 1 次').waitFor();
      await m.getByLabel('本季度工作情况').fill(`第${q}季度召开联席会议一次，开展共建活动日一次，计划按期推进。`);
    }, 'active.reportSubmitted');
  });

  await step(`机关党委为第${q}季度评分`, async () => {
    await logout();
    await login('committee');
    await openPairing(pairingId);
    await sendEvent('SCORE_QUARTER', async (m) => {
      await m.locator('#score').fill('92.5');
      await m.getByLabel('意见（可选）').fill('按期完成，资料齐全。');
    }, q < 4 ? 'active.collecting' : 'yearEndReview');
  });
}

await step('支部书记提交年终述职', async () => {
  await logout();
  await login('secretary');
  await openPairing(pairingId);
  await sendEvent('SUBMIT_REVIEW', async (m) => {
    await m.getByLabel('年度工作总结').fill('全年按计划召开联席会议、开展共建活动日，共享法庭建成运行。');
    await m.getByLabel('问题解决情况').fill('诉前化解率由47%提升至59%。');
    await m.locator('#outcomes_0_indicator').fill('诉前化解率');
    await m.locator('#outcomes_0_value').fill('59.26');
    await m.locator('#outcomes_0_unit').fill('%');
    await m.locator('#outcomes_0_baseline').fill('47.04');
  }, 'underReview');
});

await step('机关党委评议述职并评分，项目完成并显示总分', async () => {
  await logout();
  await login('committee');
  await openPairing(pairingId);
  await sendEvent('APPROVE_REVIEW', async (m) => {
    await m.locator('#score').fill('90');
    await m.getByLabel('意见（可选）').fill('成效明显。');
  }, 'scored');
  // finalScore = 0.6 × 92.5 + 0.4 × 90 = 91.50
  await page.locator('[data-testid="final-score"]').filter({ hasText: '91.50' }).first().waitFor();
  await page.getByRole('tab', { name: '办理记录' }).click();
  await page.locator('[data-testid="history-item"][data-type="APPROVE_REVIEW"]').waitFor();
});

await step('审计员校验审计链，结果为 ✓', async () => {
  await logout();
  await login('auditor');
  await page.goto(`${BASE}/audit`);
  await page.getByRole('heading', { name: '审计查询' }).waitFor();
  await page.getByRole('button', { name: '校验审计链' }).click();
  const result = page.locator('[data-testid="verify-result"]');
  await result.waitFor();
  if ((await result.getAttribute('data-ok')) !== 'true') throw new Error(`verify failed: ${await result.innerText()}`);
  await result.getByText('✓').first().waitFor();
});

await step('审计员导出CSV并下载检查点', async () => {
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /导出CSV/ }).click()]);
  const csvPath = path.join(userDataDir, 'audit.csv');
  await csv.saveAs(csvPath);
  const [cp] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /下载检查点/ }).click()]);
  const cpPath = path.join(userDataDir, 'checkpoint.json');
  await cp.saveAs(cpPath);
  const { readFileSync } = await import('node:fs');
  const csvText = readFileSync(csvPath, 'utf8');
  if (!csvText.includes('APPROVE_REVIEW')) throw new Error('CSV export lacks the APPROVE_REVIEW event');
  const checkpoint = JSON.parse(readFileSync(cpPath, 'utf8'));
  if (!checkpoint.signature || !Array.isArray(checkpoint.chains)) throw new Error('checkpoint lacks signature or chains');
});

await step('院党组查看年度评比（排名与柱状图）并下载季度通报Excel', async () => {
  await logout();
  await login('leader');
  await page.goto(`${BASE}/reports`);
  await page.getByRole('heading', { name: '通报与评比' }).waitFor();
  const yearSelect = page.locator('.ant-select:visible').first();
  await yearSelect.click();
  await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').filter({ hasText: `${YEAR}年` }).first().click();
  const qSelect = page.locator('.ant-select:visible').nth(1);
  await qSelect.click();
  await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').filter({ hasText: '第4季度' }).first().click();
  await page.getByRole('link', { name: new RegExp(TAG) }).first().waitFor();
  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /下载Excel/ }).click()]);
  if (!(await xlsx.suggestedFilename()).endsWith('.xlsx')) throw new Error(`bulletin download is ${await xlsx.suggestedFilename()}`);
  await page.getByRole('tab', { name: '年度评比' }).click();
  const ySel = page.locator('.ant-select:visible').first();
  await ySel.click();
  await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').filter({ hasText: `${YEAR}年` }).first().click();
  await page.locator('svg[role="img"]').filter({ hasText: '91.50' }).first().waitFor();
});

await step('管理员新增共建单位并修改联系方式', async () => {
  await logout();
  await login('admin', process.env.E2E_ADMIN_PASSWORD || 'Admin@2026');
  await page.goto(`${BASE}/admin/partners`);
  await page.getByRole('heading', { name: '共建单位管理' }).waitFor();
  const name = `平湖市某社区党支部（E2E ${Date.now().toString(36)}）`;
  await page.getByRole('button', { name: '新增共建单位' }).click();
  const modal = page.locator('.ant-modal:visible').last();
  await modal.getByLabel('单位（党支部）名称').fill(name);
  await pick(modal, 'kind', '村社区');
  await modal.locator('.ant-modal-footer .ant-btn-primary').click();
  await modal.waitFor({ state: 'hidden' });
  const row = page.locator('tr').filter({ hasText: name });
  await row.waitFor();
  await row.getByRole('button', { name: /编\s?辑/ }).click();
  const edit = page.locator('.ant-modal:visible').last();
  await edit.getByLabel('联系方式（可选）').fill('0573-85111111');
  await edit.locator('.ant-modal-footer .ant-btn-primary').click();
  await edit.waitFor({ state: 'hidden' });
  await page.locator('tr').filter({ hasText: name }).filter({ hasText: '0573-85111111' }).waitFor();
});

await step('手机宽度（375px）下查看项目页和菜单', async () => {
  await logout();
  await login('secretary');
  await page.setViewportSize({ width: 375, height: 812 });
  await openPairing(pairingId);
  await expectState('scored');
  await page.getByRole('button', { name: '打开菜单' }).click();
  await page.locator('.ant-drawer').getByRole('menuitem', { name: /结对项目/ }).waitFor();
  await page.waitForTimeout(400); // let the drawer finish sliding in before the picture
});

await context.close();
rmSync(userDataDir, { recursive: true, force: true });

if (consoleErrors.length) {
  const log = path.join(shotDir, 'console-errors.txt');
  writeFileSync(log, consoleErrors.join('\n') + '\n');
  console.log(`(${consoleErrors.length} browser console errors logged to ${path.relative(repoRoot, log)})`);
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed || skipped ? 1 : 0);
