#!/usr/bin/env node
// Browser walk-through of a pairing's whole year, as court staff would do it — once at desktop width and once
// on a phone (390 px), checking on the way what used to get in the way of a clerk.
//   E2E_BASE_URL=http://127.0.0.1:3100 node web/e2e/run.mjs
// Needs the API + built UI running on a fresh database with the demo data.
// Screenshots go to test-artifacts/browser/ (repo root). Last line: "N passed, M failed".
import { chromium } from 'playwright-core';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
const ADMIN_PASSWORD = process.env.E2E_ADMIN_PASSWORD || 'Admin@2026';
const TIMEOUT = Number(process.env.E2E_TIMEOUT_MS || 15000);

// A past year, so every quarter's dates are already behind us ("not after today").
const YEAR = new Date().getFullYear() - 1;
const DESKTOP = { name: 'desktop', width: 1280, height: 900 };
const PHONE = { name: 'phone', width: 390, height: 844 };

// 1×1 PNG, the smallest honest picture for an activity record.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

mkdirSync(shotDir, { recursive: true });
// Start from a clean folder so old failures are not mistaken for this run's.
for (const f of readdirSync(shotDir)) if (/\.(png|txt)$/.test(f)) rmSync(path.join(shotDir, f));
const userDataDir = mkdtempSync(path.join(tmpdir(), 'gj-e2e-'));

let passed = 0;
let failed = 0;
let skipped = 0;
let stepNo = 0;
let aborted = false;
let viewport = DESKTOP;
const consoleErrors = [];

const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: CHROMIUM,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
  viewport: { width: DESKTOP.width, height: DESKTOP.height },
  locale: 'zh-CN',
  timezoneId: 'Asia/Shanghai',
  acceptDownloads: true,
});
context.setDefaultTimeout(TIMEOUT);
const page = context.pages()[0] ?? (await context.newPage());
page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
page.on('console', (m) => {
  // Refusals the walk provokes on purpose (an ended sign-in: 401; a score of 105: 400) are logged by the browser too.
  if (m.type() === 'error' && !/(401 \(Unauthorized\)|400 \(Bad Request\))/.test(m.text())) consoleErrors.push(`console: ${m.text()}`);
});

function slug(s) {
  return s.replace(/[^\w\u4e00-\u9fa5-]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
}

async function shot(name) {
  const file = path.join(shotDir, `${String(stepNo).padStart(2, '0')}-${viewport.name}-${slug(name)}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

async function step(name, fn) {
  stepNo += 1;
  if (aborted) {
    skipped += 1;
    console.log(`- skip ${stepNo}. [${viewport.name}] ${name}`);
    return;
  }
  const t0 = Date.now();
  try {
    await fn();
    await page.waitForTimeout(150); // let antd's animations settle before the picture
    await shot(name);
    passed += 1;
    console.log(`✓ ${stepNo}. [${viewport.name}] ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    failed += 1;
    aborted = true; // later steps build on this one
    console.log(`✗ ${stepNo}. [${viewport.name}] ${name}\n    ${String(e?.stack || e).split('\n').slice(0, 6).join('\n    ')}`);
    try {
      await shot(`FAILED-${name}`);
    } catch {
      /* the page may be gone */
    }
  }
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

// ---- helpers -----------------------------------------------------------

async function login(username, password = PASSWORD) {
  await page.goto(`${BASE}/login`);
  await page.evaluate(() => sessionStorage.clear());
  await page.goto(`${BASE}/login`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.locator('button[type="submit"]').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

/** Signs out from wherever the page is; the next person must start at the workbench. */
async function logout() {
  await page.getByRole('button', { name: '退出登录' }).click();
  await page.waitForURL((u) => u.pathname.startsWith('/login'));
}

async function loginAfterSignOut(username, password = PASSWORD) {
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.locator('button[type="submit"]').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  const where = new URL(page.url()).pathname;
  check(where === '/', `after sign-out and sign-in as ${username} the page is ${where}, not the home page`);
  // Leaders and the committee start at the year at a glance, everyone else at their workbench.
  await page.getByRole('heading', { name: OVERVIEW_HOME.includes(username) ? '总览' : '工作台' }).waitFor();
}

const OVERVIEW_HOME = ['committee', 'leader'];

/**
 * Open an antd Select by its form field id and click the option whose text contains `text`. A click while the
 * dropdown is still sliding open can miss, so the choice is checked and tried again.
 */
async function pick(scope, fieldId, text) {
  const item = scope.locator('.ant-form-item').filter({ has: page.locator(`#${fieldId}`) }).first();
  const select = item.locator('.ant-select').first();
  for (let attempt = 0; attempt < 3; attempt++) {
    await select.click();
    const option = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').filter({ hasText: text }).first();
    await option.waitFor();
    await page.waitForTimeout(200);
    await option.click();
    await closePopup();
    if ((await select.innerText()).includes(text)) return;
  }
  throw new Error(`could not choose “${text}” in ${fieldId}`);
}

/**
 * A select's dropdown or a date picker left open is closed with Escape, once it has had a moment to close by
 * itself: with nothing open, Escape goes to the dialog around the field and closes the dialog.
 */
async function closePopup() {
  const open = page.locator('.ant-select-dropdown:visible, .ant-picker-dropdown:visible').first();
  if (!(await open.count())) return;
  if (await open.waitFor({ state: 'hidden', timeout: 500 }).then(() => true, () => false)) return;
  await page.keyboard.press('Escape');
  await open.waitFor({ state: 'hidden' });
}

async function typeDate(scope, fieldId, value) {
  const input = scope.locator(`#${fieldId}`);
  await input.click();
  await input.fill(value);
  await input.press('Enter');
  await closePopup();
  check((await input.inputValue()) === value, `${fieldId} shows ${await input.inputValue()}, not ${value}`);
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
  // A click while the dialog is still zooming in can miss its buttons.
  await page.waitForTimeout(300);
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

async function tab(name) {
  await page.getByRole('tab', { name }).click();
}

/** The page fits the phone: nothing sticks out sideways. */
async function fitsWidth(what) {
  const { scroll, inner } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
  check(scroll <= inner + 1, `${what}: the page is ${scroll}px wide on a ${inner}px screen`);
}

const monthOf = (q) => String((q - 1) * 3 + 2).padStart(2, '0'); // middle month of the quarter

// ---- the year, at one width ---------------------------------------------

async function walkYear(size) {
  viewport = size;
  await page.setViewportSize({ width: size.width, height: size.height });
  const phone = size === PHONE;
  const TAG = `E2E ${size.name} ${Date.now().toString(36)}`;
  const TITLE = `立案庭与社会治理中心诉源治理共建（${TAG}）`;
  let pairingId = null;
  let code = null;

  await step('支部书记登录，进入工作台（登录页列出全部演示账号）', async () => {
    await page.goto(`${BASE}/login`);
    await page.evaluate(() => sessionStorage.clear());
    await page.goto(`${BASE}/login`);
    await page.getByText('演示账号').click();
    for (const name of ['secretary3', 'secretary4', 'member', 'committee']) await page.getByText(new RegExp(name)).first().waitFor();
    await login('secretary');
    await page.getByText('我的待办').waitFor();
  });

  await step('新建草稿：只需年度和项目名称，没有多余的必填星号', async () => {
    await page.goto(`${BASE}/pairings/new`);
    await page.getByRole('heading', { name: '新建结对项目' }).waitFor();
    const required = await page.locator('form .ant-form-item-required').allInnerTexts();
    check(JSON.stringify(required.map((s) => s.trim())) === JSON.stringify(['年度', '项目名称']), `required marks: ${required.join(', ')}`);
    await pick(page.locator('form'), 'year', `${YEAR}年`);
    await page.getByLabel('项目名称').fill(TITLE);
    await page.getByRole('button', { name: /保\s?存\s?草\s?稿/ }).click();
    await page.waitForURL((u) => /^\/pairings\/\d+$/.test(u.pathname));
    pairingId = new URL(page.url()).pathname.split('/').pop();
    await expectState('draft');
    code = (await page.locator('.gj-pairing-head .ant-typography-secondary').first().innerText()).trim();
  });

  await step('未填完的草稿不能提交，并说明缺哪些内容', async () => {
    const blocked = page.locator('button[data-event="SUBMIT"][data-blocked="PROPOSAL_INCOMPLETE"]');
    await blocked.waitFor();
    const why = await page.locator('li').filter({ hasText: '提交申报：' }).first().innerText();
    // Exactly what is missing, by the form's own labels — not a list of everything.
    check(why.trim() === '提交申报：申报内容不完整，请填写：结对主题、拟解决的实际问题、共建单位、共建内容、本支部联络员', `the blocked SUBMIT says: ${why}`);
  });

  await step('补全申报（共建单位、共建内容、联络员）并提交', async () => {
    await page.locator(`a[href="/pairings/${pairingId}/edit"]`).click();
    await page.getByRole('heading', { name: '修改结对申报' }).waitFor();
    const form = page.locator('form');
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
    await page.getByRole('button', { name: /保\s?存\s?修\s?改/ }).click();
    await page.waitForURL(new RegExp(`/pairings/${pairingId}$`));
    await sendEvent('SUBMIT', null, 'proposed');
  });

  await step('机关党委在审批待办中看到申报，退回并写明理由', async () => {
    await logout();
    await loginAfterSignOut('committee');
    await page.goto(`${BASE}/inbox`);
    await page.getByRole('link', { name: new RegExp(TAG) }).first().click();
    await page.waitForURL(new RegExp(`/pairings/${pairingId}$`));
    await sendEvent('RETURN', async (m) => {
      await m.getByLabel('意见/理由').fill('请补充共建单位联络员的联系方式，并细化拟解决的问题。');
    }, 'returned');
  });

  await step('支部书记只收到一条退回通知，写着理由和要办的事', async () => {
    await logout();
    await loginAfterSignOut('secretary');
    const notices = page.locator('[data-testid="notification"]').filter({ hasText: code });
    await notices.first().waitFor();
    const texts = await notices.allInnerTexts();
    check(texts.length === 1, `${texts.length} notices about ${code} for the secretary: ${texts.join(' | ')}`);
    check(texts[0].includes('退回修改') && texts[0].includes('理由：请补充共建单位联络员的联系方式'), `notice: ${texts[0]}`);
    check(texts[0].includes('待您办理：按退回意见修改申报'), `notice does not say what to do: ${texts[0]}`);
    check(/\d{4}-\d{2}-\d{2} \d{2}:\d{2} \(UTC\+8\)/.test(texts[0]), `notice time is not local with its offset: ${texts[0]}`);
  });

  await step('支部书记点工作台上待办事项所在的行（不必点链接），打开该项目', async () => {
    const task = page.locator('[data-testid="task"]').filter({ hasText: code });
    // The task reads on one or two lines, not squeezed to a character a line beside the pairing's long name.
    const text = await task.getByTestId('task-text').boundingBox();
    check(text && text.width >= 6 * 14 && text.height <= 2 * 24, `the task text is squeezed to ${Math.round(text?.width)}×${Math.round(text?.height)} px`);
    await task.getByText('按退回意见修改申报').click();
    await page.waitForURL(new RegExp(`/pairings/${pairingId}$`));
    await page.getByRole('button', { name: '刷新' }).waitFor();
  });

  await step('支部书记看到退回意见，修改后重新提交', async () => {
    await openPairing(pairingId);
    await page.getByText('请补充共建单位联络员的联系方式').first().waitFor();
    await page.locator(`a[href="/pairings/${pairingId}/edit"]`).click();
    await page.getByRole('heading', { name: '修改结对申报' }).waitFor();
    await page.getByLabel('拟解决的实际问题').fill('基层矛盾纠纷诉前化解率不高（上年47%），诉调对接不畅，拟通过共享法庭提升至55%');
    await page.getByRole('button', { name: /保\s?存\s?修\s?改/ }).click();
    await page.waitForURL(new RegExp(`/pairings/${pairingId}$`));
    await expectState('returned');
    await sendEvent('SUBMIT', null, 'proposed');
  });

  await step('机关党委：已处理的“待您办理”标为已办结；批准申报', async () => {
    await logout();
    await loginAfterSignOut('committee');
    // The committee's home is the overview; its notices are on the workbench, one click away.
    await page.goto(`${BASE}/workbench`);
    await page.getByRole('heading', { name: '工作台' }).waitFor();
    const mine = page.locator('[data-testid="notification"]').filter({ hasText: code });
    await mine.first().waitFor();
    const states = await mine.evaluateAll((els) => els.map((e) => [e.getAttribute('data-kind'), e.getAttribute('data-done')]));
    // Newest first: the resubmission waits on the committee; the first submission's notice is done.
    check(JSON.stringify(states) === JSON.stringify([['WAITING', 'false'], ['WAITING', 'true']]), `committee notices: ${JSON.stringify(states)}`);
    await mine.nth(1).getByText('已办结').waitFor();
    await openPairing(pairingId);
    await sendEvent('APPROVE', async (m) => {
      await m.getByLabel('意见（可选）').fill('同意结对。');
    }, 'approved');
  });

  await step('支部书记签订共建协议书', async () => {
    await logout();
    await loginAfterSignOut('secretary');
    await openPairing(pairingId);
    await sendEvent('SIGN_AGREEMENT', async (m) => {
      await typeDate(m, 'signedOn', `${YEAR}-01-20`);
      await typeDate(m, 'validFrom', `${YEAR}-01-01`);
      await typeDate(m, 'validTo', `${YEAR}-12-31`);
      await m.getByLabel('共建内容').fill('组织共建、联合调研、共享法庭建设');
      await m.getByLabel('共建要求').fill('每季度召开一次联席会议，确定一天为共建活动日');
    }, 'agreementSigned');
  });

  await step(`支部书记报送年度计划（自第${START_QUARTER}季度起），已过的完成时限有提示`, async () => {
    await sendEvent('FILE_PLAN', async (m) => {
      await pick(m, 'startQuarter', `第${START_QUARTER}季度`);
      await m.getByRole('button', { name: '按季度生成联席会议和活动日' }).click();
      const owners = m.locator('input[id^="items_"][id$="_owner"]');
      const n = await owners.count();
      check(n >= 2, `expected generated plan items, got ${n}`);
      for (let i = 0; i < n; i++) await owners.nth(i).fill('李立案');
      // Last year's due dates have all passed: each says so (a warning, not a refusal).
      const warnings = await m.getByText('该完成时限已过').count();
      check(warnings === n, `${warnings} due-date warnings for ${n} items`);
      if (!phone) await shot('plan-form');
    }, 'planFiled');
  });

  await step('机关党委对计划备案', async () => {
    await logout();
    await loginAfterSignOut('committee');
    await openPairing(pairingId);
    await sendEvent('ACCEPT_PLAN', null, 'active.collecting');
  });

  for (let q = START_QUARTER; q <= 4; q++) {
    await step(`第${q}季度：登记联席会议（附照片）`, async () => {
      await logout();
      await loginAfterSignOut('secretary');
      await openPairing(pairingId);
      await sendEvent('RECORD_ACTIVITY', async (m) => {
        await m.getByTestId('open-quarters').getByText(`可登记第${q}季度`).waitFor();
        await pick(m, 'kind', '联席会议');
        await typeDate(m, 'heldOn', `${YEAR}-${monthOf(q)}-10`);
        await m.getByLabel('活动名称').fill(`第${q}季度结对共建联席会议`);
        await m.getByLabel('活动地点').fill('平湖市人民法院立案庭会议室');
        await m.getByLabel('本院参加人数').fill('6');
        await m.getByLabel('共建单位参加人数').fill('4');
        await m.getByLabel('活动内容摘要').fill('总结交流共建工作开展情况，研究下阶段计划');
        await m.locator('input[type="file"]').setInputFiles({ name: `meeting-q${q}.png`, mimeType: 'image/png', buffer: PNG });
        await m.locator('[data-testid="attachment-list"] li').filter({ hasText: `meeting-q${q}.png` }).waitFor();
        if (phone) await shot(`phone-record-activity-q${q}`);
      }, 'active.collecting');
      await tab(/活动/);
      await page.getByRole('cell', { name: `第${q}季度结对共建联席会议` }).waitFor();
      // The quarter is written out in full and the 作废 button has a column of its own.
      await page.getByRole('cell', { name: `第${q}季度`, exact: true }).first().waitFor();
      await page.locator('th').filter({ hasText: '操作' }).first().waitFor();
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
      await tab(/季度/);
      if (phone) {
        // One card per quarter, the current one first and marked.
        const first = page.locator('.gj-quarter-cards .ant-card').first();
        await first.getByText('当前').waitFor();
        check((await first.getAttribute('data-testid')) === `quarter-card-${q}`, 'the current quarter is not the first card');
        await fitsWidth('the quarter table');
      }
    });

    await step(`第${q}季度：报送季度报告；报送后登记活动说明原因`, async () => {
      await sendEvent('SUBMIT_QUARTER_REPORT', async (m) => {
        await m.getByText('联席会议 1 次，共建活动日 1 次').waitFor();
        await m.getByLabel('本季度工作情况').fill(`第${q}季度召开联席会议一次，开展共建活动日一次，计划按期推进。`);
      }, 'active.reportSubmitted');
      // The quarter is reported and (for last year's pairing) no other quarter is open: say why, never a dead form.
      if (q === 4) {
        await page.locator('button[data-event="RECORD_ACTIVITY"][data-blocked="NO_OPEN_QUARTER"]').waitFor();
        await page.locator('li').filter({ hasText: '登记活动：目前没有可登记活动的季度' }).first().waitFor();
        check((await page.getByText(/不早于第/).count()) === 0, 'the old, wrong date hint is back');
      }
    });

    await step(`机关党委为第${q}季度评分：输入105提示错误，不改成100`, async () => {
      await logout();
      await loginAfterSignOut('committee');
      await openPairing(pairingId);
      const m = await action('SCORE_QUARTER');
      await m.locator('#score').fill('105');
      await m.locator('.ant-modal-footer .ant-btn-primary').click();
      await m.locator('.ant-form-item').filter({ has: page.locator('#score') }).getByText('不能大于100').waitFor();
      check((await m.locator('#score').inputValue()) === '105', 'the score was changed by the form');
      await m.locator('#score').fill('92.5');
      await m.getByLabel('意见（可选）').fill('按期完成，资料齐全。');
      await confirm(m);
      await expectState(q < 4 ? 'active.collecting' : 'yearEndReview');
    });
  }

  await step('支部书记提交年终述职', async () => {
    await logout();
    await loginAfterSignOut('secretary');
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

  await step('机关党委评分时登录失效：提示登录已失效，重新登录后填写内容仍在并完成', async () => {
    await logout();
    await loginAfterSignOut('committee');
    await openPairing(pairingId);
    await action('APPROVE_REVIEW');
    // The event's own form, wherever the sign-in dialog comes to sit above it.
    const m = page.locator('.ant-modal').filter({ has: page.locator('#score') });
    await m.locator('#score').fill('90');
    await m.getByLabel('意见（可选）').fill('成效明显。');
    // The sign-in ends while the form is open (as when the 8-hour token runs out).
    await page.evaluate(() => sessionStorage.setItem('gongjian.token', 'expired.token.value'));
    await m.locator('.ant-modal-footer .ant-btn-primary').click();
    const again = page.locator('.ant-modal').filter({ hasText: '登录已失效' });
    await again.waitFor();
    check((await m.locator('#score').inputValue()) === '90', 'the typed score was lost');
    await shot('session-ended');
    await again.getByLabel('密码').fill(PASSWORD);
    await again.getByRole('button', { name: /重新登录/ }).click();
    await m.waitFor({ state: 'hidden', timeout: TIMEOUT });
    await expectState('scored');
    // finalScore = 0.6 × 92.5 + 0.4 × 90 = 91.50
    await page.locator('[data-testid="final-score"]').filter({ hasText: '91.50' }).first().waitFor();
    await tab(/记录/);
    await page.locator('[data-testid="history-item"][data-type="APPROVE_REVIEW"]').waitFor();
    check(/\d{4}-\d{2}-\d{2} \d{2}:\d{2} \(UTC\+8\)/.test(await page.locator('.ant-timeline').first().innerText()), 'history times are not local with their offset');
  });

  await step('院党组查看年度评比：显示考核季度，可下载Excel', async () => {
    await logout();
    await loginAfterSignOut('leader');
    await page.goto(`${BASE}/reports`);
    await page.getByRole('heading', { name: '通报与评比' }).waitFor();
    await tab('年度评比');
    const ySel = page.locator('[role="tabpanel"]:visible .ant-select').first();
    await ySel.click();
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').filter({ hasText: `${YEAR}年` }).first().click();
    const row = page.locator('tr').filter({ hasText: code });
    await row.waitFor();
    const assessed = await row.getByTestId('quarters-assessed').innerText();
    const n = 5 - START_QUARTER;
    check(assessed.includes(`（${n}个）`), `quarters assessed shows ${assessed}`);
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.locator('[role="tabpanel"]:visible').getByRole('button', { name: /下载Excel/ }).click()]);
    check((await xlsx.suggestedFilename()).endsWith('.xlsx'), `ranking download is ${await xlsx.suggestedFilename()}`);
  });

  await step('院党组在结对项目列表中一眼看到项目的编号、状态（电脑上还有总分），表格不左右滚动', async () => {
    await page.goto(`${BASE}/pairings?year=${YEAR}`);
    const row = page.locator('.ant-table-row').filter({ hasText: code });
    await row.waitFor();
    const table = await page.locator('.ant-table-content').first().evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    check(table.scroll <= table.client + 1, `the pairing list is ${table.scroll}px wide in ${table.client}px: it scrolls sideways`);
    const visible = async (loc) => (await loc.count()) > 0 && (await loc.first().isVisible());
    check(await visible(row.locator('.ant-tag[data-state="scored"]')), 'the pairing’s state is not in view');
    check(await visible(row.getByText(code, { exact: true })), 'the pairing’s code is not in view');
    if (!phone) check(await visible(row.getByText('91.50', { exact: true })), 'the final score is not in view');
  });

  await step('院党组打开首页即见年度总览：六张图，每张一键切换为数据表', async () => {
    await page.goto(`${BASE}/`);
    await page.getByRole('heading', { name: '总览' }).waitFor();
    for (const chart of ['states', 'compliance', 'activities', 'scores', 'indicators', 'overdue']) {
      await page.getByTestId(`chart-${chart}`).waitFor();
    }
    await page.locator('[data-testid="chart-states"] svg').first().waitFor();
    await page.locator('[data-testid="chart-compliance"] svg').first().waitFor();
    // Every label lies inside its chart: none loses its first characters off the left edge (e.g. 判决案件自动履行率).
    const cut = await page.evaluate(() =>
      [...document.querySelectorAll('.gj-chart svg')].flatMap((svg) => {
        const box = svg.getBoundingClientRect();
        return [...svg.querySelectorAll('text')]
          .filter((t) => t.textContent.trim() && (t.getBoundingClientRect().left < box.left - 1 || t.getBoundingClientRect().right > box.right + 1))
          .map((t) => t.textContent);
      }),
    );
    check(cut.length === 0, `chart labels cut off at the chart's edge: ${cut.join(', ')}`);
    await shot('overview');
    const card = page.getByTestId('chart-compliance');
    await card.locator('.ant-segmented-item').filter({ hasText: '数据' }).click();
    await card.locator('.gj-chart-data:not(.gj-print-only) td').filter({ hasText: '全年' }).waitFor();
    if (viewport === PHONE) await fitsWidth('the overview');
    await shot('overview-data');
  });

  await step('机关党委将已评分项目发布为好做法，配活动照片', async () => {
    await logout();
    await loginAfterSignOut('committee');
    await openPairing(pairingId);
    await page.getByTestId('publish-practice').click();
    const m = page.locator('.ant-modal').filter({ hasText: '发布好做法' });
    await m.getByLabel('标题').fill(`共享法庭让诉前化解率提升至59%（${code}）`);
    await m.getByLabel('做法与成效').fill('支部与社会治理办共建共享法庭，每季度召开联席会议、开展共建活动日，矛盾纠纷就地化解。');
    const photo = m.locator('.gj-practice-photos label:visible input[type="checkbox"]').first();
    await m.locator('.gj-practice-photos img').first().waitFor({ timeout: 5000 }).catch(() => undefined);
    if (await photo.count()) await photo.check();
    await m.locator('.ant-modal-footer .ant-btn-primary').click();
    await page.waitForURL(/\/practices\/\d+$/);
    await page.getByTestId('practice-article').waitFor();
  });

  await step('另一支部的书记在“好做法”读到这篇经验（含成效和照片）', async () => {
    await logout();
    await loginAfterSignOut('secretary2');
    await page.goto(`${BASE}/practices`);
    await page.getByRole('heading', { name: '好做法' }).waitFor();
    await page.getByRole('link', { name: new RegExp(code) }).first().click();
    const article = page.getByTestId('practice-article');
    await article.waitFor();
    await article.getByText('共享法庭让诉前化解率提升至59%').waitFor();
    if (await article.getByTestId('practice-photos').count()) await article.locator('img').first().waitFor();
    if (viewport === PHONE) await fitsWidth('the good practice');
    await shot('practice');
  });

  await step('地址有误（/pairings/abc）显示未找到并可返回工作台', async () => {
    await page.goto(`${BASE}/pairings/abc`);
    await page.getByTestId('not-found').waitFor();
    await page.getByRole('link', { name: /返回工作台/ }).click();
    await page.getByRole('heading', { name: /^(工作台|总览)$/ }).waitFor();
  });

  return { pairingId, code };
}

// ---- desktop ------------------------------------------------------------

const desktop = await walkYear(DESKTOP);

await step('审计员校验审计链（✓），导出CSV并下载检查点', async () => {
  await logout();
  await loginAfterSignOut('auditor');
  await page.goto(`${BASE}/audit`);
  await page.getByRole('heading', { name: '审计查询' }).waitFor();
  await page.getByRole('button', { name: '校验审计链' }).click();
  const result = page.locator('[data-testid="verify-result"]');
  await result.waitFor();
  check((await result.getAttribute('data-ok')) === 'true', `verify failed: ${await result.innerText()}`);
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /导出CSV/ }).click()]);
  const csvPath = path.join(userDataDir, 'audit.csv');
  await csv.saveAs(csvPath);
  const [cp] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /下载检查点/ }).click()]);
  const cpPath = path.join(userDataDir, 'checkpoint.json');
  await cp.saveAs(cpPath);
  check(readFileSync(csvPath, 'utf8').length > 100, 'the CSV export is empty');
  const checkpoint = JSON.parse(readFileSync(cpPath, 'utf8'));
  check(checkpoint.signature && Array.isArray(checkpoint.chains), 'checkpoint lacks signature or chains');
});

await step('院党组查看季度通报（逾期由服务器判定）并下载Excel', async () => {
  await logout();
  await loginAfterSignOut('leader');
  await page.goto(`${BASE}/reports`);
  const yearSelect = page.locator('.ant-select:visible').first();
  await yearSelect.click();
  await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').filter({ hasText: `${YEAR}年` }).first().click();
  const qSelect = page.locator('.ant-select:visible').nth(1);
  await qSelect.click();
  await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').filter({ hasText: '第4季度' }).first().click();
  const row = page.locator('tr').filter({ hasText: desktop.code });
  await row.waitFor();
  check((await row.getByTestId('bulletin-overdue').count()) === 0, 'a reported quarter shows as overdue in the bulletin');
  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /下载Excel/ }).click()]);
  check((await xlsx.suggestedFilename()).endsWith('.xlsx'), `bulletin download is ${await xlsx.suggestedFilename()}`);
});

await step('管理员：支部书记只能从本支部在职书记中选择；停用共建单位后新项目不能再选', async () => {
  await logout();
  await loginAfterSignOut('admin', ADMIN_PASSWORD);
  await page.goto(`${BASE}/admin/branches`);
  await page.getByRole('heading', { name: '党支部管理' }).waitFor();
  await page.locator('tr').filter({ hasText: '立案庭党支部' }).getByRole('button', { name: /编\s?辑/ }).click();
  const modal = page.locator('.ant-modal:visible').last();
  await modal.locator('.ant-form-item').filter({ has: page.locator('#secretaryUserId') }).locator('.ant-select').click();
  const options = await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').allInnerTexts();
  check(options.length === 1 && options[0].includes('李立案'), `branch secretary choices: ${options.join(' | ')}`);
  await page.keyboard.press('Escape');
  await modal.locator('.ant-modal-footer .ant-btn').filter({ hasText: /取\s?消/ }).click();

  const name = `平湖市某社区党支部（E2E ${Date.now().toString(36)}）`;
  await page.goto(`${BASE}/admin/partners`);
  await page.getByRole('button', { name: '新增共建单位' }).click();
  const create = page.locator('.ant-modal:visible').last();
  await create.getByLabel('单位（党支部）名称').fill(name);
  await pick(create, 'kind', '村社区');
  await create.locator('.ant-modal-footer .ant-btn-primary').click();
  await create.waitFor({ state: 'hidden' });
  await page.locator('tr').filter({ hasText: name }).getByRole('button', { name: /编\s?辑/ }).click();
  const edit = page.locator('.ant-modal:visible').last();
  await edit.getByLabel('联系方式（可选）').fill('0573-85111111');
  await edit.getByRole('switch').click();
  await edit.locator('.ant-modal-footer .ant-btn-primary').click();
  await edit.waitFor({ state: 'hidden' });
  await page.locator('tr').filter({ hasText: name }).filter({ hasText: '已停用' }).waitFor();

  await logout();
  await loginAfterSignOut('secretary');
  await page.goto(`${BASE}/pairings/new`);
  const item = page.locator('.ant-form-item').filter({ has: page.locator('#partnerIds') });
  await item.locator('.ant-select').click();
  await page.keyboard.type('E2E');
  const offered = await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').allInnerTexts();
  check(!offered.some((o) => o.includes(name)), `a deactivated partner is still offered: ${offered.join(' | ')}`);
  await page.keyboard.press('Escape');
});

await step('英文界面：通知按读者的语言显示', async () => {
  await page.goto(`${BASE}/`);
  await page.locator('.gj-header .ant-segmented-item').filter({ hasText: 'EN' }).click();
  const notice = page.locator('[data-testid="notification"]').filter({ hasText: desktop.code }).first();
  await notice.getByText(/Score review|waiting for you|Return/).first().waitFor();
  check(!/[\u4e00-\u9fa5]{2,}：/.test(await notice.getByRole('heading').innerText()), 'the notice title is still Chinese');
  await shot('english-workbench');
  await page.locator('.gj-header .ant-segmented-item').filter({ hasText: '中文' }).click();
  await page.getByRole('heading', { name: '工作台' }).waitFor();
});

// ---- phone ----------------------------------------------------------------

await step('手机宽度：演示中的本年度项目在当前季度，页面不横向滚动，步骤紧凑、标签页不折叠', async () => {
  viewport = PHONE;
  await page.setViewportSize({ width: PHONE.width, height: PHONE.height });
  await logout();
  await loginAfterSignOut('secretary2');
  await page.goto(`${BASE}/pairings?state=active`);
  const link = page.locator('a').filter({ hasText: '劳动争议裁审衔接' }).first();
  await link.click();
  await page.getByRole('button', { name: '刷新' }).waitFor();
  await page.getByTestId('steps-compact').getByText('第4步/共6步：季度活动').waitFor();
  check((await page.locator('.gj-pairing-tabs .ant-tabs-nav-more:visible').count()) === 0, 'tabs hide behind "…" on a phone');
  const calendar = await page.evaluate(async () => (await fetch('/api/calendar', { headers: { Authorization: `Bearer ${sessionStorage.getItem('gongjian.token')}` } })).json());
  await page.locator('.gj-pairing-head .ant-tag').filter({ hasText: `第${calendar.quarter}季度` }).first().waitFor();
  await fitsWidth('the pairing page');
  await page.locator('.gj-quarter-cards .ant-card').first().getByText('当前').waitFor();
});

await step('手机宽度：在活动现场登记共建活动日', async () => {
  const m = await action('RECORD_ACTIVITY');
  await m.getByTestId('open-quarters').getByText('可登记').waitFor();
  await pick(m, 'kind', '共建活动日');
  check((await m.locator('#heldOn').inputValue()) !== '', 'the date does not default to today');
  await m.getByLabel('活动名称').fill('共建活动日：劳动争议裁审衔接座谈');
  await m.getByLabel('本院参加人数').fill('9');
  await m.getByLabel('共建单位参加人数').fill('6');
  await m.getByLabel('活动内容摘要').fill('与仲裁委共同研讨裁审标准统一');
  await m.locator('input[type="file"]').setInputFiles({ name: 'activity-day.png', mimeType: 'image/png', buffer: PNG });
  await m.locator('[data-testid="attachment-list"] li').filter({ hasText: 'activity-day.png' }).waitFor();
  const box = await m.locator('.ant-modal-container').boundingBox();
  check(box && box.width >= PHONE.width - 2, `the form is ${box?.width}px wide on a ${PHONE.width}px phone`);
  await shot('phone-activity-form');
  await confirm(m);
  await tab(/活动/);
  await page.getByRole('cell', { name: '共建活动日：劳动争议裁审衔接座谈' }).waitFor();
});

await step('手机宽度：办理记录按字段显示，字段内容不挤成一字一行', async () => {
  await tab(/记录/);
  await page.getByTestId('history-item').first().waitFor();
  const widths = await page.evaluate(() =>
    [...document.querySelectorAll('[data-testid="history-item"] .ant-descriptions-item-content')]
      .filter((cell) => !cell.querySelector('.ant-descriptions') && cell.getBoundingClientRect().width > 0)
      .map((cell) => Math.round(cell.getBoundingClientRect().width)),
  );
  check(widths.length > 0, 'the history shows no payload fields');
  check(Math.min(...widths) >= 120, `history values are squeezed to ${Math.min(...widths)}px on a ${PHONE.width}px phone`);
  await fitsWidth('the history');
  await shot('phone-history');
});

await walkYear(PHONE);

await step('手机宽度：菜单在抽屉里', async () => {
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
