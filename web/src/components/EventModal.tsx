import { useMemo, useRef, useState } from 'react';
import { Alert, App, Button, DatePicker, Descriptions, Form, Input, InputNumber, Modal, Radio, Select, Space, Typography } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { ApiError, newIdempotencyKey, request } from '../api/client';
import { codeText, errorMessage } from '../api/errors';
import type { Activity, Id, Pairing } from '../api/types';
import { useOrg } from '../hooks';
import { useLang } from '../i18n';
import { ACTIVITY_KINDS, activityKindLabel, eventLabel, partnerKindLabel } from '../labels';
import { DATE, currentQuarter, quarterEnd, quarterOf, toDateString } from '../dates';
import { AttachmentInput } from './Attachments';
import { fmtScore } from './common';
import { applyServerErrors } from './formErrors';
import UserPicker from './UserPicker';

const COMMENT_REQUIRED = new Set(['RETURN', 'REJECT', 'TERMINATE', 'VOID_ACTIVITY']);
const WITH_FORM = new Set(['SIGN_AGREEMENT', 'FILE_PLAN', 'RECORD_ACTIVITY', 'VOID_ACTIVITY', 'SUBMIT_QUARTER_REPORT', 'SCORE_QUARTER', 'SUBMIT_REVIEW', 'APPROVE_REVIEW', 'UPDATE_LIAISONS']);

/** Which form field a rule refusal is about, so the message shows beside it. */
const RULE_FIELD: Record<string, string> = {
  QUARTER_REQUIREMENTS_NOT_MET: 'shortfallReason',
  AGREEMENT_DATES_INVALID: 'validTo',
  DATE_IN_FUTURE: 'signedOn',
  PLAN_ITEMS_INVALID: 'items',
  ACTIVITY_DATE_INVALID: 'heldOn',
};

/** Reported quarters: a report waiting for a score or scored (a returned one reopens the quarter). */
export function reportedQuarters(p: Pairing): Set<number> {
  const s = new Set<number>();
  for (const r of p.reports ?? []) if (r.status !== 'returned') s.add(Number(r.quarter));
  return s;
}

export function quarterCounts(p: Pairing, q: number) {
  const c = (p.compliance ?? []).find((x) => Number(x.quarter) === q);
  if (c && (c.jointMeetings !== undefined || c.activityDays !== undefined))
    return { jointMeetings: Number(c.jointMeetings ?? 0), activityDays: Number(c.activityDays ?? 0) };
  const acts = (p.activities ?? []).filter((a) => !a.voided && (a.quarter ? Number(a.quarter) === q : quarterOf(a.heldOn) === q));
  return {
    jointMeetings: acts.filter((a) => a.kind === 'joint_meeting').length,
    activityDays: acts.filter((a) => a.kind === 'activity_day').length,
  };
}

function suggestedPlanItems(year: number, start: number, lang: 'zh' | 'en') {
  const items = [];
  for (let q = start; q <= 4; q++) {
    const due = quarterEnd(year, q);
    items.push(
      { title: lang === 'en' ? `Q${q} joint meeting` : `第${q}季度联席会议`, quarter: q, dueDate: due, owner: '', deliverable: lang === 'en' ? 'Minutes' : '会议纪要' },
      { title: lang === 'en' ? `Q${q} activity day` : `第${q}季度共建活动日`, quarter: q, dueDate: due, owner: '', deliverable: lang === 'en' ? 'Activity record' : '活动记录' },
    );
  }
  return items;
}

interface Props {
  pairing: Pairing;
  /** Version to send as If-Match (from the ETag). */
  version: number;
  type: string;
  presetActivityId?: Id;
  onClose: () => void;
  onDone: (updated: Pairing | null) => void;
  onReload: () => Promise<void>;
}

export default function EventModal({ pairing: p, version, type, presetActivityId, onClose, onDone, onReload }: Props) {
  const { t, lang } = useLang();
  const { message } = App.useApp();
  const { org, partnerName } = useOrg();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [errorKind, setErrorKind] = useState<'error' | 'warning'>('error');
  const [extra, setExtra] = useState<string[]>([]);
  const idem = useRef<{ key: string; fp: string } | null>(null);

  const today = dayjs();
  const year = Number(p.year);
  const reported = reportedQuarters(p);
  const startQuarter = Number(p.plan?.startQuarter ?? 1);
  const q = Number(p.quarter ?? 0) || undefined;
  const stillAvailable =
    (p.availableEvents ?? []).includes(type) || (p.blockedEvents ?? []).some((b) => b.type === type && b.code === 'QUARTER_REQUIREMENTS_NOT_MET');

  const counts = q ? quarterCounts(p, q) : null;
  const shortfall = !!counts && (counts.jointMeetings < 1 || counts.activityDays < 1);

  const initialValues = useMemo(() => {
    switch (type) {
      case 'SIGN_AGREEMENT':
        return {
          signedOn: today,
          validFrom: dayjs(new Date(year, 0, 1)),
          validTo: dayjs(new Date(year, 11, 31)),
          goals: p.goals ?? '',
          attachmentIds: [],
        };
      case 'FILE_PLAN': {
        const thisYear = today.year();
        const start = year === thisYear ? currentQuarter() : 1;
        return { startQuarter: start, items: suggestedPlanItems(year, start, lang) };
      }
      case 'RECORD_ACTIVITY': {
        const ok = today.year() === year && quarterOf(today) >= startQuarter && !reported.has(quarterOf(today));
        return { kind: 'joint_meeting', heldOn: ok ? today : undefined, participants: 1, partnerParticipants: 0, attachmentIds: [] };
      }
      case 'VOID_ACTIVITY':
        return { activityId: presetActivityId !== undefined ? String(presetActivityId) : undefined };
      case 'SUBMIT_REVIEW':
        return { problemSolved: true, outcomes: [{ indicator: '', value: undefined, unit: '', baseline: undefined }] };
      case 'UPDATE_LIAISONS':
        return { liaisonUserId: p.liaisonUserId ?? null, partnerLiaisons: p.partnerLiaisons ?? [] };
      default:
        return {};
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [type]);

  const buildPayload = (v: Record<string, unknown>): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    const str = (k: string) => {
      const s = typeof v[k] === 'string' ? (v[k] as string).trim() : v[k];
      if (s !== undefined && s !== null && s !== '') out[k] = s;
    };
    switch (type) {
      case 'SIGN_AGREEMENT':
        out.signedOn = toDateString(v.signedOn as Dayjs);
        out.validFrom = toDateString(v.validFrom as Dayjs);
        out.validTo = toDateString(v.validTo as Dayjs);
        ['goals', 'content', 'requirements'].forEach(str);
        if (Array.isArray(v.attachmentIds) && v.attachmentIds.length) out.attachmentIds = v.attachmentIds;
        break;
      case 'FILE_PLAN':
        out.startQuarter = v.startQuarter;
        out.items = ((v.items as Record<string, unknown>[]) ?? []).map((it) => {
          const item: Record<string, unknown> = {
            title: String(it.title ?? '').trim(),
            quarter: it.quarter,
            dueDate: toDateString(it.dueDate as Dayjs),
            owner: String(it.owner ?? '').trim(),
          };
          if (typeof it.deliverable === 'string' && it.deliverable.trim()) item.deliverable = it.deliverable.trim();
          return item;
        });
        break;
      case 'RECORD_ACTIVITY':
        out.kind = v.kind;
        out.heldOn = toDateString(v.heldOn as Dayjs);
        ['title', 'location', 'summary'].forEach(str);
        out.participants = v.participants;
        out.partnerParticipants = v.partnerParticipants ?? 0;
        if (Array.isArray(v.attachmentIds) && v.attachmentIds.length) out.attachmentIds = v.attachmentIds;
        break;
      case 'VOID_ACTIVITY': {
        const act = (p.activities ?? []).find((a) => String(a.id) === String(v.activityId));
        out.activityId = act ? act.id : v.activityId;
        break;
      }
      case 'SUBMIT_QUARTER_REPORT':
        ['summary', 'planProgress', 'shortfallReason'].forEach(str);
        break;
      case 'SCORE_QUARTER':
      case 'APPROVE_REVIEW':
        out.score = v.score;
        break;
      case 'SUBMIT_REVIEW':
        str('summary');
        out.problemSolved = !!v.problemSolved;
        str('problemResolution');
        out.outcomes = ((v.outcomes as Record<string, unknown>[]) ?? [])
          .filter((o) => o && (o.indicator || o.value !== undefined))
          .map((o) => {
            const r: Record<string, unknown> = { indicator: String(o.indicator ?? '').trim(), value: o.value, unit: String(o.unit ?? '').trim() };
            if (o.baseline !== undefined && o.baseline !== null && o.baseline !== '') r.baseline = o.baseline;
            return r;
          });
        break;
      case 'UPDATE_LIAISONS':
        if (v.liaisonUserId !== undefined && v.liaisonUserId !== null) out.liaisonUserId = v.liaisonUserId;
        out.partnerLiaisons = ((v.partnerLiaisons as Record<string, unknown>[]) ?? []).filter((l) => l && l.partnerId !== undefined && l.name);
        break;
    }
    return out;
  };

  const submit = async () => {
    let values: Record<string, unknown>;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setError(null);
    setExtra([]);
    const body: Record<string, unknown> = { type, ...buildPayload(values) };
    const comment = typeof values.comment === 'string' ? values.comment.trim() : '';
    if (comment) body.comment = comment;
    // One key per user action; a retry of the very same submission reuses it.
    const fp = JSON.stringify([version, body]);
    if (!idem.current || idem.current.fp !== fp) idem.current = { key: newIdempotencyKey(), fp };
    const send = () =>
      request<Pairing>(`/api/pairings/${encodeURIComponent(String(p.id))}/events`, {
        method: 'POST',
        body,
        headers: { 'If-Match': `"${version}"`, 'Idempotency-Key': idem.current!.key },
      });
    setBusy(true);
    try {
      let res;
      try {
        res = await send();
      } catch (e) {
        if (e instanceof ApiError && e.code === 'NETWORK_ERROR') res = await send();
        else throw e;
      }
      message.success(t(`已完成：${eventLabel(type, lang)}`, `Done: ${eventLabel(type, lang)}`));
      onDone(res.data && typeof res.data === 'object' ? res.data : null);
    } catch (e) {
      if (e instanceof ApiError && (e.code === 'VERSION_CONFLICT' || e.status === 412)) {
        message.warning(codeText('VERSION_CONFLICT', lang)!);
        setErrorKind('warning');
        setError(`${codeText('VERSION_CONFLICT', lang)}${t('，请确认后再次提交。', '; please check and submit again.')}`);
        await onReload();
      } else if (e instanceof ApiError && (e.code === 'INVALID_TRANSITION' || e.status === 409)) {
        message.warning(errorMessage(e, lang));
        await onReload();
        onClose();
      } else {
        const msg = errorMessage(e, lang);
        setErrorKind('error');
        setError(msg);
        setExtra(applyServerErrors(form, e, Object.keys(form.getFieldsValue(true) ?? {}).concat(['comment', 'score', 'items', 'outcomes', 'partnerLiaisons']), lang));
        if (e instanceof ApiError && RULE_FIELD[e.code]) {
          const f = RULE_FIELD[e.code];
          const name = f === 'signedOn' && type === 'RECORD_ACTIVITY' ? 'heldOn' : f;
          if (form.getFieldInstance(name) !== undefined || name in (form.getFieldsValue(true) ?? {}))
            form.setFields([{ name, errors: [msg] }]);
        }
      }
    } finally {
      setBusy(false);
    }
  };

  const commentField = (
    <Form.Item
      label={COMMENT_REQUIRED.has(type) ? t('意见/理由', 'Comment / reason') : t('意见（可选）', 'Comment (optional)')}
      name="comment"
      rules={COMMENT_REQUIRED.has(type) ? [{ required: true, whitespace: true, message: t('请填写意见或理由', 'A comment is required') }] : []}
    >
      <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} />
    </Form.Item>
  );

  const dateOnly = { format: DATE, style: { width: '100%' } } as const;
  const activityDateDisabled = (d: Dayjs) =>
    d.year() !== year || d.isAfter(today, 'day') || quarterOf(d) < startQuarter || reported.has(quarterOf(d));

  const scoreField = (
    <Form.Item
      label={t('评分（0–100，可保留一位小数）', 'Score (0–100, one decimal)')}
      name="score"
      rules={[
        { required: true, message: t('请填写评分', 'Enter a score') },
        {
          validator: (_, v) =>
            v === undefined || v === null || (v >= 0 && v <= 100 && Math.round(v * 10) === v * 10)
              ? Promise.resolve()
              : Promise.reject(new Error(t('评分须在0到100之间，最多一位小数', 'Between 0 and 100, at most one decimal'))),
        },
      ]}
    >
      <InputNumber min={0} max={100} step={0.1} precision={1} style={{ width: 160 }} />
    </Form.Item>
  );

  const partnerOptions = (p.partnerIds ?? []).map((id) => {
    const x = org?.partners.find((y) => String(y.id) === String(id));
    return { value: id, label: x ? `${x.name}（${partnerKindLabel(x.kind, lang)}）` : partnerName(id) };
  });

  let body: React.ReactNode = null;
  switch (type) {
    case 'SIGN_AGREEMENT':
      body = (
        <>
          <Typography.Paragraph type="secondary">
            {t('共建双方党支部签订《结对共建协议书》，明确共建时间、目标、内容和要求。', 'Both branches sign the agreement: period, goals, content and requirements.')}
          </Typography.Paragraph>
          <Space wrap style={{ width: '100%' }} size="middle">
            <Form.Item label={t('签订日期', 'Signed on')} name="signedOn" rules={[{ required: true, message: t('请选择签订日期', 'Required') }]}>
              <DatePicker {...dateOnly} disabledDate={(d) => d.isAfter(today, 'day')} />
            </Form.Item>
            <Form.Item label={t('共建开始日期', 'Valid from')} name="validFrom" rules={[{ required: true, message: t('请选择开始日期', 'Required') }]}>
              <DatePicker {...dateOnly} />
            </Form.Item>
            <Form.Item
              label={t('共建结束日期', 'Valid to')}
              name="validTo"
              dependencies={['validFrom']}
              rules={[
                { required: true, message: t('请选择结束日期', 'Required') },
                ({ getFieldValue }) => ({
                  validator: (_, v: Dayjs) =>
                    !v || !getFieldValue('validFrom') || v.isAfter(getFieldValue('validFrom'), 'day')
                      ? Promise.resolve()
                      : Promise.reject(new Error(t('结束日期须晚于开始日期', 'Must be after the start date'))),
                }),
              ]}
            >
              <DatePicker {...dateOnly} />
            </Form.Item>
          </Space>
          <Form.Item label={t('共建目标', 'Goals')} name="goals" rules={[{ required: true, whitespace: true, message: t('请填写共建目标', 'Required') }]}>
            <Input.TextArea autoSize={{ minRows: 2 }} />
          </Form.Item>
          <Form.Item label={t('共建内容', 'Content')} name="content" rules={[{ required: true, whitespace: true, message: t('请填写共建内容', 'Required') }]}>
            <Input.TextArea autoSize={{ minRows: 2 }} />
          </Form.Item>
          <Form.Item label={t('共建要求', 'Requirements')} name="requirements" rules={[{ required: true, whitespace: true, message: t('请填写共建要求', 'Required') }]}>
            <Input.TextArea autoSize={{ minRows: 2 }} />
          </Form.Item>
          <Form.Item label={t('协议书扫描件（可选）', 'Signed copy (optional)')} name="attachmentIds">
            <AttachmentInput />
          </Form.Item>
        </>
      );
      break;
    case 'FILE_PLAN':
      body = (
        <>
          <Typography.Paragraph type="secondary">
            {t('年初制订可操作的年度计划，明确每项工作的季度、完成时限和责任人，报机关党委备案。', 'File an annual plan with the quarter, due date and owner of each item.')}
          </Typography.Paragraph>
          <Space wrap align="end">
            <Form.Item
              label={t('起始季度', 'Start quarter')}
              name="startQuarter"
              rules={[{ required: true, message: t('请选择起始季度', 'Required') }]}
              extra={t('从该季度起按季考核', 'Quarters are assessed from this one on')}
            >
              <Select style={{ width: 160 }} options={[1, 2, 3, 4].map((n) => ({ value: n, label: t(`第${n}季度`, `Q${n}`) }))} />
            </Form.Item>
            <Form.Item>
              <Button onClick={() => form.setFieldsValue({ items: suggestedPlanItems(year, form.getFieldValue('startQuarter') ?? 1, lang) })}>
                {t('按季度生成联席会议和活动日', 'Fill in quarterly meetings and activity days')}
              </Button>
            </Form.Item>
          </Space>
          <Form.List
            name="items"
            rules={[{ validator: async (_, items) => (items && items.length ? undefined : Promise.reject(new Error(t('至少需要一项计划', 'At least one item')))) }]}
          >
            {(fields, { add, remove }, { errors }) => (
              <>
                {fields.map((f, i) => (
                  <div key={f.key} style={{ border: '1px solid #f0f0f0', borderRadius: 4, padding: '8px 8px 0', marginBottom: 8 }}>
                    <Space wrap align="start" size="small">
                      <Form.Item label={t(`事项${i + 1}`, `Item ${i + 1}`)} name={[f.name, 'title']} rules={[{ required: true, whitespace: true, message: t('请填写事项', 'Required') }]}>
                        <Input style={{ width: 220 }} />
                      </Form.Item>
                      <Form.Item label={t('季度', 'Quarter')} name={[f.name, 'quarter']} rules={[{ required: true, message: t('请选择', 'Required') }]}>
                        <Select style={{ width: 110 }} options={[1, 2, 3, 4].map((n) => ({ value: n, label: t(`第${n}季度`, `Q${n}`) }))} />
                      </Form.Item>
                      <Form.Item label={t('完成时限', 'Due date')} name={[f.name, 'dueDate']} rules={[{ required: true, message: t('请选择', 'Required') }]}>
                        <DatePicker format={DATE} disabledDate={(d) => d.year() !== year} />
                      </Form.Item>
                      <Form.Item label={t('责任人', 'Owner')} name={[f.name, 'owner']} rules={[{ required: true, whitespace: true, message: t('请填写', 'Required') }]}>
                        <Input style={{ width: 120 }} />
                      </Form.Item>
                      <Form.Item label={t('成果形式', 'Deliverable')} name={[f.name, 'deliverable']}>
                        <Input style={{ width: 140 }} />
                      </Form.Item>
                      <Form.Item label=" ">
                        <Button type="text" icon={<MinusCircleOutlined />} onClick={() => remove(f.name)} aria-label={t(`删除事项${i + 1}`, `Remove item ${i + 1}`)} />
                      </Form.Item>
                    </Space>
                  </div>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ quarter: form.getFieldValue('startQuarter') ?? 1 })}>
                  {t('添加计划事项', 'Add item')}
                </Button>
                <Form.ErrorList errors={errors} />
              </>
            )}
          </Form.List>
        </>
      );
      break;
    case 'RECORD_ACTIVITY':
      body = (
        <>
          <Typography.Paragraph type="secondary">
            {t(
              `每季度须召开一次联席会议、确定一天为共建活动日。活动日期须在${year}年内、不早于第${startQuarter}季度，所在季度尚未报送，且不晚于今天。`,
              `Each quarter needs a joint meeting and an activity day. The date must be in ${year}, not before Q${startQuarter}, in an unreported quarter and not in the future.`,
            )}
          </Typography.Paragraph>
          <Space wrap size="middle">
            <Form.Item label={t('活动类型', 'Kind')} name="kind" rules={[{ required: true, message: t('请选择活动类型', 'Required') }]}>
              <Select style={{ width: 200 }} options={Object.keys(ACTIVITY_KINDS).map((k) => ({ value: k, label: activityKindLabel(k, lang) }))} />
            </Form.Item>
            <Form.Item label={t('活动日期', 'Held on')} name="heldOn" rules={[{ required: true, message: t('请选择活动日期', 'Required') }]}>
              <DatePicker format={DATE} disabledDate={activityDateDisabled} />
            </Form.Item>
          </Space>
          <Form.Item label={t('活动名称', 'Title')} name="title" rules={[{ required: true, whitespace: true, message: t('请填写活动名称', 'Required') }]}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item label={t('活动地点', 'Location')} name="location">
            <Input maxLength={200} />
          </Form.Item>
          <Space wrap size="middle">
            <Form.Item label={t('本院参加人数', 'Our participants')} name="participants" rules={[{ required: true, message: t('请填写人数', 'Required') }]}>
              <InputNumber min={1} precision={0} />
            </Form.Item>
            <Form.Item label={t('共建单位参加人数', 'Partner participants')} name="partnerParticipants" rules={[{ required: true, message: t('请填写人数', 'Required') }]}>
              <InputNumber min={0} precision={0} />
            </Form.Item>
          </Space>
          <Form.Item label={t('活动内容摘要', 'Summary')} name="summary" rules={[{ required: true, whitespace: true, message: t('请填写活动内容', 'Required') }]}>
            <Input.TextArea autoSize={{ minRows: 3 }} />
          </Form.Item>
          <Form.Item label={t('活动资料（照片、纪要等）', 'Records (photos, minutes…)')} name="attachmentIds">
            <AttachmentInput />
          </Form.Item>
        </>
      );
      break;
    case 'VOID_ACTIVITY': {
      const voidable = (p.activities ?? []).filter((a: Activity) => !a.voided);
      body = (
        <>
          <Typography.Paragraph type="secondary">
            {t('作废后活动仍保留在记录中，但不再计入季度考核。', 'A voided activity stays on record but no longer counts.')}
          </Typography.Paragraph>
          <Form.Item label={t('要作废的活动', 'Activity')} name="activityId" rules={[{ required: true, message: t('请选择活动', 'Required') }]}>
            <Select
              options={voidable.map((a) => ({
                value: String(a.id),
                label: `${a.heldOn} ${activityKindLabel(a.kind, lang)} · ${a.title}`,
              }))}
            />
          </Form.Item>
        </>
      );
      break;
    }
    case 'SUBMIT_QUARTER_REPORT':
      body = (
        <>
          {q && counts && (
            <Alert
              type={shortfall ? 'warning' : 'success'}
              showIcon
              style={{ marginBottom: 12 }}
              title={t(
                `第${q}季度：联席会议 ${counts.jointMeetings} 次，共建活动日 ${counts.activityDays} 次`,
                `Q${q}: ${counts.jointMeetings} joint meeting(s), ${counts.activityDays} activity day(s)`,
              )}
              description={shortfall ? codeText('QUARTER_REQUIREMENTS_NOT_MET', lang) : undefined}
            />
          )}
          <Form.Item label={t('本季度工作情况', 'Quarter summary')} name="summary" rules={[{ required: true, whitespace: true, message: t('请填写本季度工作情况', 'Required') }]}>
            <Input.TextArea autoSize={{ minRows: 3 }} />
          </Form.Item>
          <Form.Item label={t('计划推进情况（可选）', 'Plan progress (optional)')} name="planProgress">
            <Input.TextArea autoSize={{ minRows: 2 }} />
          </Form.Item>
          <Form.Item
            label={t('未达标原因', 'Reason for the shortfall')}
            name="shortfallReason"
            rules={shortfall ? [{ required: true, whitespace: true, message: codeText('QUARTER_REQUIREMENTS_NOT_MET', lang)! }] : []}
            extra={shortfall ? undefined : t('本季度已达标，可不填', 'Requirements met; may be left empty')}
          >
            <Input.TextArea autoSize={{ minRows: 2 }} />
          </Form.Item>
        </>
      );
      break;
    case 'SCORE_QUARTER': {
      const rep = [...(p.reports ?? [])].reverse().find((r) => r.status !== 'scored' && r.status !== 'returned') ?? (p.reports ?? []).find((r) => Number(r.quarter) === q);
      body = (
        <>
          {rep && (
            <Descriptions
              size="small"
              column={1}
              bordered
              style={{ marginBottom: 12 }}
              items={[
                { key: 'q', label: t('季度', 'Quarter'), children: t(`第${rep.quarter}季度`, `Q${rep.quarter}`) },
                { key: 'm', label: t('是否达标', 'Requirements met'), children: rep.requirementsMet === false ? <Typography.Text type="warning">{t('未达标', 'No')}</Typography.Text> : t('达标', 'Yes') },
                { key: 's', label: t('工作情况', 'Summary'), children: rep.summary ?? '—' },
                ...(rep.shortfallReason ? [{ key: 'r', label: t('未达标原因', 'Shortfall reason'), children: rep.shortfallReason }] : []),
              ]}
            />
          )}
          {scoreField}
        </>
      );
      break;
    }
    case 'SUBMIT_REVIEW':
      body = (
        <>
          <Typography.Paragraph type="secondary">
            {t('结合党支部书记抓基层党建述职，对全年结对共建任务完成情况进行总结。', 'Summarise the year’s pairing work for the year-end review.')}
          </Typography.Paragraph>
          <Form.Item label={t('年度工作总结', 'Summary')} name="summary" rules={[{ required: true, whitespace: true, message: t('请填写年度工作总结', 'Required') }]}>
            <Input.TextArea autoSize={{ minRows: 3 }} />
          </Form.Item>
          <Form.Item label={t('实际问题是否解决', 'Problem solved?')} name="problemSolved" rules={[{ required: true }]}>
            <Radio.Group
              options={[
                { value: true, label: t('已解决', 'Yes') },
                { value: false, label: t('未解决', 'No') },
              ]}
            />
          </Form.Item>
          <Form.Item label={t('问题解决情况', 'How it was resolved')} name="problemResolution" rules={[{ required: true, whitespace: true, message: t('请填写问题解决情况', 'Required') }]}>
            <Input.TextArea autoSize={{ minRows: 2 }} />
          </Form.Item>
          <Form.List name="outcomes">
            {(fields, { add, remove }) => (
              <Form.Item label={t('成效指标（如诉前化解率）', 'Outcome indicators')}>
                {fields.map((f, i) => (
                  <Space key={f.key} wrap align="baseline" size="small" style={{ display: 'flex' }}>
                    <Form.Item name={[f.name, 'indicator']} rules={[{ required: true, whitespace: true, message: t('请填写指标', 'Required') }]}>
                      <Input placeholder={t('指标名称', 'Indicator')} aria-label={t(`指标${i + 1}名称`, `Indicator ${i + 1}`)} style={{ width: 180 }} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'value']} rules={[{ required: true, message: t('请填写数值', 'Required') }]}>
                      <InputNumber placeholder={t('数值', 'Value')} aria-label={t(`指标${i + 1}数值`, `Value ${i + 1}`)} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'unit']} rules={[{ required: true, whitespace: true, message: t('请填写单位', 'Required') }]}>
                      <Input placeholder={t('单位', 'Unit')} aria-label={t(`指标${i + 1}单位`, `Unit ${i + 1}`)} style={{ width: 80 }} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'baseline']}>
                      <InputNumber placeholder={t('上年基数', 'Baseline')} aria-label={t(`指标${i + 1}基数`, `Baseline ${i + 1}`)} />
                    </Form.Item>
                    <Button type="text" icon={<MinusCircleOutlined />} onClick={() => remove(f.name)} aria-label={t(`删除指标${i + 1}`, `Remove ${i + 1}`)} />
                  </Space>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})}>
                  {t('添加指标', 'Add indicator')}
                </Button>
              </Form.Item>
            )}
          </Form.List>
        </>
      );
      break;
    case 'APPROVE_REVIEW': {
      const qs = (p.quarterScores ?? []).filter((x) => Number(x.quarter) >= startQuarter);
      const mean = qs.length ? qs.reduce((s, x) => s + Number(x.score), 0) / qs.length : null;
      body = (
        <>
          <Descriptions
            size="small"
            column={1}
            bordered
            style={{ marginBottom: 12 }}
            items={[
              { key: 'qs', label: t('季度得分', 'Quarter scores'), children: qs.length ? qs.map((x) => t(`第${x.quarter}季度 ${fmtScore(x.score)}`, `Q${x.quarter} ${fmtScore(x.score)}`)).join('；') : '—' },
              { key: 'm', label: t('季度平均', 'Mean'), children: mean === null ? '—' : mean.toFixed(2) },
              { key: 'f', label: t('总分计算', 'Final score'), children: t('总分 = 季度平均 × 60% + 述职评分 × 40%', 'final = 0.6 × quarter mean + 0.4 × review score') },
              ...(p.review?.summary ? [{ key: 's', label: t('述职总结', 'Review summary'), children: p.review.summary }] : []),
            ]}
          />
          {scoreField}
        </>
      );
      break;
    }
    case 'UPDATE_LIAISONS':
      body = (
        <>
          <Form.Item label={t('本支部联络员', 'Our liaison')} name="liaisonUserId">
            <UserPicker users={org?.users ?? null} branchId={p.leadBranchId} aria-label={t('本支部联络员', 'Our liaison')} />
          </Form.Item>
          <Form.List name="partnerLiaisons">
            {(fields, { add, remove }) => (
              <Form.Item label={t('共建单位联络员', 'Partner liaisons')}>
                {fields.map((f) => (
                  <Space key={f.key} wrap align="baseline" size="small" style={{ display: 'flex' }}>
                    <Form.Item name={[f.name, 'partnerId']} rules={[{ required: true, message: t('选择单位', 'Choose') }]}>
                      <Select style={{ width: 200 }} options={partnerOptions} aria-label={t('所在单位', 'Partner')} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'name']} rules={[{ required: true, whitespace: true, message: t('填写姓名', 'Name') }]}>
                      <Input placeholder={t('姓名', 'Name')} aria-label={t('联络员姓名', 'Liaison name')} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'phone']} rules={[{ required: true, whitespace: true, message: t('填写电话', 'Phone') }]}>
                      <Input placeholder={t('联系电话', 'Phone')} aria-label={t('联系电话', 'Phone')} />
                    </Form.Item>
                    <Button type="text" icon={<MinusCircleOutlined />} onClick={() => remove(f.name)} aria-label={t('删除', 'Remove')} />
                  </Space>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})}>
                  {t('添加共建单位联络员', 'Add partner liaison')}
                </Button>
              </Form.Item>
            )}
          </Form.List>
        </>
      );
      break;
    default:
      body = (
        <Typography.Paragraph>
          {type === 'SUBMIT' && t('提交后将报机关党委审批。', 'It goes to the organ party committee for approval.')}
          {type === 'APPROVE' && t('批准后，支部可签订共建协议书。', 'After approval the branch signs the agreement.')}
          {type === 'ACCEPT_PLAN' && t('备案后项目进入季度活动阶段。', 'After acceptance the quarterly work begins.')}
          {type === 'RETURN' && t('退回后，提交人修改后可重新提交。', 'The submitter can revise and resubmit.')}
          {type === 'REJECT' && t('不予通过后项目结束，不能再提交。', 'A rejected pairing ends for good.')}
          {type === 'TERMINATE' && t('终止后项目结束，不能恢复。', 'A terminated pairing cannot be resumed.')}
          {type === 'URGE' && t('将提醒机关党委尽快办理（24小时内只能催办一次）。', 'Reminds the committee (once per 24 hours).')}
          {type === 'RECALL' && t('撤回后可继续修改申报内容。', 'Recall to edit the proposal again.')}
          {type === 'WITHDRAW' && t('撤销后项目结束，不能恢复。', 'A withdrawn pairing ends for good.')}
        </Typography.Paragraph>
      );
  }

  return (
    <Modal
      open
      title={`${eventLabel(type, lang)} · ${p.code ?? ''}`}
      onCancel={onClose}
      onOk={submit}
      okText={t('确定', 'Confirm')}
      cancelText={t('取消', 'Cancel')}
      confirmLoading={busy}
      okButtonProps={{ disabled: !stillAvailable, danger: ['REJECT', 'TERMINATE', 'WITHDRAW', 'RETURN'].includes(type) }}
      width={WITH_FORM.has(type) ? 860 : 520}
      mask={{ closable: false }}
      destroyOnHidden
    >
      {!stillAvailable && (
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('当前状态下已不能进行此操作', 'This step is no longer possible')} />
      )}
      {error && (
        <Alert
          type={errorKind}
          showIcon
          role="alert"
          style={{ marginBottom: 12 }}
          title={error}
          description={extra.length ? <ul style={{ margin: 0 }}>{extra.map((m, i) => <li key={i}>{m}</li>)}</ul> : undefined}
        />
      )}
      <Form form={form} layout="vertical" initialValues={initialValues} onValuesChange={() => setError(null)}>
        {body}
        {commentField}
      </Form>
    </Modal>
  );
}
