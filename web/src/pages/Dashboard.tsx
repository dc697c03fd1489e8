import { Badge, Button, Card, Col, Empty, Row, Space, Table, Tag, Typography } from 'antd';
import { Link, useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { post } from '../api/client';
import { keys, useNotifications, usePairingSummaries, useTasks } from '../api/queries';
import type { Notification, Task } from '../api/types';
import { useAuth } from '../auth';
import { DueTag, ErrorAlert, PageTitle, StateTag, fmtTime } from '../components/common';
import { ItemList, ItemRow } from '../components/ItemList';
import { useIsMobile, useNotifyError } from '../hooks';
import { useLang } from '../i18n';
import { roleLabel, taskLabel } from '../labels';

export const isRead = (n: Notification) => n.read === true || !!n.readAt;
/** Still calling for attention: neither read nor about something already done (the server's `unread`). */
export const needsAttention = (n: Notification) => !isRead(n) && !n.done;

export default function Dashboard() {
  const { user, hasRole } = useAuth();
  const { t, lang } = useLang();
  const mobile = useIsMobile();
  const client = useQueryClient();
  const notifyError = useNotifyError();
  const navigate = useNavigate();
  const tasks = useTasks();
  const notes = useNotifications();
  // Tasks carry code and title; look the pairing up only when they do not.
  const titles = usePairingSummaries((tasks.data ?? []).filter((x) => !x.title).map((x) => x.pairingId));
  const items = notes.data?.items ?? [];
  const attention = notes.data?.unread ?? 0;

  const markRead = async (path: string) => {
    try {
      await post(path);
    } catch (e) {
      notifyError(e);
    }
    await client.invalidateQueries({ queryKey: keys.notifications });
  };

  return (
    <>
      <PageTitle
        title={t('工作台', 'Workbench')}
        extra={
          <Space wrap>
            {!mobile && (
              <Typography.Text type="secondary">
                {user?.displayName} · {user?.roles?.map((r) => roleLabel(r, lang)).join('、')}
              </Typography.Text>
            )}
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
          <Card
            title={
              <span>
                {t('我的待办', 'My tasks')} <Badge count={tasks.data?.length ?? 0} showZero color="#c8102e" />
              </span>
            }
          >
            <ErrorAlert error={tasks.error} onRetry={() => void tasks.refetch()} />
            <Table<Task>
              size="small"
              loading={tasks.isLoading}
              rowKey={(r) => `${r.pairingId}-${r.kind}-${r.since}`}
              dataSource={tasks.data ?? []}
              pagination={{ pageSize: 10, hideOnSinglePage: true }}
              rowClassName="gj-row-link"
              // The whole row opens the pairing the task is about; its link does the same for the keyboard.
              onRow={(r) => ({
                'data-testid': 'task',
                onClick: (e) => {
                  if ((e.target as HTMLElement).closest('a, button')) return;
                  void navigate(`/pairings/${r.pairingId}`);
                },
              })}
              locale={{ emptyText: <Empty description={t('暂无待办事项', 'Nothing waiting for you')} /> }}
              // The task is what the row is for: on a desktop it keeps a column wide enough for two lines, the
              // state and the start give way below 1600 px; a phone reads it under the pairing's name.
              columns={[
                {
                  title: mobile ? t('项目与待办', 'Pairing and task') : t('项目', 'Pairing'),
                  key: 'p',
                  render: (_, r) => {
                    const p = titles[String(r.pairingId)];
                    const code = r.code ?? p?.code;
                    const title = r.title ?? p?.title ?? `#${r.pairingId}`;
                    return (
                      <>
                        <Link to={`/pairings/${r.pairingId}`} className="gj-clamp-2" title={title}>
                          {code ? `${code} ` : ''}
                          {title}
                        </Link>
                        {mobile && <div data-testid="task-text">{taskLabel(r.kind, r.state, lang, r.quarter)}</div>}
                      </>
                    );
                  },
                },
                ...(mobile
                  ? []
                  : [{ title: t('待办事项', 'Task'), key: 'k', width: 180, render: (_: unknown, r: Task) => <span data-testid="task-text">{taskLabel(r.kind, r.state, lang, r.quarter)}</span> }]),
                { title: t('状态', 'State'), key: 's', width: 120, render: (_, r) => <StateTag state={r.state} />, responsive: ['xxl'] },
                { title: t('开始', 'Since'), key: 'since', width: 120, render: (_, r) => fmtTime(r.since), responsive: ['xxl'] },
                { title: t('办理时限', 'Due'), key: 'due', width: mobile ? 104 : 150, render: (_, r) => <DueTag dueAt={r.dueAt} overdue={r.overdue} /> },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card
            title={
              <span>
                {t('消息通知', 'Notifications')} <Badge count={attention} />
              </span>
            }
            extra={
              items.some(needsAttention) && (
                <Button size="small" onClick={() => void markRead('/api/notifications/read-all')}>
                  {t('全部标为已读', 'Mark all read')}
                </Button>
              )
            }
          >
            <ErrorAlert error={notes.error} onRetry={() => void notes.refetch()} />
            <ItemList<Notification>
              loading={notes.isLoading}
              items={items}
              rowKey={(n) => String(n.id)}
              empty={t('暂无消息', 'No notifications')}
              pageSize={8}
              renderItem={(n) => {
                const read = isRead(n);
                const quiet = read || n.done;
                return (
                  <ItemRow
                    data-testid="notification"
                    data-kind={n.kind}
                    data-done={n.done ? 'true' : 'false'}
                    className={n.done ? 'gj-notice-done' : undefined}
                    actions={
                      // A done notice is handled: there is nothing left to mark.
                      n.done ? (
                        <Tag color="default">{t('已办结', 'Done')}</Tag>
                      ) : read ? (
                        <Tag>{t('已读', 'Read')}</Tag>
                      ) : (
                        <Button size="small" onClick={() => void markRead(`/api/notifications/${encodeURIComponent(String(n.id))}/read`)}>
                          {t('标为已读', 'Mark read')}
                        </Button>
                      )
                    }
                    title={
                      <span style={{ fontWeight: quiet ? 400 : 600 }}>
                        {n.pairingId !== undefined && n.pairingId !== null ? <Link to={`/pairings/${n.pairingId}`}>{n.title}</Link> : n.title}
                      </span>
                    }
                    description={
                      <>
                        <div className="gj-notice-body">{n.body}</div>
                        <div>{fmtTime(n.createdAt)}</div>
                      </>
                    }
                  />
                );
              }}
            />
          </Card>
        </Col>
      </Row>
    </>
  );
}
