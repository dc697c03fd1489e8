import { Form, Select, Typography } from 'antd';
import { activityKindLabel } from '../labels';
import type { EventForm } from './types';

export const VOID_ACTIVITY: EventForm = {
  comment: 'required',
  danger: true,
  ruleFields: { ACTIVITY_NOT_VOIDABLE: 'activityId' },
  initialValues: ({ presetActivityId }) => ({ activityId: presetActivityId !== undefined ? String(presetActivityId) : undefined }),
  payload: (v, { pairing }) => {
    const activity = (pairing.activities ?? []).find((a) => String(a.id) === String(v.activityId));
    return { activityId: activity ? activity.id : v.activityId };
  },
  Fields: ({ ctx: { pairing, t, lang } }) => (
    <>
      <Typography.Paragraph type="secondary">
        {t('作废后活动仍保留在记录中，但不再计入季度考核。', 'A voided activity stays on record but no longer counts.')}
      </Typography.Paragraph>
      <Form.Item label={t('要作废的活动', 'Activity')} name="activityId" required>
        <Select
          options={(pairing.activities ?? [])
            .filter((a) => !a.voided)
            .map((a) => ({ value: String(a.id), label: `${a.heldOn} ${activityKindLabel(a.kind, lang)} · ${a.title}` }))}
        />
      </Form.Item>
    </>
  ),
};
