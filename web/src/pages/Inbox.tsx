import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { Button, Card, Segmented, Table } from 'antd';
import { get } from '../api/client';
import type { Task } from '../api/types';
import { DueTag, ErrorAlert, PageTitle, StateTag, fmtTime, usePairingSummaries } from '../components/common';
import { useAsync, useOrg } from '../hooks';
import { useLang } from '../i18n';
import { COMMITTEE_STATES, taskLabel } from '../labels';

const COMMITTEE_KIND = /review|approv|score|accept|plan_review|decide|committee/i;

export function isCommitteeTask(task: Task): boolean {
  if (task.waitsOn === 'committee') return true;
  if (task.waitsOn) return false;
  return COMMITTEE_STATES.includes(task.state) || COMMITTEE_KIND.test(String(task.kind ?? ''));
}

export default function Inbox() {
  const { t, lang } = useLang();
  const { branchName } = useOrg();
  const [filter, setFilter] = useState<string>('all');
  const tasks = useAsync(async () => {
    const d = await get<Task[] | { items: Task[] }>('/api/tasks');
    return (Array.isArray(d) ? d : (d?.items ?? [])).filter(isCommitteeTask);
  }, []);
  const titles = usePairingSummaries((tasks.data ?? []).map((x) => x.pairingId));
  const rows = useMemo(() => (tasks.data ?? []).filter((x) => filter === 'all' || x.state === filter), [tasks.data, filter]);
  const count = (s: string) => (tasks.data ?? []).filter((x) => x.state === s).length;

  return (
    <>
      <PageTitle title={t('审批待办', 'Approvals')} extra={<Button onClick={tasks.reload}>{t('刷新', 'Refresh')}</Button>} />
      <Card>
        <Segmented
          style={{ marginBottom: 12, maxWidth: '100%', overflowX: 'auto' }}
          value={filter}
          onChange={(v) => setFilter(String(v))}
          aria-label={t('按类别筛选', 'Filter')}
          options={[
            { value: 'all', label: t(`全部 ${tasks.data?.length ?? 0}`, `All ${tasks.data?.length ?? 0}`) },
            { value: 'proposed', label: t(`申报审批 ${count('proposed')}`, `Proposals ${count('proposed')}`) },
            { value: 'planFiled', label: t(`计划备案 ${count('planFiled')}`, `Plans ${count('planFiled')}`) },
            { value: 'active.reportSubmitted', label: t(`季度评分 ${count('active.reportSubmitted')}`, `Quarters ${count('active.reportSubmitted')}`) },
            { value: 'underReview', label: t(`述职评分 ${count('underReview')}`, `Reviews ${count('underReview')}`) },
          ]}
        />
        <ErrorAlert error={tasks.error} onRetry={tasks.reload} />
        <Table<Task>
          size="middle"
          loading={tasks.loading}
          rowKey={(r) => String(r.id ?? `${r.pairingId}-${r.kind}-${r.since}`)}
          dataSource={rows}
          scroll={{ x: 760 }}
          locale={{ emptyText: t('暂无待审批事项', 'Nothing waiting') }}
          columns={[
            {
              title: t('项目', 'Pairing'),
              key: 'p',
              render: (_, r) => {
                const p = titles[String(r.pairingId)];
                return (
                  <Link to={`/pairings/${r.pairingId}`}>
                    {(r.code as string) ?? p?.code ?? ''} {(r.title as string) ?? p?.title ?? `#${r.pairingId}`}
                  </Link>
                );
              },
            },
            { title: t('支部', 'Branch'), key: 'b', render: (_, r) => { const p = titles[String(r.pairingId)]; return p ? branchName(p.leadBranchId) : '—'; } },
            { title: t('事项', 'Task'), key: 'k', render: (_, r) => taskLabel(r.kind, r.state, lang, r.quarter as number | null | undefined) },
            { title: t('状态', 'State'), key: 's', render: (_, r) => <StateTag state={r.state} /> },
            { title: t('报送时间', 'Since'), key: 'since', render: (_, r) => fmtTime(r.since) },
            { title: t('办理时限', 'Due'), key: 'due', render: (_, r) => <DueTag dueAt={r.dueAt} /> },
            {
              title: '',
              key: 'go',
              render: (_, r) => (
                <Link to={`/pairings/${r.pairingId}`}>
                  <Button type="primary" size="small">{t('去办理', 'Open')}</Button>
                </Link>
              ),
            },
          ]}
        />
      </Card>
    </>
  );
}
