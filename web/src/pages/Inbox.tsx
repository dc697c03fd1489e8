import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { Button, Card, Segmented, Table } from 'antd';
import { usePairingSummaries, useTasks } from '../api/queries';
import type { Task } from '../api/types';
import { DueTag, ErrorAlert, PageTitle, StateTag, fmtTime } from '../components/common';
import { useOrg } from '../hooks';
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
  const query = useTasks();
  const tasks = useMemo(() => (query.data ?? []).filter(isCommitteeTask), [query.data]);
  const titles = usePairingSummaries(tasks.map((x) => x.pairingId));
  const rows = useMemo(() => tasks.filter((x) => filter === 'all' || x.state === filter), [tasks, filter]);
  const count = (s: string) => tasks.filter((x) => x.state === s).length;

  return (
    <>
      <PageTitle title={t('审批待办', 'Approvals')} extra={<Button onClick={() => void query.refetch()}>{t('刷新', 'Refresh')}</Button>} />
      <Card>
        <Segmented
          style={{ marginBottom: 12, maxWidth: '100%', overflowX: 'auto' }}
          value={filter}
          onChange={(v) => setFilter(String(v))}
          aria-label={t('按类别筛选', 'Filter')}
          options={[
            { value: 'all', label: t(`全部 ${tasks.length}`, `All ${tasks.length}`) },
            { value: 'proposed', label: t(`申报审批 ${count('proposed')}`, `Proposals ${count('proposed')}`) },
            { value: 'planFiled', label: t(`计划备案 ${count('planFiled')}`, `Plans ${count('planFiled')}`) },
            { value: 'active.reportSubmitted', label: t(`季度评分 ${count('active.reportSubmitted')}`, `Quarters ${count('active.reportSubmitted')}`) },
            { value: 'underReview', label: t(`述职评分 ${count('underReview')}`, `Reviews ${count('underReview')}`) },
          ]}
        />
        <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />
        <Table<Task>
          size="middle"
          loading={query.isLoading}
          rowKey={(r) => `${r.pairingId}-${r.kind}-${r.since}`}
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
                    {r.code ?? p?.code ?? ''} {r.title ?? p?.title ?? `#${r.pairingId}`}
                  </Link>
                );
              },
            },
            { title: t('支部', 'Branch'), key: 'b', render: (_, r) => { const p = titles[String(r.pairingId)]; return p ? branchName(p.leadBranchId) : '—'; } },
            { title: t('事项', 'Task'), key: 'k', render: (_, r) => taskLabel(r.kind, r.state, lang, r.quarter) },
            { title: t('状态', 'State'), key: 's', render: (_, r) => <StateTag state={r.state} /> },
            { title: t('报送时间', 'Since'), key: 'since', render: (_, r) => fmtTime(r.since) },
            { title: t('办理时限', 'Due'), key: 'due', className: 'gj-nowrap', render: (_, r) => <DueTag dueAt={r.dueAt} overdue={r.overdue} /> },
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
