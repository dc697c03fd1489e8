import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { Alert, App, Button, Card, DatePicker, Form, Input, Result, Select, Space, Table, Tag, Typography, Upload } from 'antd';
import { CheckCircleFilled, CloseCircleFilled, DownloadOutlined, SafetyCertificateOutlined, UploadOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { ApiError, download, get, getToken, qs } from '../api/client';
import type { AuditPage, CheckpointCheck, VerifyAnswer } from '../api/audit-types';
import { usePairing } from '../api/queries';
import type { AuditEvent } from '../api/types';
import { useAuth } from '../auth';
import { ErrorAlert, PageTitle } from '../components/common';
import PayloadFields, { usePayloadNames } from '../components/PayloadFields';
import { calendarZone, formatInstant } from '../dates';
import { useAsync, useNotifyError } from '../hooks';
import { useLang } from '../i18n';
import { EVENTS, SYSTEM_EVENT_LABELS, eventLabel, stateLabel } from '../labels';

interface Filters {
  code?: string;
  actor?: string;
  type?: string;
  range?: [Dayjs | null, Dayjs | null] | null;
}

const SYSTEM_TYPES = Object.keys(SYSTEM_EVENT_LABELS);

function typeLabel(type: string, lang: 'zh' | 'en') {
  const system = (SYSTEM_EVENT_LABELS as Record<string, { zh: string; en: string }>)[type];
  return system ? system[lang] : eventLabel(type, lang);
}

/** A chain as people name it: the pairing's code (a link) beside the chain's id; the system chain by name. */
export function ChainName({ chain }: { chain: string }) {
  const { t } = useLang();
  const id = /^pairing:(\d+)$/.exec(chain)?.[1];
  const pairing = usePairing(id, id !== undefined);
  if (id === undefined) {
    // Each court has its own system chain, `system:<court code>`.
    const court = /^system(?::(.+))?$/.exec(chain);
    return <Tag color="blue">{court ? t('系统链', 'System chain') + (court[1] ? ` ${court[1]}` : '') : chain}</Tag>;
  }
  const code = pairing.data?.pairing.code;
  return (
    <span data-testid="chain-name">
      {code && (
        <>
          <Link to={`/pairings/${id}`}>{code}</Link>{' '}
        </>
      )}
      <Typography.Text type="secondary">{chain}</Typography.Text>
    </span>
  );
}

/** Few rows a page: each names its pairing with a read of its own. */
const CHAIN_ROWS = { pageSize: 20, hideOnSinglePage: true } as const;
/** Room for a return's or a score's reason to be read in the row (about 20 characters a line). */
export const COMMENT_WIDTH = 260;

/** What a checkpoint check found: the signature, how many chains, which were cut short or rewritten since. */
export function CheckpointView({ check }: { check: CheckpointCheck }) {
  const { t } = useLang();
  const truncated = check.truncatedCount ?? check.truncated.length;
  const rewritten = check.rewrittenCount ?? check.rewritten.length;
  const listed = check.chains;
  const asBefore = check.asBefore ?? (listed === undefined ? undefined : listed - truncated - rewritten);
  return (
    <div data-testid="checkpoint-result" data-signature={String(check.signatureValid)} style={{ marginTop: 12 }}>
      <Space orientation="vertical" style={{ width: '100%' }}>
        {check.signatureValid ? (
          <Alert type="success" showIcon title={t('检查点签名有效（本服务器的 Ed25519 密钥）', 'The checkpoint’s signature is valid (this server’s Ed25519 key)')} />
        ) : (
          <Alert
            type="error"
            showIcon
            title={t('检查点签名无效：文件被改动过，或不是本服务器签发的', 'The checkpoint’s signature is not valid: the file was changed, or another server signed it')}
          />
        )}
        <Typography.Text data-testid="checkpoint-summary">
          {t(
            `检查点${check.at ? `（${formatInstant(check.at)}）` : ''}记录了 ${listed ?? '—'} 条链：${asBefore ?? '—'} 条与当时一致${check.grown ? `（其中 ${check.grown} 条此后有新增记录）` : ''}，${truncated} 条被截短，${rewritten} 条被改写。`,
            `The checkpoint${check.at ? ` (${formatInstant(check.at)})` : ''} lists ${listed ?? '—'} chains: ${asBefore ?? '—'} as before${check.grown ? ` (${check.grown} of them grown since)` : ''}, ${truncated} truncated, ${rewritten} rewritten.`,
          )}
        </Typography.Text>
        {(check.truncated.length > 0 || check.rewritten.length > 0) && (
          <Table
            size="small"
            rowKey={(r) => `${r.kind}-${r.chain}`}
            pagination={CHAIN_ROWS}
            dataSource={[
              ...check.truncated.map((x) => ({ kind: 'truncated', chain: x.chain, text: t(`检查点时到第 ${x.checkpointSeq} 条，现在只到第 ${x.currentSeq} 条`, `seq ${x.checkpointSeq} then, only ${x.currentSeq} now`) })),
              ...check.rewritten.map((x) => ({ kind: 'rewritten', chain: x.chain, text: t(`第 ${x.seq} 条的哈希与检查点不同`, `the hash at seq ${x.seq} differs from the checkpoint`) })),
            ]}
            columns={[
              { title: t('链', 'Chain'), dataIndex: 'chain', render: (chain: string) => <ChainName chain={chain} /> },
              {
                title: t('情况', 'Finding'),
                dataIndex: 'kind',
                render: (k: string) => <Tag color="error">{k === 'truncated' ? t('被截短', 'Truncated') : t('被改写', 'Rewritten')}</Tag>,
              },
              { title: t('说明', 'Detail'), dataIndex: 'text' },
            ]}
          />
        )}
      </Space>
    </div>
  );
}

function VerifyView({ result }: { result: VerifyAnswer }) {
  const { t } = useLang();
  const failures = result.failures ?? [];
  const counted = t(`共校验 ${result.chains ?? '—'} 条链、${result.events ?? '—'} 条记录`, `${result.chains ?? '—'} chains, ${result.events ?? '—'} events checked`);
  return (
    <div data-testid="verify-result" data-ok={String(!!result.ok)}>
      {result.ok ? (
        <Result status="success" icon={<CheckCircleFilled />} title={<span>✓ {t('审计链完整，未发现篡改', 'The audit chains are intact')}</span>} subTitle={counted} />
      ) : (
        <Result status="error" icon={<CloseCircleFilled />} title={<span>✗ {t('审计链校验未通过', 'The audit chain check failed')}</span>} subTitle={counted}>
          {failures.length > 0 && (
            <Table
              size="small"
              rowKey={(f) => `${f.chain}-${f.seq}`}
              pagination={CHAIN_ROWS}
              dataSource={failures}
              columns={[
                { title: t('链', 'Chain'), dataIndex: 'chain', render: (chain: string) => <ChainName chain={chain} /> },
                { title: t('首个断裂序号', 'First broken seq'), dataIndex: 'seq', render: (s) => <Tag color="error">#{s}</Tag> },
                { title: t('原因', 'Reason'), dataIndex: 'reason' },
              ]}
            />
          )}
        </Result>
      )}
      {result.checkpoint && <CheckpointView check={result.checkpoint} />}
    </div>
  );
}

/** POST /api/audit/verify/checkpoint with the checkpoint file as the body, whatever its size. */
async function verifyCheckpointFile(file: Blob): Promise<VerifyAnswer> {
  const token = getToken();
  const res = await fetch('/api/audit/verify/checkpoint', {
    method: 'POST',
    headers: { Accept: 'application/json', 'Content-Type': 'application/octet-stream', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: file,
  });
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) throw new ApiError(res.status, typeof body.code === 'string' ? body.code : `HTTP_${res.status}`, String(body.message ?? res.statusText), body.details);
  return body as unknown as VerifyAnswer;
}

/** The server's field errors (400 and the 404 of an unknown code or actor) as messages on this form's fields. */
function fieldErrorsOf(error: unknown, filters: Filters, t: (zh: string, en: string) => string): { name: keyof Filters; errors: string[] }[] {
  if (!(error instanceof ApiError)) return [];
  return error.fieldErrors.flatMap((fe): { name: keyof Filters; errors: string[] }[] => {
    if (fe.field === 'code')
      return [{ name: 'code', errors: [error.status === 404 ? t(`没有编号为 ${filters.code?.trim()} 的项目`, `No pairing has the code ${filters.code?.trim()}`) : t('请填写项目编号，如 GJ-2026-004', 'Enter a pairing code such as GJ-2026-004')] }];
    if (fe.field === 'actor')
      return [{ name: 'actor', errors: [error.status === 404 ? t(`没有用户名或姓名为“${filters.actor?.trim()}”的用户`, `No user is called “${filters.actor?.trim()}”`) : t('请填写姓名或用户名', 'Enter a name or a username')] }];
    if (fe.field === 'type') return [{ name: 'type', errors: [t('没有这种事件类型', 'No such event type')] }];
    if (fe.field === 'from' || fe.field === 'to') return [{ name: 'range', errors: [t('请选择正确的日期范围（截止日期不早于起始日期）', 'Pick a valid date range (the end not before the start)')] }];
    return [];
  });
}

export default function Audit() {
  const { t, lang } = useLang();
  const { hasRole } = useAuth();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [form] = Form.useForm<Filters>();
  const [filters, setFilters] = useState<Filters>({});
  const [page, setPage] = useState({ page: 1, pageSize: 20 });
  const [verify, setVerify] = useState<VerifyAnswer | null>(null);
  const [verifyError, setVerifyError] = useState<unknown>(null);
  const [verifying, setVerifying] = useState(false);
  const isAuditor = hasRole('auditor');

  const filterQuery = {
    code: filters.code?.trim(),
    actor: filters.actor?.trim(),
    type: filters.type,
    // Local days: the server reads YYYY-MM-DD in the court's time zone, `to` inclusive.
    from: filters.range?.[0]?.format('YYYY-MM-DD'),
    to: filters.range?.[1]?.format('YYYY-MM-DD'),
  };
  const query = qs({ ...filterQuery, page: page.page, pageSize: page.pageSize });
  const events = useAsync(() => get<AuditPage>(`/api/audit/events${query}`), [query]);
  // A refused search shows nothing: the rows of the search before belong to other filters.
  const shown = events.error ? undefined : events.data;
  const items = shown?.items ?? [];
  const timeZone = shown?.timeZone;
  const pairings = shown?.names?.pairings ?? {};
  const actors = shown?.names?.actors ?? {};
  // The court's zone (APP_TIMEZONE) as the server says, and its offset now, for the line that explains the times.
  const zone = timeZone ?? calendarZone();
  const offset = /\(([^)]+)\)$/.exec(formatInstant(new Date().toISOString(), zone))?.[1] ?? '';
  const names = usePayloadNames((id) => (id ? actors[id]?.displayName : undefined));

  const fieldErrors = fieldErrorsOf(events.error, filters, t);
  useEffect(() => {
    const known = ['code', 'actor', 'type', 'range'] as const;
    form.setFields(known.map((name) => ({ name, errors: fieldErrors.find((f) => f.name === name)?.errors ?? [] })));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [events.error]);

  const runVerify = async (send: () => Promise<VerifyAnswer>) => {
    setVerifying(true);
    setVerifyError(null);
    try {
      setVerify(await send());
    } catch (e) {
      setVerify(null);
      setVerifyError(e);
    } finally {
      setVerifying(false);
    }
  };
  // The verify button names the pairing only when these rows are that code's own.
  const searchedPairing = filterQuery.code ? (Object.values(pairings).find((p) => p.code.toUpperCase() === filterQuery.code!.toUpperCase()) ?? null) : null;

  return (
    <>
      <PageTitle
        title={t('审计查询', 'Audit trail')}
        extra={
          <Space wrap>
            <Button
              type="primary"
              icon={<SafetyCertificateOutlined />}
              loading={verifying}
              onClick={() => runVerify(() => get<VerifyAnswer>(`/api/audit/verify${qs({ pairingId: searchedPairing?.id })}`))}
            >
              {searchedPairing ? t(`校验 ${searchedPairing.code} 的审计链`, `Verify ${searchedPairing.code}`) : t('校验审计链', 'Verify chains')}
            </Button>
            {isAuditor && (
              <>
                <Button
                  icon={<DownloadOutlined />}
                  onClick={() =>
                    download(`/api/audit/export${qs({ ...filterQuery, format: 'csv' })}`, 'audit.csv')
                      .then(() => message.success(t('已导出', 'Exported')))
                      .catch(notifyError)
                  }
                >
                  {t('导出CSV', 'Export CSV')}
                </Button>
                <Button
                  icon={<DownloadOutlined />}
                  onClick={() => download(`/api/audit/export${qs({ ...filterQuery, format: 'jsonl' })}`, 'audit.jsonl').catch(notifyError)}
                >
                  {t('导出JSONL（机读）', 'Export JSONL')}
                </Button>
                <Button
                  icon={<DownloadOutlined />}
                  onClick={() =>
                    download('/api/audit/checkpoint', 'audit-checkpoint.json')
                      .then(() => message.success(t('已下载检查点', 'Checkpoint downloaded')))
                      .catch(notifyError)
                  }
                >
                  {t('下载检查点', 'Download checkpoint')}
                </Button>
                <Upload
                  accept=".json,application/json"
                  showUploadList={false}
                  beforeUpload={(file) => {
                    // Sent as it is and read on the server as a stream: a checkpoint of a million chains is about 90 MB.
                    void runVerify(() => verifyCheckpointFile(file));
                    return false;
                  }}
                >
                  <Button icon={<UploadOutlined />}>{t('按检查点校验', 'Verify against checkpoint')}</Button>
                </Upload>
              </>
            )}
          </Space>
        }
      />
      {verifyError !== null && <ErrorAlert error={verifyError} />}
      {verify && (
        <Card style={{ marginBottom: 16 }} title={t('校验结果', 'Verification')} extra={<a onClick={() => setVerify(null)}>{t('关闭', 'Close')}</a>}>
          <VerifyView result={verify} />
        </Card>
      )}
      <Card>
        <Form<Filters>
          form={form}
          layout="inline"
          onFinish={(v) => {
            setFilters(v);
            setPage((p) => ({ ...p, page: 1 }));
          }}
          style={{ rowGap: 8, marginBottom: 12 }}
        >
          <Form.Item label={t('项目编号', 'Pairing code')} name="code">
            <Input style={{ width: 150 }} placeholder="GJ-2026-004" allowClear />
          </Form.Item>
          <Form.Item label={t('操作人', 'Actor')} name="actor">
            <Input style={{ width: 150 }} placeholder={t('姓名或用户名', 'Name or username')} allowClear />
          </Form.Item>
          <Form.Item label={t('事件', 'Event')} name="type">
            <Select
              allowClear
              style={{ width: 190 }}
              showSearch={{ optionFilterProp: 'label' }}
              options={[...Object.keys(EVENTS), ...SYSTEM_TYPES].map((k) => ({ value: k, label: typeLabel(k, lang) }))}
            />
          </Form.Item>
          <Form.Item label={t('日期', 'Dates')} name="range">
            <DatePicker.RangePicker />
          </Form.Item>
          <Form.Item>
            <Button htmlType="submit" type="primary">
              {t('查询', 'Search')}
            </Button>
          </Form.Item>
        </Form>
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title={t(
            `每个项目一条哈希链，另有一条系统链（登录、用户与组织变更、越权尝试）。记录只增不改，序号连续；时间为${zone === 'Asia/Shanghai' ? '北京时间' : zone}（${offset}）。`,
            `One hash chain per pairing plus a system chain (logins, user and organisation changes, refused attempts). Append-only, numbered by seq; times are in the court’s zone (${zone}, ${offset}).`,
          )}
        />
        {fieldErrors.length === 0 && <ErrorAlert error={events.error} onRetry={events.reload} />}
        <Table<AuditEvent>
          size="small"
          loading={events.loading}
          rowKey={(e) => `${e.chain}-${e.seq}`}
          dataSource={items}
          // The columns' widths add up to what a 1280 px screen holds; a phone scrolls the table sideways.
          scroll={{ x: 'max-content' }}
          pagination={{
            current: page.page,
            pageSize: page.pageSize,
            total: shown?.total ?? 0,
            showSizeChanger: true,
            showTotal: (n) => t(`共 ${n} 条`, `${n} events`),
            onChange: (p, s) => setPage({ page: p, pageSize: s }),
          }}
          expandable={{
            expandedRowRender: (e) => (
              <div data-testid="audit-detail">
                {e.comment ? (
                  <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }} data-testid="audit-detail-comment">
                    {t('意见：', 'Comment: ')}
                    {e.comment}
                  </Typography.Paragraph>
                ) : null}
                <PayloadFields payload={e.payload} names={names} />
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('链', 'Chain')} {e.chain} · prevHash {e.prevHash} · hash {e.hash}
                </Typography.Text>
              </div>
            ),
          }}
          columns={[
            {
              title: t('项目', 'Pairing'),
              key: 'pairing',
              width: 190,
              render: (_, e) => {
                const pairing = pairings[e.chain];
                if (pairing)
                  return (
                    <span data-testid="audit-pairing">
                      <Link to={`/pairings/${pairing.id}`}>{pairing.code}</Link>
                      <br />
                      <Typography.Text type="secondary" ellipsis style={{ maxWidth: 170 }}>
                        {pairing.title}
                      </Typography.Text>
                    </span>
                  );
                return e.chain.startsWith('pairing:') ? <Tag>{e.chain}</Tag> : <Tag color="blue">{t('系统', 'System')}</Tag>;
              },
            },
            { title: t('序号', 'Seq'), dataIndex: 'seq', width: 56 },
            { title: t('时间', 'Time'), dataIndex: 'at', width: 150, render: (v: string) => formatInstant(v, timeZone) },
            {
              title: t('操作人', 'Actor'),
              key: 'actor',
              width: 140,
              render: (_, e) => {
                if (!e.actorId) return t('系统', 'System');
                const actor = actors[e.actorId];
                return actor ? (
                  <span data-testid="audit-actor">
                    {actor.displayName}
                    <br />
                    <Typography.Text type="secondary">{actor.username}</Typography.Text>
                  </span>
                ) : (
                  `#${e.actorId}`
                );
              },
            },
            {
              title: t('事件', 'Event'),
              key: 'type',
              width: 150,
              // The state change under the event that made it, rather than a column of its own off the screen's edge.
              render: (_, e) => (
                <>
                  {typeLabel(e.type, lang)}
                  {e.fromState || e.toState ? (
                    <div className="gj-muted" data-testid="audit-states">
                      {stateLabel(e.fromState, lang)} → {stateLabel(e.toState, lang)}
                    </div>
                  ) : null}
                </>
              ),
            },
            {
              title: t('意见', 'Comment'),
              dataIndex: 'comment',
              width: COMMENT_WIDTH,
              // Beside the event it explains; three lines of it in the row, the whole of it on hover and in the row's detail.
              render: (v: string | null) =>
                v ? (
                  <div className="gj-audit-comment" title={v} data-testid="audit-comment">
                    {v}
                  </div>
                ) : (
                  '—'
                ),
            },
            {
              title: t('哈希', 'Hash'),
              dataIndex: 'hash',
              width: 110,
              // On narrower screens the whole hash is in the row's detail.
              responsive: ['xxl'],
              render: (h: string) => (
                <Typography.Text code copyable={{ text: h }}>
                  {h?.slice(0, 8)}
                </Typography.Text>
              ),
            },
          ]}
        />
      </Card>
    </>
  );
}
