#!/usr/bin/env node
// Browser walk-through of what the committee and an auditor read: a resubmitted proposal side by side,
// the labelled history, the audit search by code, the checkpoint check, the dossier and the year archive
// checked offline with verify.mjs.
//   E2E_BASE_URL=http://127.0.0.1:3100 node web/e2e/audit.mjs
// Needs the API + built UI running on a fresh database with the demo data. Screenshots go to
// test-artifacts/browser/audit-*.png. Last line: "N passed, M failed".
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import yauzl from 'yauzl';
import { BASE, check, openWalk, YEAR } from './walk.mjs';

const TAG = `审计 ${Date.now().toString(36)}`;
const TITLE = `立案庭与当湖街道诉源治理共建（${TAG}）`;
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const { page, work, step, api, send, login, finish } = await openWalk('audit', { acceptDownloads: true, settleMs: 0 });

function unzipTo(file, dir) {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error) return reject(error);
      const names = [];
      zip.on('entry', (entry) => {
        names.push(entry.fileName);
        zip.openReadStream(entry, (openError, stream) => {
          if (openError) return reject(openError);
          const chunks = [];
          stream.on('data', (c) => chunks.push(c));
          stream.on('end', () => {
            const target = path.join(dir, entry.fileName);
            mkdirSync(path.dirname(target), { recursive: true });
            writeFileSync(target, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(names));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

async function downloadFrom(button, name) {
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), button.click()]);
  const file = path.join(work, name);
  await download.saveAs(file);
  return { file, suggested: download.suggestedFilename() };
}

function verifyOffline(dir) {
  const result = spawnSync(process.execPath, ['verify.mjs'], { cwd: dir, encoding: 'utf8' });
  if (result.status !== 0 || !result.stdout.startsWith('OK')) throw new Error(`verify.mjs in ${dir}: ${result.stdout}${result.stderr}`);
  return result.stdout;
}

let pairing;
let partners;

await step('支部书记提交、机关党委退回后，书记修改共建单位再次提交', async () => {
  const users = await api('admin', 'GET', '/api/users');
  partners = await api('secretary', 'GET', '/api/partners');
  const liaison = users.find((u) => u.username === 'member');
  pairing = await api('secretary', 'POST', '/api/pairings', {
    year: YEAR,
    title: TITLE,
    theme: '基层诉源治理大调研',
    problem: '家事纠纷诉前化解率偏低',
    partnerIds: [partners[0].id],
    categories: ['organization'],
    liaisonUserId: liaison.id,
  });
  await send('secretary', pairing.id, { type: 'SUBMIT' });
  await send('committee', pairing.id, { type: 'RETURN', comment: '请增加一个共建单位' });
  await api('secretary', 'PATCH', `/api/pairings/${pairing.id}`, { partnerIds: [partners[0].id, partners[1].id] });
  await send('secretary', pairing.id, { type: 'SUBMIT' });
});

await step('机关党委打开再次提交的申报：看到“第 2 次提交”和改动前后对照（共建单位按名称）', async () => {
  await login('committee');
  await page.goto(`${BASE}/pairings/${pairing.id}`);
  const heading = page.locator('[data-testid="revision-heading"]');
  await heading.getByText('第 2 次提交').waitFor();
  const changes = page.locator('[data-testid="revision-changes"]');
  await changes.getByText('第 1 次提交（原）').waitFor();
  const row = changes.locator('tbody tr').filter({ hasText: '共建单位' });
  await row.getByText(`${partners[0].name}、${partners[1].name}`).waitFor();
  await page.getByText('请增加一个共建单位').first().waitFor();
});

await step('批准后签订协议（附扫描件），办理记录按字段显示，原始数据一键可见', async () => {
  await send('committee', pairing.id, { type: 'APPROVE' });
  const form = new FormData();
  form.append('file', new Blob([PNG], { type: 'image/png' }), '协议签字页.png');
  const scan = await api('secretary', 'POST', '/api/attachments', form);
  await send('secretary', pairing.id, {
    type: 'SIGN_AGREEMENT',
    signedOn: `${YEAR}-01-10`,
    validFrom: `${YEAR}-01-01`,
    validTo: `${YEAR}-12-31`,
    goals: '共同提升基层诉源治理水平',
    content: '联合开展调研、联席会议和共建活动日',
    requirements: '每季度至少一次联席会议和一次共建活动日',
    attachmentIds: [scan.id],
  });
  await page.goto(`${BASE}/pairings/${pairing.id}`);
  await page.getByRole('tab', { name: '办理记录' }).click();
  const signed = page.locator('[data-testid="history-item"][data-type="SIGN_AGREEMENT"]');
  await signed.getByText('签订日期').waitFor();
  await signed.getByText(`${YEAR}-01-10`).waitFor();
  await signed.getByRole('button', { name: '查看原始数据（JSON）' }).click();
  await signed.locator('[data-testid="payload-raw"]').getByText('"signedOn"').waitFor();
  // A long payload folds after six fields; unfolded, ids are names.
  const created = page.locator('[data-testid="history-item"][data-type="CREATE"]');
  await created.getByRole('button', { name: /展开全部/ }).click();
  await created.getByText(partners[0].name).first().waitFor();
  await signed.getByRole('button', { name: /展开全部/ }).click();
  await signed.getByText('协议签字页.png').first().waitFor();
});

await step('审计员按项目编号查询：显示编号、名称、姓名、北京时间和状态变化，1280 px 上不左右滚动；未知编号在输入框下标红', async () => {
  await login('auditor');
  await page.goto(`${BASE}/audit`);
  await page.getByPlaceholder('GJ-2026-004').fill(pairing.code);
  await page.getByRole('button', { name: /查\s?询/ }).click();
  const rows = page.locator('tr.ant-table-row');
  await rows.first().getByRole('link', { name: pairing.code }).waitFor();
  if (await page.locator('tr.ant-table-row', { hasText: `pairing:${pairing.id}` }).count()) throw new Error('the chain column shows pairing:<id>');
  await rows.filter({ hasText: '退回修改' }).getByText('(UTC+8)').waitFor();
  // The return's reason is readable in its row: a column wide enough, and the whole text on hover.
  const comment = rows.filter({ hasText: '退回修改' }).getByTestId('audit-comment');
  await comment.scrollIntoViewIfNeeded();
  const { width } = await comment.boundingBox();
  if (width < 240) throw new Error(`the comment column is ${width}px wide`);
  if ((await comment.getAttribute('title')) !== '请增加一个共建单位') throw new Error('the comment’s full text is not on hover');
  // At 1280 px the whole row is in view: the state change under its event, nothing off the table's edge.
  const table = await page.locator('.ant-table-content').first().evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
  if (table.scroll > table.client + 1) throw new Error(`the audit table is ${table.scroll}px wide in ${table.client}px: it scrolls sideways`);
  const states = await rows.filter({ hasText: '退回修改' }).getByTestId('audit-states').innerText();
  if (states !== '待审批 → 已退回') throw new Error(`the return's state change reads ${states}`);
  await page.getByPlaceholder('GJ-2026-004').fill('GJ-2099-999');
  await page.getByRole('button', { name: /查\s?询/ }).click();
  await page.getByText('没有编号为 GJ-2099-999 的项目').waitFor();
  // The system chain names its actors too: the auditor's own sign-ins, by name and username.
  await page.getByPlaceholder('GJ-2026-004').fill('');
  await page.getByPlaceholder('姓名或用户名').fill('auditor');
  await page.getByRole('button', { name: /查\s?询/ }).click();
  const signIn = page.locator('tr.ant-table-row').filter({ hasText: '登录' }).first();
  await signIn.locator('[data-testid="audit-actor"]').getByText('auditor').waitFor();
  await signIn.getByText('系统').first().waitFor();
  if (/#\d/.test(await signIn.innerText())) throw new Error('a system row shows an actor as #id');
});

await step('审计员下载检查点，再按检查点校验：签名有效、N 条链与当时一致', async () => {
  const { file } = await downloadFrom(page.getByRole('button', { name: /下载检查点/ }), 'checkpoint.json');
  await page.locator('input[type="file"]').setInputFiles(file);
  const result = page.locator('[data-testid="checkpoint-result"][data-signature="true"]');
  await result.getByText('检查点签名有效').waitFor();
  await result.getByText(/条链：\d+ 条与当时一致/).waitFor();
});

await step('审计员在项目页点“归档下载”，档案离线校验为 OK', async () => {
  await page.goto(`${BASE}/pairings/${pairing.id}`);
  const { file, suggested } = await downloadFrom(page.getByRole('button', { name: /归档下载/ }), 'dossier.zip');
  if (!suggested.includes(pairing.code)) throw new Error(`the dossier is called ${suggested}`);
  const dir = path.join(work, 'dossier');
  const names = await unzipTo(file, dir);
  for (const name of ['summary.docx', 'evidence/manifest.csv', 'evidence/协议签字页.png', 'audit/chain.jsonl', 'audit/checkpoint.json', 'verify.mjs', 'README.txt']) {
    if (!names.includes(name)) throw new Error(`the dossier lacks ${name}`);
  }
  verifyOffline(dir);
});

await step('机关党委在年度评比页点“年度归档”，每个项目一个文件夹，全部离线校验为 OK', async () => {
  await login('committee');
  await page.goto(`${BASE}/reports`);
  await page.getByRole('tab', { name: '年度评比' }).click();
  const year = page.locator('.ant-select:visible').first();
  await year.click();
  await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').filter({ hasText: `${YEAR}年` }).first().click();
  const { file } = await downloadFrom(page.getByRole('button', { name: `${YEAR}年度归档` }), 'archive.zip');
  const dir = path.join(work, 'archive');
  const names = await unzipTo(file, dir);
  if (!names.includes(`${pairing.code}/summary.docx`) || !names.includes('index.csv')) throw new Error('the archive lacks the pairing’s folder or the index');
  const out = verifyOffline(dir);
  if (!out.includes(pairing.code)) throw new Error(`verify.mjs did not check ${pairing.code}`);
});

await step('机关党委把演示中已评分的项目发布为好做法：在 1280 px 上成效指标不必左右滚动，“变化”一列完整', async () => {
  // The demo's scored pairing declared indicators; the one run.mjs scored declared none.
  const ids = (await api('committee', 'GET', '/api/pairings?pageSize=50')).items.filter((p) => p.state === 'scored').map((p) => p.id);
  const pairings = await Promise.all(ids.map((id) => api('committee', 'GET', `/api/pairings/${id}`)));
  const scored = pairings.find((p) => (p.plan?.indicators ?? []).length > 0);
  check(scored, 'no scored pairing with indicators');
  const published = (await api('committee', 'GET', '/api/practices')).find((x) => x.pairing.id === scored.id);
  const practice = published ?? (await api('committee', 'POST', '/api/practices', { pairingId: scored.id, title: '共享法庭让诉前化解率提升至59%', summary: '支部与社会治理办共建共享法庭。' }));
  await page.goto(`${BASE}/practices/${practice.id}`);
  const table = page.getByTestId('practice-article').locator('.gj-indicator-table .ant-table-content');
  await table.getByText('变化').waitFor();
  const { scroll, client } = await table.evaluate((e) => ({ scroll: e.scrollWidth, client: e.clientWidth }));
  check(scroll <= client + 1, `成效指标 scrolls sideways: ${scroll}/${client} px`);
});

await finish();
