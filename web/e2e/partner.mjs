#!/usr/bin/env node
// Browser walk-through of the partner side (SPEC §12) on a phone (390 px): the partner organisation's liaison
// signs in, sees what waits for them, confirms the quarter's joint meeting with one tap, countersigns the
// agreement — and the committee sees both on the pairing.
//   E2E_BASE_URL=http://127.0.0.1:3100 node web/e2e/partner.mjs
// Needs the API + built UI running on a fresh database with the demo data (the demo `partner` user speaks for
// 平湖市社会治理中心党支部). Screenshots go to test-artifacts/browser/partner-*.png. Last line: "N passed, M failed".
import { BASE, check, openWalk, YEAR } from './walk.mjs';

const PARTNER_NAME = '平湖市社会治理中心党支部';
const TITLE = `立案庭与社会治理中心诉源治理共建（会签 ${Date.now().toString(36)}）`;
const MEETING = `第四季度联席会议（${Date.now().toString(36)}）`;
const { page, step, api, send, login, fitsWidth, finish } = await openWalk('partner', { phone: true });

let pairing;

await step('立案庭的结对项目批准、签订协议、计划备案，并登记了第四季度联席会议（经接口准备）', async () => {
  const partners = await api('secretary', 'GET', '/api/partners');
  const partner = partners.find((p) => p.name === PARTNER_NAME);
  check(partner, `no partner ${PARTNER_NAME}`);
  const me = await api('secretary', 'GET', '/api/auth/me');
  const members = await api('secretary', 'GET', `/api/branches/${(me.user ?? me).branchId}/members`);
  const liaison = members.find((u) => u.roles.includes('member')) ?? members[0];
  pairing = await api('secretary', 'POST', '/api/pairings', {
    year: YEAR,
    title: TITLE,
    theme: '基层诉源治理大调研',
    problem: '家事纠纷诉前化解率偏低',
    partnerIds: [partner.id],
    categories: ['organization', 'activity'],
    liaisonUserId: liaison.id,
  });
  check(pairing.workflowVersion === 3, `a new pairing runs on version ${pairing.workflowVersion}`);
  await send('secretary', pairing.id, { type: 'SUBMIT' });
  await send('committee', pairing.id, { type: 'APPROVE' });
  await send('secretary', pairing.id, {
    type: 'SIGN_AGREEMENT',
    signedOn: `${YEAR}-01-10`,
    validFrom: `${YEAR}-01-01`,
    validTo: `${YEAR}-12-31`,
    goals: '诉前化解率提升十个百分点',
    content: '每季度召开联席会议，开展共建活动日',
    requirements: '结对双方分别确定联络员，每次活动有记录',
  });
  await send('secretary', pairing.id, { type: 'FILE_PLAN', startQuarter: 4, items: [{ title: '第四季度联席会议', quarter: 4, dueDate: `${YEAR}-12-15`, owner: '李立案' }] });
  await send('committee', pairing.id, { type: 'ACCEPT_PLAN' });
  await send('secretary', pairing.id, {
    type: 'RECORD_ACTIVITY',
    kind: 'joint_meeting',
    heldOn: `${YEAR}-11-12`,
    title: MEETING,
    participants: 12,
    partnerParticipants: 6,
    summary: '通报诉源治理进展，商定下季度共建活动日安排',
  });
});

await step('共建单位联络人用手机登录，首页列出待办：会签协议、确认联席会议', async () => {
  await login('partner');
  await page.getByRole('heading', { name: '共建单位工作台' }).waitFor();
  const tasks = page.getByTestId('partner-tasks');
  await tasks.getByText(MEETING).waitFor();
  await tasks.getByRole('button', { name: /去会签/ }).first().waitFor();
  await page.getByTestId('partner-pairings').getByText(TITLE).waitFor();
  await fitsWidth('the partner workbench');
});

await step('一键确认参加联席会议，待办随即消失', async () => {
  const item = page.getByTestId('partner-tasks').getByRole('listitem').filter({ hasText: MEETING });
  await item.getByRole('button', { name: /确认参加/ }).click();
  await page.getByTestId('partner-tasks').getByText(MEETING).waitFor({ state: 'detached' });
});

await step('打开项目会签协议书：协议显示本单位已会签及时间', async () => {
  const item = page.getByTestId('partner-tasks').getByRole('listitem').filter({ hasText: TITLE });
  await item.getByRole('button', { name: /去会签/ }).click();
  await page.waitForURL((u) => u.pathname === `/pairings/${pairing.id}`);
  const btn = page.locator('button[data-event="COUNTERSIGN_AGREEMENT"]:not([disabled])').first();
  await btn.waitFor();
  await btn.click();
  const modal = page.locator('.ant-modal').filter({ has: page.locator('.ant-modal-title') }).last();
  await modal.waitFor();
  await page.waitForTimeout(300);
  await modal.locator('.ant-modal-footer .ant-btn-primary').click();
  await modal.waitFor({ state: 'hidden' });
  await page.getByRole('tab', { name: /协议/ }).first().click();
  const signed = page.getByTestId('countersignatures');
  await signed.getByText('已会签').waitFor();
  check((await signed.innerText()).includes(PARTNER_NAME), 'the countersignature does not name the partner');
  await fitsWidth('the pairing on a phone');
});

await step('活动登记中该次联席会议显示“双方确认”', async () => {
  await page.getByRole('tab', { name: /活动/ }).first().click();
  const row = page.locator('tr').filter({ hasText: MEETING });
  await row.getByText('双方确认').waitFor();
});

await step('机关党委看到会签和双方确认', async () => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await login('committee');
  await page.goto(`${BASE}/pairings/${pairing.id}`);
  await page.getByRole('tab', { name: /协议与计划/ }).click();
  await page.getByTestId('countersignatures').getByText('已会签').waitFor();
  const view = await api('committee', 'GET', `/api/pairings/${pairing.id}`);
  check(view.agreement.countersignatures.length === 1, 'the committee does not see the countersignature');
  check(view.activities.find((a) => a.title === MEETING)?.confirmedByPartner === true, 'the committee does not see the confirmation');
});

await finish();
