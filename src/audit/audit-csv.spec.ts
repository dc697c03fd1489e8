import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { EventSubjects, PEOPLE_CSV_COLUMNS, peopleCsv, peopleCsvRecord } from './audit-csv';
import type { StoredAuditEvent } from './chain-verifier';

const row = (overrides: Partial<StoredAuditEvent> = {}): StoredAuditEvent => ({
  chain: 'pairing:3',
  seq: 2,
  at: '2026-12-01T07:11:05.123Z',
  actorId: '5',
  type: 'RETURN',
  fromState: 'proposed',
  toState: 'returned',
  payload: '{"kind":"joint_meeting","partnerIds":[2]}',
  comment: '请补充',
  prevHash: '0'.repeat(64),
  hash: 'f'.repeat(64),
  ...overrides,
});

const subjects: EventSubjects = {
  pairings: new Map([[3, { id: 3, code: 'GJ-2026-003', title: '诉源治理共建' }]]),
  actors: new Map([['5', { displayName: '王委员', username: 'committee' }]]),
  names: (kind, id) => (kind === 'partner' && Number(id) === 2 ? '当湖街道党工委' : undefined),
};

describe(peopleCsvRecord.name, () => {
  it('names the pairing, the actor and the payload’s ids, labels the event and states, and gives the local time with its zone', () => {
    expect(peopleCsvRecord(row(), subjects, 'Asia/Shanghai')).toEqual({
      项目编号: 'GJ-2026-003',
      项目名称: '诉源治理共建',
      序号: 2,
      时间: '2026-12-01 15:11:05 (UTC+8)',
      操作人: '王委员',
      用户名: 'committee',
      事件: '退回修改',
      事件代码: 'RETURN',
      原状态: '待审批',
      新状态: '已退回',
      意见: '请补充',
      内容: '共建单位：当湖街道党工委；类型：联席会议',
      链: 'pairing:3',
      哈希: 'f'.repeat(64),
    });
  });

  it('writes the instants inside a payload (a creation’s createdAt) local with their zone, as the 时间 column', () => {
    const created = row({ type: 'CREATE', payload: '{"createdAt":"2026-12-01T07:11:05.123Z","title":"诉源治理共建"}' });
    expect(peopleCsvRecord(created, subjects, 'Asia/Shanghai').内容).toBe('名称：诉源治理共建；创建时间：2026-12-01 15:11:05 (UTC+8)');
  });

  it('calls the system chain and a missing actor 系统, and keeps a payload that does not parse as stored', () => {
    const record = peopleCsvRecord(
      row({ chain: 'system', actorId: null, type: 'LOGIN_FAILED', fromState: null, toState: null, payload: '{broken' }),
      subjects,
      'UTC',
    );
    expect(record).toMatchObject({ 项目编号: '系统', 操作人: '系统', 事件: '登录失败', 原状态: '', 内容: '{broken' });
    expect(record.时间).toBe('2026-12-01 07:11:05 (UTC)');
  });
});

describe(peopleCsv.name, () => {
  // Buffer#toString keeps the BOM (a TextDecoder would drop it).
  const csvOf = async (records: object[]) => (await buffer(peopleCsv(Readable.from(records)))).toString('utf8');
  const blank = Object.fromEntries(PEOPLE_CSV_COLUMNS.map((c) => [c, '']));

  it('writes a BOM, the Chinese header and CRLF records, quoting (RFC 4180) only where needed', async () => {
    const csv = await csvOf([{ ...blank, 项目编号: 'GJ-2026-003', 意见: '请补充材料, 见"附件"', 内容: 'a\nb', 序号: 7 }]);
    expect(csv.startsWith('\uFEFF项目编号,项目名称,序号,时间,')).toBe(true);
    const [header, record, end] = csv.slice(1).split('\r\n');
    expect(header.split(',')).toEqual([...PEOPLE_CSV_COLUMNS]);
    expect(record).toBe('GJ-2026-003,,7,,,,,,,,"请补充材料, 见""附件""","a\nb",,');
    expect(end).toBe('');
  });

  it.each(['=1+1', '+1', '-2', '@SUM(A1)', '\tcmd', '\rcmd'])(
    'neutralises a cell starting with %j so Excel shows it as text',
    async (comment) => {
      const csv = await csvOf([{ ...blank, 意见: comment }]);
      const record = csv.slice(1).split('\r\n').slice(1).join('\r\n');
      expect(record.startsWith(`,,,,,,,,,,'${comment}`) || record.startsWith(`,,,,,,,,,,"'${comment}`)).toBe(true);
    },
  );
});
