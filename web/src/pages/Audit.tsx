import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { Alert, App, Button, Card, DatePicker, Form, Input, Result, Select, Space, Table, Tag, Typography, Upload } from 'antd';
import { CheckCircleFilled, CloseCircleFilled, DownloadOutlined, SafetyCertificateOutlined, UploadOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { download, get, post, qs, saveBlob } from '../api/client';
import { errorMessage } from '../api/errors';
import type { AuditEvent, Page, VerifyResult } from '../api/types';
import { useAuth } from '../auth';
import { ErrorAlert, PageTitle, fmtTime } from '../components/common';
import { useAsync, useNotifyError } from '../hooks';
import { useLang } from '../i18n';
import { EVENTS, eventLabel, stateLabel } from '../labels';

const SYSTEM_TYPES = ['LOGIN', 'LOGIN_FAILED', 'USER_CREATED', 'USER_CHANGED', 'BRANCH_CREATED', 'BRANCH_CHANGED', 'PARTNER_CREATED', 'PARTNER_CHANGED', 'EVENT_FORBIDDEN'];
const SYSTEM_LABELS: Record<string, [string, string]> = {
  LOGIN: ['登录', 'Login'],
  LOGIN_FAILED: ['登录失败', 'Failed login'],
  USER_CREATED: ['新增用户', 'User created'],
  USER_CHANGED: ['修改用户', 'User changed'],
  BRANCH_CREATED: ['新增党支部', 'Branch created'],
  BRANCH_CHANGED: ['修改党支部', 'Branch changed'],
  PARTNER_CREATED: ['新增共建单位', 'Partner created'],
  PARTNER_CHANGED: ['修改共建单位', 'Partner changed'],
  EVENT_FORBIDDEN: ['越权操作被拒绝', 'Forbidden attempt'],
};

const peopleCache = new Map<string, Promise<{ id: string | number; displayName: string }[]>>();

/** Names of the actors on this page, from each pairing's `/people` (only admins may list users). */
function useActorNames(items: AuditEvent[]) {
  const [names, setNames] = useState<Record<string, string>>({});
  const ids = [...new Set(items.map((e) => /^pairing:(.+)$/.exec(e.chain)?.[1]).filter((x): x is string => !!x))].sort().join(',');
  useEffect(() => {
    let live = true;
    const list = ids ? ids.split(',') : [];
    Promise.all(
      list.map((id) => {
        if (!peopleCache.has(id))
          peopleCache.set(
            id,
            get<{ id: string | number; displayName: string }[]>(`/api/pairings/${encodeURIComponent(id)}/people`).catch(() => []),
          );
        return peopleCache.get(id)!;
      }),
    ).then((all) => {
      if (!live) return;
      const map: Record<string, string> = {};
      for (const people of all) for (const u of Array.isArray(people) ? people : []) map[String(u.id)] = u.displayName;
      setNames(map);
    });
    return () => {
      live = false;
    };
  }, [ids]);
  return names;
}

interface Filters {
  pairingId?: string;
  actorId?: string;
  type?: string;
  range?: [Dayjs | null, Dayjs | null] | null;
}

function VerifyView({ result }: { result: VerifyResult }) {
  const { t } = useLang();
  const failures = result.failures ?? [];
  return (
    <div data-testid="verify-result" data-ok={String(!!result.ok)}>
      {result.ok ? (
        <Result
          status="success"
          icon={<CheckCircleFilled />}
          title={<span>✓ {t('审计链完整，未发现篡改', 'The audit chains are intact')}</span>}
          subTitle={t(`共校验 ${result.chains ?? '—'} 条链、${result.events ?? '—'} 条记录`, `${result.chains ?? '—'} chains, ${result.events ?? '—'} events checked`)}
        />
      ) : (
        <Result
          status="error"
          icon={<CloseCircleFilled />}
          title={<span>✗ {t('审计链校验未通过', 'The audit chain check failed')}</span>}
          subTitle={t(`共校验 ${result.chains ?? '—'} 条链、${result.events ?? '—'} 条记录`, `${result.chains ?? '—'} chains, ${result.events ?? '—'} events checked`)}
        >
          <Table
            size="small"
            rowKey={(f) => `${f.chain}-${f.seq}`}
            pagination={false}
            dataSource={failures}
            columns={[
              { title: t('链', 'Chain'), dataIndex: 'chain' },
              { title: t('首个断裂序号', 'First broken seq'), dataIndex: 'seq', render: (s) => <Tag color="error">#{s}</Tag> },
              { title: t('原因', 'Reason'), dataIndex: 'reason' },
            ]}
          />
        </Result>
      )}
    </div>
  );
}

export default function Audit() {
  const { t, lang } = useLang();
  const { hasRole } = useAuth();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [filters, setFilters] = useState<Filters>({});
  const [page, setPage] = useState({ page: 1, pageSize: 20 });
  const [verify, setVerify] = useState<VerifyResult | null>(null);
  const [verifyError, setVerifyError] = useState<unknown>(null);
  const [verifying, setVerifying] = useState(false);
  const isAuditor = hasRole('auditor');

  const query = qs({
    pairingId: filters.pairingId?.trim(),
    actorId: filters.actorId?.trim(),
    type: filters.type,
    from: filters.range?.[0]?.startOf('day').toISOString(),
    to: filters.range?.[1]?.endOf('day').toISOString(),
    page: page.page,
    pageSize: page.pageSize,
  });
  const events = useAsync(() => get<Page<AuditEvent> | AuditEvent[]>(`/api/audit/events${query}`), [query]);
  const items = Array.isArray(events.data) ? events.data : (events.data?.items ?? []);
  const names = useActorNames(items);
  const total = Array.isArray(events.data) ? events.data.length : (events.data?.total ?? 0);

  const runVerify = async (checkpoint?: unknown) => {
    setVerifying(true);
    setVerifyError(null);
    try {
      const r = checkpoint
        ? await post<VerifyResult>('/api/audit/verify', { checkpoint })
        : await get<VerifyResult>(`/api/audit/verify${qs({ pairingId: filters.pairingId?.trim() })}`);
      setVerify(r);
    } catch (e) {
      setVerify(null);
      setVerifyError(e);
    } finally {
      setVerifying(false);
    }
  };

  const typeLabel = (ty: string) => (SYSTEM_LABELS[ty] ? SYSTEM_LABELS[ty][lang === 'en' ? 1 : 0] : eventLabel(ty, lang));

  return (
    <>
      <PageTitle
        title={t('审计查询', 'Audit trail')}
        extra={
          <Space wrap>
            <Button type="primary" icon={<SafetyCertificateOutlined />} loading={verifying} onClick={() => runVerify()}>
              {t('校验审计链', 'Verify chains')}
            </Button>
            {isAuditor && (
              <>
                <Button
                  icon={<DownloadOutlined />}
                  onClick={() =>
                    download('/api/audit/export?format=csv', `audit-${new Date().toISOString().slice(0, 10)}.csv`)
                      .then(() => message.success(t('已导出', 'Exported')))
                      .catch(notifyError)
                  }
                >
                  {t('导出CSV', 'Export CSV')}
                </Button>
                <Button
                  icon={<DownloadOutlined />}
                  onClick={async () => {
                    try {
                      const cp = await get<unknown>('/api/audit/checkpoint');
                      saveBlob(new Blob([JSON.stringify(cp, null, 2)], { type: 'application/json' }), `audit-checkpoint-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
                      message.success(t('已下载检查点', 'Checkpoint downloaded'));
                    } catch (e) {
                      notifyError(e);
                    }
                  }}
                >
                  {t('下载检查点', 'Download checkpoint')}
                </Button>
                <Upload
                  accept=".json,application/json"
                  showUploadList={false}
                  beforeUpload={async (file) => {
                    try {
                      const cp = JSON.parse(await file.text());
                      await runVerify(cp);
                    } catch (e) {
                      message.error(e instanceof SyntaxError ? t('检查点文件格式不正确', 'Not a checkpoint file') : errorMessage(e, lang));
                    }
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
          layout="inline"
          onFinish={(v) => {
            setFilters(v);
            setPage((p) => ({ ...p, page: 1 }));
          }}
          style={{ rowGap: 8, marginBottom: 12 }}
        >
          <Form.Item label={t('项目编号(ID)', 'Pairing id')} name="pairingId">
            <Input style={{ width: 120 }} allowClear />
          </Form.Item>
          <Form.Item label={t('操作人ID', 'Actor id')} name="actorId">
            <Input style={{ width: 110 }} allowClear />
          </Form.Item>
          <Form.Item label={t('类型', 'Type')} name="type">
            <Select
              allowClear
              style={{ width: 180 }}
              showSearch={{ optionFilterProp: 'label' }}
              options={[...Object.keys(EVENTS), ...SYSTEM_TYPES].map((k) => ({ value: k, label: typeLabel(k) }))}
            />
          </Form.Item>
          <Form.Item label={t('时间', 'Time')} name="range">
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
            '每个项目一条哈希链，另有一条系统链（登录、用户与组织变更、越权尝试）。记录只增不改，序号连续。',
            'One hash chain per pairing plus a system chain (logins, user and organisation changes, refused attempts). Append-only, numbered by seq.',
          )}
        />
        <ErrorAlert error={events.error} onRetry={events.reload} />
        <Table<AuditEvent>
          size="small"
          loading={events.loading}
          rowKey={(e) => `${e.chain}-${e.seq}`}
          dataSource={items}
          scroll={{ x: 1100 }}
          pagination={{
            current: page.page,
            pageSize: page.pageSize,
            total,
            showSizeChanger: true,
            showTotal: (n) => t(`共 ${n} 条`, `${n} events`),
            onChange: (p, s) => setPage({ page: p, pageSize: s }),
          }}
          expandable={{
            expandedRowRender: (e) => (
              <pre style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all', fontSize: 12, margin: 0 }}>
                {JSON.stringify({ payload: e.payload, prevHash: e.prevHash, hash: e.hash }, null, 2)}
              </pre>
            ),
          }}
          columns={[
            {
              title: t('链', 'Chain'),
              dataIndex: 'chain',
              width: 130,
              render: (c: string) => {
                const m = /^pairing:(.+)$/.exec(c);
                return m ? <Link to={`/pairings/${m[1]}`}>{c}</Link> : <Tag>{c}</Tag>;
              },
            },
            { title: t('序号', 'Seq'), dataIndex: 'seq', width: 70 },
            { title: t('时间', 'Time'), dataIndex: 'at', width: 150, render: (v) => fmtTime(v) },
            {
              title: t('操作人', 'Actor'),
              key: 'actor',
              width: 150,
              render: (_, e) => e.actorName ?? (e.actorId ? (names[String(e.actorId)] ? `${names[String(e.actorId)]}（#${e.actorId}）` : `#${e.actorId}`) : t('系统', 'System')),
            },
            { title: t('类型', 'Type'), dataIndex: 'type', width: 140, render: (v) => typeLabel(v) },
            {
              title: t('状态变化', 'State'),
              key: 'st',
              width: 200,
              render: (_, e) => (e.fromState || e.toState ? `${stateLabel(e.fromState, lang)} → ${stateLabel(e.toState, lang)}` : '—'),
            },
            { title: t('意见', 'Comment'), dataIndex: 'comment', render: (v) => v || '—' },
            {
              title: t('哈希', 'Hash'),
              dataIndex: 'hash',
              width: 110,
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
