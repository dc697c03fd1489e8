import { useCallback, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { Alert, Button, Card, Descriptions, Empty, Progress, Space, Spin, Statistic, Steps, Table, Tabs, Tag, Typography } from 'antd';
import { EditOutlined, ReloadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { invalidatePairing, useBranchMembers, usePairing, usePairingHistory, usePairingPeople } from '../api/queries';
import type { Activity, Id, QuarterReport } from '../api/types';
import { useAuth } from '../auth';
import ActionButtons from '../components/ActionButtons';
import { PublishPractice } from '../components/PublishPractice';
import { DossierButton } from '../components/ArchiveButtons';
import { AttachmentLinks } from '../components/Attachments';
import { ErrorAlert, NotFound, StateTag, fmtDate, fmtScore, fmtTime, isNotFound } from '../components/common';
import ComplianceMatrix from '../components/ComplianceMatrix';
import EventModal from '../components/EventModal';
import History from '../components/History';
import RevisionsPanel from '../components/RevisionsPanel';
import { useIsMobile, useOrg } from '../hooks';
import { quarterName, useLang } from '../i18n';
import { BASELINE, FINAL_STATES, STEPS, activityKindLabel, categoryLabel, formLabel, modeLabel, reportStatusLabel, stepIndex } from '../labels';
import { quarterOf } from '../dates';

/** Rows keyed by their place in the list, for records that carry no id of their own (antd 6 no longer hands rowKey the index). */
function placed<T extends object>(rows: T[] | undefined): (T & { place: number })[] {
  return (rows ?? []).map((row, place) => ({ ...row, place }));
}

/** Reported quarters: a report waiting for a score or scored (a returned one reopens the quarter). */
function reportedQuarters(reports: QuarterReport[] | undefined): Set<number> {
  return new Set((reports ?? []).filter((r) => r.status !== 'returned').map((r) => Number(r.quarter)));
}

export default function PairingDetail() {
  const { id } = useParams();
  // Pairing ids are whole numbers: anything else names nothing (and is not sent to the server).
  const valid = !!id && /^\d+$/.test(id);
  const { t, lang } = useLang();
  const { user, hasRole } = useAuth();
  const mobile = useIsMobile();
  const client = useQueryClient();
  const { branchName, partnerName, userName } = useOrg();
  const query = usePairing(valid ? id : undefined);
  const history = usePairingHistory(valid && query.data ? id : undefined);
  const people = usePairingPeople(valid && query.data ? id : undefined);
  const members = useBranchMembers(query.data?.pairing.leadBranchId);
  const [modal, setModal] = useState<{ type: string; activityId?: Id } | null>(null);
  const [tab, setTab] = useState<string | null>(null);
  const events = useMemo(() => history.data ?? [], [history.data]);

  const nameOf = useCallback(
    (uid: Id | null | undefined) => {
      if (uid === null || uid === undefined) return '—';
      if (user && String(user.id) === String(uid)) return `${user.displayName || user.username}`;
      const known = [...(people.data ?? []), ...(members.data ?? [])].find((u) => String(u.id) === String(uid));
      return known?.displayName ?? userName(uid);
    },
    [user, people.data, members.data, userName],
  );
  const lastDecision = useMemo(() => [...events].reverse().find((h) => h.type === 'RETURN' || h.type === 'REJECT'), [events]);

  if (!valid || isNotFound(query.error)) return <NotFound what={t('未找到该结对项目，或您无权查看。', 'No such pairing, or you may not see it.')} />;
  if (query.isLoading) return <Spin />;
  if (query.error && !query.data) return <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />;
  if (!query.data) return null;
  const { pairing: p, version } = query.data;
  const reload = () => invalidatePairing(client, p.id);

  // Open on the part of the record the current stage is about.
  const defaultTab = p.state.startsWith('active')
    ? 'quarters'
    : ['yearEndReview', 'underReview', 'scored'].includes(p.state)
      ? 'review'
      : ['approved', 'agreementSigned', 'planFiled'].includes(p.state)
        ? 'agreement'
        : 'overview';

  const lastLive = [...events].reverse().find((h) => h.toState && !FINAL_STATES.includes(h.toState))?.toState ?? null;
  const current = stepIndex(p.state, lastLive);
  const failed = ['withdrawn', 'rejected', 'terminated'].includes(p.state);
  const canEdit =
    ['draft', 'returned'].includes(p.state) &&
    ((p.availableEvents ?? []).includes('SUBMIT') || (p.blockedEvents ?? []).some((b) => b.type === 'SUBMIT'));
  const reported = reportedQuarters(p.reports);
  const canVoid = (p.availableEvents ?? []).includes('VOID_ACTIVITY');
  const canConfirm = (p.availableEvents ?? []).includes('CONFIRM_ACTIVITY');
  const ownPartner = user?.roles?.includes('partner') ? String(user.partnerId ?? '') : null;
  const confirmedByMe = (a: Activity) => (a.confirmations ?? []).some((c) => String(c.partnerId) === ownPartner);
  const liveActivities = (p.activities ?? []).filter((a) => !a.voided).length;

  const overview = (
    <Descriptions
      bordered
      size="small"
      column={{ xs: 1, sm: 1, md: 2 }}
      items={[
        { key: 'code', label: t('项目编号', 'Code'), children: p.code },
        { key: 'year', label: t('年度', 'Year'), children: p.year },
        { key: 'theme', label: t('结对主题', 'Theme'), children: p.theme || '—', span: 'filled' },
        { key: 'problem', label: t('拟解决的实际问题', 'Practical problem'), children: p.problem || '—', span: 'filled' },
        { key: 'goals', label: t('共建目标', 'Goals'), children: p.goals || '—', span: 'filled' },
        { key: 'mode', label: t('结对方式', 'Mode'), children: modeLabel(p.mode, lang) },
        { key: 'form', label: t('结对形式', 'Form'), children: formLabel(p.form, lang) },
        { key: 'lead', label: t('牵头党支部', 'Lead branch'), children: branchName(p.leadBranchId) },
        {
          key: 'co',
          label: t('联合结对支部', 'Co-branches'),
          children: (p.coBranchIds ?? []).length ? (p.coBranchIds ?? []).map((b) => <Tag key={String(b)}>{branchName(b)}</Tag>) : '—',
        },
        {
          key: 'partners',
          label: t('共建单位', 'Partners'),
          span: 'filled',
          children: (p.partnerIds ?? []).length ? (p.partnerIds ?? []).map((x) => <Tag key={String(x)}>{partnerName(x)}</Tag>) : '—',
        },
        {
          key: 'cat',
          label: t('共建内容', 'Categories'),
          span: 'filled',
          children: (p.categories ?? []).length ? (p.categories ?? []).map((c) => <Tag color="red" key={c}>{categoryLabel(c, lang)}</Tag>) : '—',
        },
        { key: 'liaison', label: t('本支部联络员', 'Our liaison'), children: nameOf(p.liaisonUserId) },
        {
          key: 'pl',
          label: t('共建单位联络员', 'Partner liaisons'),
          children: (p.partnerLiaisons ?? []).length
            ? (p.partnerLiaisons ?? []).map((l, i) => (
                <div key={i}>
                  {partnerName(l.partnerId)}：{l.name} {l.phone ?? ''}
                </div>
              ))
            : '—',
        },
        { key: 'created', label: t('创建时间', 'Created'), children: fmtTime(p.createdAt) },
        { key: 'updated', label: t('最近更新', 'Updated'), children: fmtTime(p.updatedAt) },
      ]}
    />
  );

  const agreementPlan = (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <Card size="small" title={t('共建协议书', 'Agreement')}>
        {p.agreement ? (
          <Descriptions
            size="small"
            column={{ xs: 1, md: 3 }}
            items={[
              { key: 's', label: t('签订日期', 'Signed on'), children: fmtDate(p.agreement.signedOn) },
              { key: 'f', label: t('共建期限', 'Valid'), children: `${fmtDate(p.agreement.validFrom)} ～ ${fmtDate(p.agreement.validTo)}`, span: 'filled' },
              { key: 'g', label: t('共建目标', 'Goals'), children: p.agreement.goals, span: 'filled' },
              { key: 'c', label: t('共建内容', 'Content'), children: p.agreement.content, span: 'filled' },
              { key: 'r', label: t('共建要求', 'Requirements'), children: p.agreement.requirements, span: 'filled' },
              { key: 'a', label: t('附件', 'Files'), children: <AttachmentLinks ids={p.agreement.attachmentIds} />, span: 'filled' },
              ...(Number(p.workflowVersion ?? 1) >= 2 || (p.agreement.countersignatures ?? []).length
                ? [
                    {
                      key: 'cs',
                      label: t('共建单位会签', 'Countersigned by'),
                      span: 'filled' as const,
                      children: (
                        <Space orientation="vertical" size={2} data-testid="countersignatures">
                          {(p.partnerIds ?? []).map((pid) => {
                            const c = (p.agreement?.countersignatures ?? []).find((x) => String(x.partnerId) === String(pid));
                            return (
                              <span key={String(pid)}>
                                {partnerName(pid)}：
                                {c ? (
                                  <>
                                    <Tag color="green">{c.paper ? t('纸质会签', 'Paper copy') : t('已会签', 'Countersigned')}</Tag>
                                    {fmtTime(c.countersignedAt)} · {nameOf(c.countersignedBy)}
                                    {c.paper && <AttachmentLinks ids={c.attachmentIds} />}
                                  </>
                                ) : (
                                  <Tag>{t('待会签', 'Not yet')}</Tag>
                                )}
                              </span>
                            );
                          })}
                        </Space>
                      ),
                    },
                  ]
                : []),
            ]}
          />
        ) : (
          <Empty description={t('尚未签订协议', 'Not signed yet')} />
        )}
      </Card>
      <Card size="small" title={p.plan ? t(`年度计划（自第${p.plan.startQuarter}季度起）`, `Annual plan (from Q${p.plan.startQuarter})`) : t('年度计划', 'Annual plan')}>
        {p.plan ? (
          <Table
            size="small"
            rowKey="place"
            pagination={false}
            dataSource={placed(p.plan.items)}
            scroll={{ x: 560 }}
            columns={[
              { title: t('事项', 'Item'), dataIndex: 'title' },
              { title: t('季度', 'Quarter'), dataIndex: 'quarter', width: 90, render: (q) => quarterName(q, lang) },
              { title: t('完成时限', 'Due'), dataIndex: 'dueDate', width: 110, render: fmtDate },
              { title: t('责任人', 'Owner'), dataIndex: 'owner', width: 100 },
              { title: t('成果形式', 'Deliverable'), dataIndex: 'deliverable', render: (v) => v || '—' },
            ]}
          />
        ) : (
          <Empty description={t('尚未报送年度计划', 'No plan filed yet')} />
        )}
        {(p.plan?.indicators ?? []).length > 0 && (
          <Table
            size="small"
            style={{ marginTop: 12 }}
            title={() => t('成效指标', 'Outcome indicators')}
            rowKey="name"
            pagination={false}
            dataSource={p.plan!.indicators}
            scroll={{ x: 560 }}
            columns={[
              { title: t('指标', 'Indicator'), dataIndex: 'name' },
              { title: t('单位', 'Unit'), dataIndex: 'unit', width: 80 },
              { title: t(BASELINE.zh, BASELINE.en), dataIndex: 'baseline', width: 90 },
              { title: t('目标', 'Target'), dataIndex: 'target', width: 90, render: (v) => v ?? '—' },
              { title: t('方向', 'Direction'), dataIndex: 'higherIsBetter', width: 110, render: (v) => (v ? t('越高越好', 'Higher is better') : t('越低越好', 'Lower is better')) },
              {
                title: t('季度数值', 'Quarterly values'),
                key: 'values',
                render: (_, indicator) =>
                  (p.reports ?? [])
                    .filter((r) => r.status !== 'returned')
                    .flatMap((r) => (r.indicatorValues ?? []).filter((v) => v.name === indicator.name).map((v) => `${quarterName(r.quarter, lang)} ${v.value}`))
                    .join('；') || '—',
              },
            ]}
          />
        )}
      </Card>
    </Space>
  );

  const activities = (
    <Table<Activity>
      size="small"
      rowKey={(a) => String(a.id)}
      dataSource={[...(p.activities ?? [])].sort((a, b) => String(a.heldOn).localeCompare(String(b.heldOn)))}
      pagination={false}
      scroll={{ x: 760 }}
      locale={{ emptyText: t('尚无活动登记', 'No activities recorded') }}
      rowClassName={(a) => (a.voided ? 'gj-voided' : '')}
      columns={[
        { title: t('日期', 'Date'), dataIndex: 'heldOn', width: 104, render: fmtDate },
        {
          title: t('季度', 'Quarter'),
          key: 'q',
          width: 84,
          className: 'gj-nowrap',
          render: (_, a) => quarterName(a.quarter ?? quarterOf(a.heldOn), lang),
        },
        {
          title: t('类型', 'Kind'),
          key: 'kind',
          width: 110,
          render: (_, a) => <Tag color={a.kind === 'joint_meeting' || a.kind === 'activity_day' ? 'red' : 'default'}>{activityKindLabel(a.kind, lang)}</Tag>,
        },
        { title: t('活动名称', 'Title'), dataIndex: 'title', render: (v, a) => (a.voided ? <Typography.Text delete>{v}</Typography.Text> : v) },
        { title: t('地点', 'Location'), dataIndex: 'location', render: (v) => v || '—', responsive: ['md'] },
        { title: t('参加人数', 'People'), key: 'n', width: 90, render: (_, a) => `${a.participants ?? 0} + ${a.partnerParticipants ?? 0}` },
        { title: t('内容', 'Summary'), dataIndex: 'summary', ellipsis: true, responsive: ['lg'] },
        { title: t('资料', 'Files'), key: 'files', render: (_, a) => <AttachmentLinks ids={a.attachmentIds} /> },
        {
          title: t('状态', 'Status'),
          key: 'st',
          width: 80,
          render: (_, a) => (a.voided ? <Tag>{t('已作废', 'Void')}</Tag> : <Tag color="green">{t('有效', 'Counts')}</Tag>),
        },
        {
          title: t('双方确认', 'Both sides'),
          key: 'confirmed',
          width: 96,
          render: (_, a) =>
            a.confirmedByPartner ? (
              <Tag color="red" title={(a.confirmations ?? []).map((c) => `${partnerName(c.partnerId)} ${fmtTime(c.confirmedAt)}`).join('\n')}>
                {t('双方确认', 'Confirmed')}
              </Tag>
            ) : canConfirm && !a.voided ? null : (
              '—'
            ),
        },
        ...(canConfirm
          ? [
              {
                title: t('确认', 'Confirm'),
                key: 'confirm',
                width: 96,
                render: (_: unknown, a: Activity) =>
                  !a.voided && !confirmedByMe(a) ? (
                    <Button size="small" type="primary" data-testid={`confirm-${a.id}`} onClick={() => setModal({ type: 'CONFIRM_ACTIVITY', activityId: a.id })}>
                      {t('确认参加', 'Confirm')}
                    </Button>
                  ) : null,
              },
            ]
          : []),
        ...(canVoid
          ? [
              {
                title: t('操作', 'Action'),
                key: 'act',
                width: 80,
                render: (_: unknown, a: Activity) =>
                  !a.voided && !reported.has(Number(a.quarter ?? quarterOf(a.heldOn))) ? (
                    <Button size="small" danger onClick={() => setModal({ type: 'VOID_ACTIVITY', activityId: a.id })}>
                      {t('作废', 'Void')}
                    </Button>
                  ) : null,
              },
            ]
          : []),
      ]}
    />
  );

  const reports = (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <ComplianceMatrix pairing={p} />
      <Table<QuarterReport>
        size="small"
        rowKey={(r) => String(r.id)}
        dataSource={p.reports ?? []}
        pagination={false}
        scroll={{ x: 640 }}
        locale={{ emptyText: t('尚未报送季度报告', 'No quarter reports yet') }}
        columns={[
          { title: t('季度', 'Quarter'), dataIndex: 'quarter', width: 84, className: 'gj-nowrap', render: (q) => quarterName(q, lang) },
          { title: t('状态', 'Status'), dataIndex: 'status', width: 110, render: (s) => reportStatusLabel(s, lang) },
          {
            title: t('达标', 'Met'),
            dataIndex: 'requirementsMet',
            width: 64,
            render: (v) => (v === false ? <Tag color="orange">{t('否', 'No')}</Tag> : <Tag color="green">{t('是', 'Yes')}</Tag>),
          },
          { title: t('工作情况', 'Summary'), dataIndex: 'summary' },
          { title: t('计划推进', 'Progress'), dataIndex: 'planProgress', render: (v) => v || '—', responsive: ['md'] },
          { title: t('未达标原因', 'Shortfall'), dataIndex: 'shortfallReason', render: (v) => v || '—', responsive: ['md'] },
          { title: t('评分', 'Score'), dataIndex: 'score', width: 64, render: (v) => fmtScore(v) },
          { title: t('评分意见', 'Remarks'), dataIndex: 'scoreComment', render: (v) => v || '—', responsive: ['lg'] },
        ]}
      />
    </Space>
  );

  const scores = (p.quarterScores ?? []).filter((x) => !p.plan || Number(x.quarter) >= Number(p.plan.startQuarter));
  const review = (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <Space wrap size="large">
        <Statistic
          title={t('季度得分', 'Quarter scores')}
          value={scores.length ? scores.map((x) => `${quarterName(x.quarter, lang)} ${fmtScore(x.score)}`).join(lang === 'en' ? ', ' : '，') : '—'}
        />
        <Statistic title={t('述职评分', 'Review score')} value={fmtScore(p.reviewScore ?? p.review?.score)} />
        <Statistic title={t('总分', 'Final score')} value={fmtScore(p.finalScore, 2)} styles={{ content: { color: '#c8102e' } }} />
      </Space>
      {(p.evaluations ?? []).length > 0 && (
        <Card size="small" title={t('共建单位评价', 'Partners’ ratings')} data-testid="evaluations">
          <Space orientation="vertical" size={4}>
            {(p.evaluations ?? []).map((e) => (
              <span key={String(e.partnerId)}>
                {partnerName(e.partnerId)}：<Tag color="red">{'★'.repeat(e.rating)}{'☆'.repeat(5 - e.rating)}</Tag>
                {e.comment} <Typography.Text type="secondary">（{fmtTime(e.evaluatedAt)}）</Typography.Text>
              </span>
            ))}
          </Space>
        </Card>
      )}
      {p.review ? (
        <>
          <Descriptions
            bordered
            size="small"
            column={1}
            items={[
              { key: 's', label: t('年度工作总结', 'Summary'), children: p.review.summary },
              { key: 'p', label: t('实际问题是否解决', 'Problem solved'), children: p.review.problemSolved ? t('已解决', 'Yes') : t('未解决', 'No') },
              { key: 'r', label: t('问题解决情况', 'Resolution'), children: p.review.problemResolution },
              ...(p.review.comment ? [{ key: 'c', label: t('评议意见', 'Remarks'), children: p.review.comment }] : []),
            ]}
          />
          <Table
            size="small"
            rowKey="place"
            pagination={false}
            dataSource={placed(p.review.outcomes)}
            columns={[
              { title: t('成效指标', 'Indicator'), dataIndex: 'indicator' },
              { title: t('数值', 'Value'), key: 'v', render: (_, o) => `${o.value} ${o.unit ?? ''}` },
              {
                title: t(BASELINE.zh, BASELINE.en),
                key: 'b',
                render: (_, o) => (o.baseline ?? '—') + (o.baseline !== undefined && o.baseline !== null ? ` ${o.unit ?? ''}` : ''),
              },
            ]}
          />
        </>
      ) : (
        <Empty description={t('尚未提交年终述职', 'No year-end review yet')} />
      )}
    </Space>
  );

  const steps = STEPS.map((s) => s[lang === 'en' ? 1 : 0]);
  const tabLabel = (full: [string, string], short: [string, string]) => (mobile ? t(...short) : t(...full));

  return (
    <>
      <Card style={{ marginBottom: 12 }} className="gj-pairing-head">
        <Space wrap align="start" style={{ width: '100%', justifyContent: 'space-between' }}>
          <div>
            <Typography.Text type="secondary">{p.code}</Typography.Text>
            <Typography.Title level={mobile ? 4 : 3} style={{ margin: '4px 0' }}>
              {p.title || t('（未命名）', '(untitled)')}
            </Typography.Title>
            <Space wrap size={4}>
              <StateTag state={p.state} />
              {p.state.startsWith('active') && p.quarter ? <Tag color="blue">{quarterName(p.quarter, lang)}</Tag> : null}
              <Tag>{modeLabel(p.mode, lang)}</Tag>
              {!mobile && p.form && <Tag>{formLabel(p.form, lang)}</Tag>}
              {Number(p.workflowVersion ?? 2) < 2 && (
                <Tag color="orange" data-testid="workflow-version" title={t('按流程第1版运行：共建单位尚不能会签和确认；机关党委可迁移到第2版', 'Runs on workflow version 1: no partner countersignatures yet; the committee may migrate it to version 2')}>
                  {t('流程第1版', 'Workflow v1')}
                </Tag>
              )}
              <span>{branchName(p.leadBranchId)}</span>
            </Space>
          </div>
          <Space>
            {p.finalScore !== null && p.finalScore !== undefined && (
              <Statistic title={t('总分', 'Final score')} value={fmtScore(p.finalScore, 2)} styles={{ content: { color: '#c8102e' } }} data-testid="final-score" />
            )}
            <DossierButton pairing={p} />
            <Button icon={<ReloadOutlined />} onClick={() => void reload()} aria-label={t('刷新', 'Refresh')} loading={query.isFetching} />
          </Space>
        </Space>
        {mobile ? (
          <div className="gj-steps-compact" data-testid="steps-compact">
            <Typography.Text>
              {failed
                ? t(`已结束于：${steps[Math.min(current, 5)]}`, `Ended at: ${steps[Math.min(current, 5)]}`)
                : current >= 6
                  ? t('全部环节已完成', 'All steps done')
                  : t(`第${current + 1}步/共6步：${steps[current]}`, `Step ${current + 1} of 6: ${steps[current]}`)}
            </Typography.Text>
            <Progress percent={Math.round((Math.min(current, 6) / 6) * 100)} showInfo={false} size="small" status={failed ? 'exception' : undefined} />
          </div>
        ) : (
          <Steps
            style={{ marginTop: 16 }}
            size="small"
            responsive={false}
            current={Math.min(current, 5)}
            status={failed ? 'error' : p.state === 'scored' ? 'finish' : 'process'}
            items={steps.map((title) => ({ title }))}
          />
        )}
      </Card>

      {p.state === 'returned' && lastDecision?.comment && (
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('机关党委退回意见', 'Committee’s return comment')} description={lastDecision.comment} />
      )}
      {p.state === 'rejected' && lastDecision?.comment && (
        <Alert type="error" showIcon style={{ marginBottom: 12 }} title={t('不予通过的理由', 'Reason for rejection')} description={lastDecision.comment} />
      )}
      <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />

      <RevisionsPanel pairingId={p.id} state={p.state} version={p.version} />
      <Card
        title={t('办理', 'Actions')}
        size={mobile ? 'small' : 'medium'}
        style={{ marginBottom: 12 }}
        extra={
          canEdit ? (
            <Link to={`/pairings/${p.id}/edit`}>
              <Button icon={<EditOutlined />}>{t('修改申报', 'Edit proposal')}</Button>
            </Link>
          ) : p.state === 'scored' && hasRole('committee') ? (
            <PublishPractice pairing={p} />
          ) : null
        }
      >
        <ActionButtons availableEvents={p.availableEvents} blockedEvents={p.blockedEvents} lang={lang} onAction={(type) => setModal({ type })} />
      </Card>

      <Card size={mobile ? 'small' : 'medium'}>
        <Tabs
          activeKey={tab ?? defaultTab}
          onChange={setTab}
          size={mobile ? 'small' : 'middle'}
          className="gj-pairing-tabs"
          items={[
            { key: 'overview', label: tabLabel(['项目概况', 'Overview'], ['概况', 'Info']), children: overview },
            { key: 'quarters', label: tabLabel(['季度考核', 'Quarters'], ['季度', 'Qtrs']), children: reports },
            {
              key: 'activities',
              label: mobile ? t(`活动${liveActivities}`, `Acts ${liveActivities}`) : t(`活动登记（${liveActivities}）`, `Activities (${liveActivities})`),
              children: activities,
            },
            { key: 'agreement', label: tabLabel(['协议与计划', 'Agreement & plan'], ['协议', 'Plan']), children: agreementPlan },
            { key: 'review', label: tabLabel(['年终述职与评分', 'Review & score'], ['述职', 'Review']), children: review },
            {
              key: 'history',
              label: tabLabel(['办理记录', 'History'], ['记录', 'Log']),
              children: events.length ? <History events={events} userName={(x) => nameOf(x)} /> : <Empty />,
            },
          ]}
        />
      </Card>

      {modal && (
        <EventModal
          key={`${modal.type}-${String(modal.activityId ?? '')}`}
          pairing={p}
          version={version}
          type={modal.type}
          presetActivityId={modal.activityId}
          partnerId={ownPartner}
          onClose={() => setModal(null)}
          onDone={() => setModal(null)}
        />
      )}
    </>
  );
}
