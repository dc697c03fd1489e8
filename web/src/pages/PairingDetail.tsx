import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { Alert, Button, Card, Descriptions, Empty, Space, Spin, Statistic, Steps, Table, Tabs, Tag, Typography } from 'antd';
import { EditOutlined, ReloadOutlined } from '@ant-design/icons';
import { get, parseEtag, request } from '../api/client';
import type { Activity, AuditEvent, Id, Pairing, QuarterReport } from '../api/types';
import { useAuth } from '../auth';
import ActionButtons from '../components/ActionButtons';
import { AttachmentLinks } from '../components/Attachments';
import { ErrorAlert, StateTag, fmtDate, fmtScore, fmtTime, forgetPairingSummaries } from '../components/common';
import ComplianceMatrix from '../components/ComplianceMatrix';
import EventModal, { reportedQuarters } from '../components/EventModal';
import History from '../components/History';
import { useOrg } from '../hooks';
import { useLang } from '../i18n';
import { FINAL_STATES, STEPS, activityKindLabel, categoryLabel, formLabel, modeLabel, reportStatusLabel, stepIndex } from '../labels';
import { quarterOf } from '../dates';

export default function PairingDetail() {
  const { id } = useParams();
  const { t, lang } = useLang();
  const { user } = useAuth();
  const { branchName, partnerName, userName } = useOrg();
  const [pairing, setPairing] = useState<Pairing | null>(null);
  const [version, setVersion] = useState<number>(0);
  const [history, setHistory] = useState<AuditEvent[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [modal, setModal] = useState<{ type: string; activityId?: Id } | null>(null);
  const [tab, setTab] = useState<string | null>(null);
  const [people, setPeople] = useState<Record<string, string>>({});

  const load = useCallback(async () => {
    if (!id) return;
    setLoading(true);
    try {
      const res = await request<Pairing>(`/api/pairings/${encodeURIComponent(id)}`);
      setPairing(res.data);
      setVersion(parseEtag(res.headers.get('etag')) ?? Number(res.data.version));
      setError(null);
      get<AuditEvent[]>(`/api/pairings/${encodeURIComponent(id)}/history`)
        .then((h) => setHistory(Array.isArray(h) ? h : ((h as { items?: AuditEvent[] })?.items ?? [])))
        .catch(() => setHistory([]));
      // Names for ids: the people in the history, and the lead branch's members (the liaison).
      const named = (list: unknown) =>
        Array.isArray(list) ? Object.fromEntries((list as { id: Id; displayName?: string; username?: string }[]).map((u) => [String(u.id), u.displayName || u.username || `#${u.id}`])) : {};
      Promise.all([
        get<unknown>(`/api/pairings/${encodeURIComponent(id)}/people`).catch(() => []),
        get<unknown>(`/api/branches/${encodeURIComponent(String(res.data.leadBranchId))}/members`).catch(() => []),
      ]).then(([a, b]) => setPeople({ ...named(b), ...named(a) }));
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }, [id]);

  useEffect(() => {
    void load();
  }, [load]);

  const nameOf = useCallback(
    (uid: Id | null | undefined) => {
      if (uid === null || uid === undefined) return '—';
      if (user && String(user.id) === String(uid)) return `${user.displayName || user.username}`;
      const fromHistory = history.find((h) => String(h.actorId) === String(uid) && h.actorName);
      return fromHistory?.actorName ?? people[String(uid)] ?? userName(uid);
    },
    [user, history, userName, people],
  );

  const lastReturn = useMemo(() => [...history].reverse().find((h) => h.type === 'RETURN' || h.type === 'REJECT'), [history]);

  if (loading && !pairing) return <Spin />;
  if (error && !pairing) return <ErrorAlert error={error} onRetry={load} />;
  if (!pairing) return null;
  const p = pairing;
  // Open on the part of the record the current stage is about.
  const defaultTab = p.state.startsWith('active')
    ? 'quarters'
    : ['yearEndReview', 'underReview', 'scored'].includes(p.state)
      ? 'review'
      : ['approved', 'agreementSigned', 'planFiled'].includes(p.state)
        ? 'agreement'
        : 'overview';

  const lastLive = [...history].reverse().find((h) => h.toState && !FINAL_STATES.includes(h.toState))?.toState ?? null;
  const current = stepIndex(p.state, lastLive);
  const failed = ['withdrawn', 'rejected', 'terminated'].includes(p.state);
  const canEdit =
    ['draft', 'returned'].includes(p.state) &&
    ((p.availableEvents ?? []).includes('SUBMIT') || (p.blockedEvents ?? []).some((b) => b.type === 'SUBMIT'));
  const reported = reportedQuarters(p);
  const canVoid = (p.availableEvents ?? []).includes('VOID_ACTIVITY');

  const overview = (
    <Descriptions
      bordered
      size="small"
      column={{ xs: 1, sm: 1, md: 2 }}
      items={[
        { key: 'code', label: t('项目编号', 'Code'), children: p.code },
        { key: 'year', label: t('年度', 'Year'), children: p.year },
        { key: 'theme', label: t('结对主题', 'Theme'), children: p.theme || '—', span: 2 },
        { key: 'problem', label: t('拟解决的实际问题', 'Practical problem'), children: p.problem || '—', span: 2 },
        { key: 'goals', label: t('共建目标', 'Goals'), children: p.goals || '—', span: 2 },
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
          span: 2,
          children: (p.partnerIds ?? []).map((x) => <Tag key={String(x)}>{partnerName(x)}</Tag>),
        },
        {
          key: 'cat',
          label: t('共建内容', 'Categories'),
          span: 2,
          children: (p.categories ?? []).map((c) => <Tag color="red" key={c}>{categoryLabel(c, lang)}</Tag>),
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
              { key: 'f', label: t('共建期限', 'Valid'), children: `${fmtDate(p.agreement.validFrom)} ～ ${fmtDate(p.agreement.validTo)}`, span: 2 },
              { key: 'g', label: t('共建目标', 'Goals'), children: p.agreement.goals, span: 3 },
              { key: 'c', label: t('共建内容', 'Content'), children: p.agreement.content, span: 3 },
              { key: 'r', label: t('共建要求', 'Requirements'), children: p.agreement.requirements, span: 3 },
              { key: 'a', label: t('附件', 'Files'), children: <AttachmentLinks ids={p.agreement.attachmentIds} />, span: 3 },
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
            rowKey={(_, i) => String(i)}
            pagination={false}
            dataSource={p.plan.items ?? []}
            scroll={{ x: 600 }}
            columns={[
              { title: t('事项', 'Item'), dataIndex: 'title' },
              { title: t('季度', 'Quarter'), dataIndex: 'quarter', width: 90, render: (q) => t(`第${q}季度`, `Q${q}`) },
              { title: t('完成时限', 'Due'), dataIndex: 'dueDate', width: 120, render: fmtDate },
              { title: t('责任人', 'Owner'), dataIndex: 'owner', width: 110 },
              { title: t('成果形式', 'Deliverable'), dataIndex: 'deliverable', render: (v) => v || '—' },
            ]}
          />
        ) : (
          <Empty description={t('尚未报送年度计划', 'No plan filed yet')} />
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
      scroll={{ x: 900 }}
      locale={{ emptyText: t('尚无活动登记', 'No activities recorded') }}
      rowClassName={(a) => (a.voided ? 'gj-voided' : '')}
      columns={[
        { title: t('日期', 'Date'), dataIndex: 'heldOn', width: 110, render: fmtDate },
        { title: t('季度', 'Q'), key: 'q', width: 70, render: (_, a) => t(`第${a.quarter ?? quarterOf(a.heldOn)}季`, `Q${a.quarter ?? quarterOf(a.heldOn)}`) },
        { title: t('类型', 'Kind'), key: 'kind', width: 120, render: (_, a) => <Tag color={a.kind === 'joint_meeting' || a.kind === 'activity_day' ? 'red' : 'default'}>{activityKindLabel(a.kind, lang)}</Tag> },
        { title: t('活动名称', 'Title'), dataIndex: 'title', render: (v, a) => (a.voided ? <Typography.Text delete>{v}</Typography.Text> : v) },
        { title: t('地点', 'Location'), dataIndex: 'location', render: (v) => v || '—', responsive: ['md'] },
        { title: t('参加人数', 'People'), key: 'n', width: 110, render: (_, a) => `${a.participants ?? 0} + ${a.partnerParticipants ?? 0}` },
        { title: t('内容', 'Summary'), dataIndex: 'summary', ellipsis: true, responsive: ['lg'] },
        { title: t('资料', 'Files'), key: 'files', render: (_, a) => <AttachmentLinks ids={a.attachmentIds} /> },
        {
          title: t('状态', 'Status'),
          key: 'st',
          width: 110,
          render: (_, a) =>
            a.voided ? (
              <Tag>{t('已作废', 'Void')}</Tag>
            ) : canVoid && !reported.has(Number(a.quarter ?? quarterOf(a.heldOn))) ? (
              <Button size="small" danger onClick={() => setModal({ type: 'VOID_ACTIVITY', activityId: a.id })}>
                {t('作废', 'Void')}
              </Button>
            ) : (
              <Tag color="green">{t('有效', 'Counts')}</Tag>
            ),
        },
      ]}
    />
  );

  const reports = (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <ComplianceMatrix pairing={p} />
      <Table<QuarterReport>
        size="small"
        rowKey={(r, i) => `${r.quarter}-${i}`}
        dataSource={p.reports ?? []}
        pagination={false}
        scroll={{ x: 800 }}
        locale={{ emptyText: t('尚无季度情况报送', 'No quarter reports yet') }}
        columns={[
          { title: t('季度', 'Quarter'), dataIndex: 'quarter', width: 80, render: (q) => t(`第${q}季度`, `Q${q}`) },
          { title: t('状态', 'Status'), dataIndex: 'status', width: 90, render: (s) => reportStatusLabel(s, lang) },
          { title: t('达标', 'Met'), dataIndex: 'requirementsMet', width: 70, render: (v) => (v === false ? <Tag color="orange">{t('否', 'No')}</Tag> : <Tag color="green">{t('是', 'Yes')}</Tag>) },
          { title: t('工作情况', 'Summary'), dataIndex: 'summary' },
          { title: t('计划推进', 'Progress'), dataIndex: 'planProgress', render: (v) => v || '—', responsive: ['md'] },
          { title: t('未达标原因', 'Shortfall'), dataIndex: 'shortfallReason', render: (v) => v || '—', responsive: ['md'] },
          { title: t('评分', 'Score'), dataIndex: 'score', width: 70, render: (v) => fmtScore(v) },
          { title: t('评分意见', 'Remarks'), dataIndex: 'scoreComment', render: (v) => v || '—', responsive: ['lg'] },
        ]}
      />
    </Space>
  );

  const review = (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <Space wrap size="large">
        <Statistic
          title={t('季度平均分', 'Quarter mean')}
          value={(() => {
            const qs = (p.quarterScores ?? []).filter((x) => !p.plan || Number(x.quarter) >= Number(p.plan.startQuarter));
            return qs.length ? (qs.reduce((s, x) => s + Number(x.score), 0) / qs.length).toFixed(2) : '—';
          })()}
        />
        <Statistic title={t('述职评分', 'Review score')} value={fmtScore(p.reviewScore ?? p.review?.score)} />
        <Statistic title={t('总分', 'Final score')} value={fmtScore(p.finalScore, 2)} styles={{ content: { color: '#c8102e' } }} />
      </Space>
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
            rowKey={(_, i) => String(i)}
            pagination={false}
            dataSource={p.review.outcomes ?? []}
            columns={[
              { title: t('成效指标', 'Indicator'), dataIndex: 'indicator' },
              { title: t('数值', 'Value'), key: 'v', render: (_, o) => `${o.value} ${o.unit ?? ''}` },
              { title: t('上年基数', 'Baseline'), key: 'b', render: (_, o) => (o.baseline ?? '—') + (o.baseline !== undefined && o.baseline !== null ? ` ${o.unit ?? ''}` : '') },
            ]}
          />
        </>
      ) : (
        <Empty description={t('尚未提交年终述职', 'No year-end review yet')} />
      )}
    </Space>
  );

  return (
    <>
      <Card style={{ marginBottom: 16 }}>
        <Space wrap align="start" style={{ width: '100%', justifyContent: 'space-between' }}>
          <div>
            <Typography.Text type="secondary">{p.code}</Typography.Text>
            <Typography.Title level={3} style={{ margin: '4px 0' }}>
              {p.title || t('（未命名）', '(untitled)')}
            </Typography.Title>
            <Space wrap>
              <StateTag state={p.state} />
              <Tag>{modeLabel(p.mode, lang)}</Tag>
              <Tag>{formLabel(p.form, lang)}</Tag>
              <span>{branchName(p.leadBranchId)}</span>
              {p.state.startsWith('active') && p.quarter ? <Tag color="blue">{t(`第${p.quarter}季度`, `Q${p.quarter}`)}</Tag> : null}
            </Space>
          </div>
          <Space>
            {p.finalScore !== null && p.finalScore !== undefined && (
              <Statistic title={t('总分', 'Final score')} value={fmtScore(p.finalScore, 2)} styles={{ content: { color: '#c8102e' } }} data-testid="final-score" />
            )}
            <Button icon={<ReloadOutlined />} onClick={load} aria-label={t('刷新', 'Refresh')} loading={loading} />
          </Space>
        </Space>
        <Steps
          style={{ marginTop: 16 }}
          size="small"
          responsive
          current={Math.min(current, 5)}
          status={failed ? 'error' : p.state === 'scored' ? 'finish' : 'process'}
          items={STEPS.map((s) => ({ title: s[lang === 'en' ? 1 : 0] }))}
        />
      </Card>

      {p.state === 'returned' && lastReturn?.comment && (
        <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={t('机关党委退回意见', 'Committee’s return comment')} description={lastReturn.comment} />
      )}
      {p.state === 'rejected' && lastReturn?.comment && (
        <Alert type="error" showIcon style={{ marginBottom: 16 }} title={t('不予通过的理由', 'Reason for rejection')} description={lastReturn.comment} />
      )}
      <ErrorAlert error={error} onRetry={load} />

      <Card title={t('办理', 'Actions')} style={{ marginBottom: 16 }} extra={canEdit && <Link to={`/pairings/${p.id}/edit`}><Button icon={<EditOutlined />}>{t('修改申报', 'Edit proposal')}</Button></Link>}>
        <ActionButtons
          availableEvents={p.availableEvents}
          blockedEvents={p.blockedEvents}
          lang={lang}
          onAction={(type) => setModal({ type })}
        />
      </Card>

      <Card>
        <Tabs
          activeKey={tab ?? defaultTab}
          onChange={setTab}
          items={[
            { key: 'overview', label: t('项目概况', 'Overview'), children: overview },
            { key: 'quarters', label: t('季度考核', 'Quarters'), children: reports },
            { key: 'activities', label: t(`活动登记（${(p.activities ?? []).filter((a) => !a.voided).length}）`, `Activities (${(p.activities ?? []).filter((a) => !a.voided).length})`), children: activities },
            { key: 'agreement', label: t('协议与计划', 'Agreement & plan'), children: agreementPlan },
            { key: 'review', label: t('年终述职与评分', 'Review & score'), children: review },
            { key: 'history', label: t('办理记录', 'History'), children: history.length ? <History events={history} userName={(x) => nameOf(x)} /> : <Empty /> },
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
          onClose={() => setModal(null)}
          onReload={load}
          onDone={() => {
            setModal(null);
            forgetPairingSummaries();
            void load();
          }}
        />
      )}
    </>
  );
}
