import { useState } from 'react';
import { Link } from 'react-router';
import { App, Button, Card, Empty, Space, Tag, Typography } from 'antd';
import { CheckOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { newIdempotencyKey, post } from '../api/client';
import { errorMessage } from '../api/errors';
import { invalidatePairing, usePairingList, useTasks } from '../api/queries';
import type { Task } from '../api/types';
import { useAuth } from '../auth';
import { ErrorAlert, PageTitle, StateTag, fmtDate } from '../components/common';
import { ItemList, ItemRow } from '../components/ItemList';
import { useOrg } from '../hooks';
import { useLang } from '../i18n';
import { activityKindLabel, taskLabel } from '../labels';

/**
 * The partner liaison's main screen (SPEC §12), made for a phone: what waits for their organisation — an
 * agreement to countersign, activities to confirm with one tap, the year's evaluation — and their pairings.
 * Countersigning and the evaluation open the pairing, where the agreement and the year can be read first.
 */
export default function PartnerHome() {
  const { t, lang } = useLang();
  const { user } = useAuth();
  const { message } = App.useApp();
  const client = useQueryClient();
  const { partnerName } = useOrg();
  const tasks = useTasks();
  const pairings = usePairingList('?pageSize=50');
  const [busy, setBusy] = useState<string | null>(null);

  const confirm = async (task: Task) => {
    const key = `${task.pairingId}:${task.activityId}`;
    setBusy(key);
    try {
      await post(
        `/api/pairings/${encodeURIComponent(String(task.pairingId))}/events`,
        { type: 'CONFIRM_ACTIVITY', activityId: task.activityId },
        { 'Idempotency-Key': newIdempotencyKey() },
      );
      message.success(t('已确认参加', 'Confirmed'));
    } catch (e) {
      message.error(errorMessage(e, lang));
    } finally {
      setBusy(null);
      await invalidatePairing(client, task.pairingId);
    }
  };

  const waiting = tasks.data ?? [];
  return (
    <div className="gj-partner">
      <PageTitle title={t('共建单位工作台', 'Partner workbench')} />
      <Typography.Paragraph type="secondary">
        {user?.displayName} · {user?.partnerId !== undefined && user?.partnerId !== null ? partnerName(user.partnerId) : ''}
      </Typography.Paragraph>
      <Card size="small" title={t(`待办理（${waiting.length}）`, `Waiting for you (${waiting.length})`)} data-testid="partner-tasks">
        {tasks.error ? (
          <ErrorAlert error={tasks.error} onRetry={() => void tasks.refetch()} />
        ) : (
          <ItemList
            items={waiting}
            rowKey={(task) => `${task.pairingId}-${task.kind}-${task.activityId ?? ''}`}
            empty={<Empty description={t('暂无需要办理的事项', 'Nothing waits for you')} />}
            renderItem={(task) => (
              <ItemRow
                actions={
                  task.kind === 'CONFIRM_ACTIVITY' ? (
                    <Button
                      type="primary"
                      size="large"
                      icon={<CheckOutlined />}
                      loading={busy === `${task.pairingId}:${task.activityId}`}
                      onClick={() => void confirm(task)}
                      data-testid={`confirm-activity-${task.activityId}`}
                    >
                      {t('确认参加', 'Confirm')}
                    </Button>
                  ) : (
                    <Link to={`/pairings/${task.pairingId}`}>
                      <Button type="primary" size="large">
                        {task.kind === 'COUNTERSIGN_AGREEMENT' ? t('去会签', 'Countersign') : t('去评价', 'Evaluate')}
                      </Button>
                    </Link>
                  )
                }
                title={<Link to={`/pairings/${task.pairingId}`}>{taskLabel(task.kind, task.state, lang)}</Link>}
                description={
                  <Space orientation="vertical" size={0}>
                    <span>
                      {task.code} {task.title}
                    </span>
                    {task.kind === 'CONFIRM_ACTIVITY' && (
                      <span>
                        {fmtDate(task.heldOn)} <Tag>{activityKindLabel(task.activityKind ?? 'other', lang)}</Tag>
                        <span>{task.activityTitle}</span>
                      </span>
                    )}
                  </Space>
                }
              />
            )}
          />
        )}
      </Card>
      <Card size="small" title={t('我单位的结对项目', 'Our pairings')} style={{ marginTop: 16 }} data-testid="partner-pairings">
        <ItemList
          loading={pairings.isLoading}
          items={pairings.data?.items ?? []}
          rowKey={(p) => String(p.id)}
          empty={t('暂无结对项目', 'No pairings yet')}
          renderItem={(p) => (
            <ItemRow
              title={<Link to={`/pairings/${p.id}`}>{p.title}</Link>}
              description={
                <Space wrap size={4}>
                  <span>{p.code}</span>
                  <StateTag state={p.state} />
                </Space>
              }
            />
          )}
        />
      </Card>
    </div>
  );
}
