import { Badge, Button, Card, Col, Empty, List, Row, Space, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { get, post } from '../api/client';
import type { Notification, Task } from '../api/types';
import { useAuth } from '../auth';
import { DueTag, ErrorAlert, PageTitle, StateTag, fmtTime, usePairingSummaries } from '../components/common';
import { useAsync, useNotifyError } from '../hooks';
import { useLang } from '../i18n';
import { roleLabel, taskLabel } from '../labels';

function asList<T>(v: unknown): T[] {
  if (Array.isArray(v)) return v as T[];
  if (v && typeof v === 'object' && Array.isArray((v as { items?: unknown }).items)) return (v as { items: T[] }).items;
  return [];
}

export function notificationText(n: Notification): string {
  for (const k of ['title', 'message', 'text', 'body', 'summary']) {
    const v = n[k];
    if (typeof v === 'string' && v) return v;
  }
  return String(n.type ?? n.kind ?? '');
}

export function isRead(n: Notification): boolean {
  return n.read === true || !!n.readAt;
}

export default function Dashboard() {
  const { user, hasRole } = useAuth();
  const { t, lang } = useLang();
  const notifyError = useNotifyError();
  const tasks = useAsync(async () => asList<Task>(await get('/api/tasks')), []);
  const notes = useAsync(async () => asList<Notification>(await get('/api/notifications')), []);
  // Tasks usually carry code and title; look the pairing up only when they do not.
  const titles = usePairingSummaries((tasks.data ?? []).filter((x) => !x.title).map((x) => x.pairingId));

  const markRead = async (n: Notification) => {
    try {
      await post(`/api/notifications/${encodeURIComponent(String(n.id))}/read`);
      await notes.reload();
    } catch (e) {
      notifyError(e);
    }
  };
  const unread = (notes.data ?? []).filter((n) => !isRead(n));
  const markAllRead = async () => {
    try {
      for (const n of unread) await post(`/api/notifications/${encodeURIComponent(String(n.id))}/read`);
    } catch (e) {
      notifyError(e);
    }
    await notes.reload();
  };

  return (
    <>
      <PageTitle
        title={t('工作台', 'Workbench')}
        extra={
          <Space wrap>
            <Typography.Text type="secondary">
              {user?.displayName} · {user?.roles?.map((r) => roleLabel(r, lang)).join('、')}
            </Typography.Text>
            {hasRole('secretary', 'committee') && (
              <Link to="/pairings/new">
                <Button type="primary">{t('新建结对项目', 'New pairing')}</Button>
              </Link>
            )}
          </Space>
        }
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Card title={<span>{t('我的待办', 'My tasks')} <Badge count={tasks.data?.length ?? 0} showZero color="#c8102e" /></span>}>
            <ErrorAlert error={tasks.error} onRetry={tasks.reload} />
            <Table<Task>
              size="small"
              loading={tasks.loading}
              rowKey={(r) => String(r.id ?? `${r.pairingId}-${r.kind}-${r.since}`)}
              dataSource={tasks.data ?? []}
              pagination={{ pageSize: 10, hideOnSinglePage: true }}
              scroll={{ x: 560 }}
              locale={{ emptyText: <Empty description={t('暂无待办事项', 'Nothing waiting for you')} /> }}
              columns={[
                {
                  title: t('项目', 'Pairing'),
                  key: 'p',
                  render: (_, r) => {
                    const p = titles[String(r.pairingId)];
                    const code = (r.code as string) ?? p?.code;
                    const label = (r.title as string) ?? p?.title ?? `#${r.pairingId}`;
                    return (
                      <Link to={`/pairings/${r.pairingId}`}>
                        {code ? `${code} ` : ''}
                        {label}
                      </Link>
                    );
                  },
                },
                { title: t('待办事项', 'Task'), key: 'k', render: (_, r) => taskLabel(r.kind, r.state, lang, r.quarter as number | null | undefined) },
                { title: t('状态', 'State'), key: 's', render: (_, r) => <StateTag state={r.state} /> },
                { title: t('开始', 'Since'), key: 'since', render: (_, r) => fmtTime(r.since), responsive: ['md'] },
                { title: t('办理时限', 'Due'), key: 'due', render: (_, r) => <DueTag dueAt={r.dueAt} /> },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card
            title={<span>{t('消息通知', 'Notifications')} <Badge count={unread.length} /></span>}
            extra={unread.length > 1 && <Button size="small" onClick={markAllRead}>{t('全部标为已读', 'Mark all read')}</Button>}
          >
            <ErrorAlert error={notes.error} onRetry={notes.reload} />
            <List<Notification>
              loading={notes.loading}
              dataSource={notes.data ?? []}
              locale={{ emptyText: t('暂无消息', 'No notifications') }}
              pagination={(notes.data?.length ?? 0) > 8 ? { pageSize: 8, size: 'small' } : false}
              renderItem={(n) => {
                const read = isRead(n);
                const pid = n.pairingId as string | number | undefined;
                return (
                  <List.Item
                    actions={
                      read
                        ? [<Tag key="r">{t('已读', 'Read')}</Tag>]
                        : [
                            <Button key="m" size="small" onClick={() => markRead(n)}>
                              {t('标为已读', 'Mark read')}
                            </Button>,
                          ]
                    }
                  >
                    <List.Item.Meta
                      title={
                        <span style={{ fontWeight: read ? 400 : 600 }}>
                          {pid !== undefined && pid !== null ? <Link to={`/pairings/${pid}`}>{notificationText(n)}</Link> : notificationText(n)}
                        </span>
                      }
                      description={
                        <>
                          {typeof n.body === 'string' && n.body !== notificationText(n) && <div style={{ color: 'rgba(0,0,0,0.75)' }}>{n.body}</div>}
                          <div>{fmtTime((n.createdAt ?? n.at) as string | undefined)}</div>
                        </>
                      }
                    />
                  </List.Item>
                );
              }}
            />
          </Card>
        </Col>
      </Row>
    </>
  );
}
