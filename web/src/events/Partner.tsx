import { Form, Rate, Select, Typography } from 'antd';
import { usePartners } from '../api/queries';
import { AttachmentInput } from '../components/Attachments';
import { activityKindLabel } from '../labels';
import type { EventContext, EventForm } from './types';

/**
 * 会签: a partner's user countersigns for its own organisation (nothing to fill in); the lead secretary records
 * the paper countersignature of a partner without an account, with the signed scan.
 */
export const COUNTERSIGN_AGREEMENT: EventForm = {
  comment: 'optional',
  ruleFields: { ATTACHMENT_NOT_FOUND: 'attachmentIds' },
  initialValues: () => ({ attachmentIds: [] }),
  payload: (v, { partnerId }) =>
    partnerId
      ? {}
      : {
          partnerId: v.partnerId,
          ...(Array.isArray(v.attachmentIds) && v.attachmentIds.length ? { attachmentIds: v.attachmentIds } : {}),
        },
  intro: ({ t, partnerId }) =>
    partnerId
      ? t('确认本单位已审阅并同意《结对共建协议书》。', 'Confirm that your organisation has read and agrees to the agreement.')
      : '',
  Fields: ({ ctx }) => (ctx.partnerId ? null : <PaperCountersign ctx={ctx} />),
};

function PaperCountersign({ ctx: { pairing, t } }: { ctx: EventContext }) {
  const partners = usePartners().data ?? [];
  const done = new Set((pairing.agreement?.countersignatures ?? []).map((c) => String(c.partnerId)));
  const options = pairing.partnerIds
    .filter((id) => !done.has(String(id)))
    .map((id) => ({ value: id, label: partners.find((p) => String(p.id) === String(id))?.name ?? `#${id}` }));
  return (
    <>
      <Typography.Paragraph type="secondary">
        {t(
          '共建单位没有账号时，由支部书记上传其盖章签字的协议书扫描件，登记为纸质会签。',
          'For a partner without an account, upload its signed paper copy: it is recorded as a paper countersignature.',
        )}
      </Typography.Paragraph>
      <Form.Item label={t('共建单位', 'Partner')} name="partnerId" required>
        <Select options={options} />
      </Form.Item>
      <Form.Item label={t('会签扫描件', 'Signed scan')} name="attachmentIds" required>
        <AttachmentInput />
      </Form.Item>
    </>
  );
}

/** 双方确认: the partner confirms it took part in an activity. */
export const CONFIRM_ACTIVITY: EventForm = {
  comment: 'optional',
  ruleFields: { ACTIVITY_NOT_CONFIRMABLE: 'activityId', ACTIVITY_ALREADY_CONFIRMED: 'activityId' },
  initialValues: ({ presetActivityId }) => ({ activityId: presetActivityId !== undefined ? String(presetActivityId) : undefined }),
  payload: (v, { pairing }) => {
    const activity = (pairing.activities ?? []).find((a) => String(a.id) === String(v.activityId));
    return { activityId: activity ? activity.id : v.activityId };
  },
  Fields: ({ ctx: { pairing, t, lang, partnerId } }) => (
    <>
      <Typography.Paragraph type="secondary">
        {t('确认本单位参加了该次活动，活动即显示“双方确认”。', 'Confirm your organisation took part; the activity then shows as confirmed by both sides.')}
      </Typography.Paragraph>
      <Form.Item label={t('活动', 'Activity')} name="activityId" required>
        <Select
          options={(pairing.activities ?? [])
            .filter((a) => !a.voided && !(a.confirmations ?? []).some((c) => String(c.partnerId) === String(partnerId)))
            .map((a) => ({ value: String(a.id), label: `${a.heldOn} ${activityKindLabel(a.kind, lang)} · ${a.title}` }))}
        />
      </Form.Item>
    </>
  ),
};

/** 共建单位评价: 1–5 stars and the reason, once per partner. */
export const EVALUATE_PARTNERSHIP: EventForm = {
  comment: 'required',
  payload: (v) => ({ rating: v.rating }),
  Fields: ({ ctx: { t } }) => (
    <>
      <Typography.Paragraph type="secondary">
        {t('对本年度结对共建作出评价，机关党委评议年终述职时参阅。每个共建单位评价一次。', 'Rate the year; the committee reads it when scoring the review. Once per partner.')}
      </Typography.Paragraph>
      <Form.Item label={t('评价', 'Rating')} name="rating" required>
        <Rate count={5} />
      </Form.Item>
    </>
  ),
};

/** The version a pairing moves to: the one after its own (version 1 → 2 → 3). */
const nextVersion = (ctx: EventContext) => Number(ctx.pairing.workflowVersion ?? 1) + 1;

/** 迁移流程版本: the committee moves a pairing to the next version of the workflow. */
export const MIGRATE_WORKFLOW: EventForm = {
  comment: 'required',
  payload: (_values, ctx) => ({ toVersion: nextVersion(ctx) }),
  intro: (ctx) =>
    nextVersion(ctx) === 2
      ? ctx.t(
          '迁移到流程第2版后，状态和已有记录不变，共建单位可会签协议、确认活动和评价。',
          'On version 2 the state and records stay as they are, and the partners can countersign, confirm activities and evaluate.',
        )
      : ctx.t(
          '迁移到流程第3版后，状态和已有记录不变；催办按每个待审环节计算，新环节可立即催办，同一环节每24小时一次。',
          'On version 3 the state and records stay as they are; urging counts per waiting step: a new step may be urged at once, the same step once every 24 hours.',
        ),
};
