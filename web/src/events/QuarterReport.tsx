import { Alert, Form, Input } from 'antd';
import type { Pairing } from '../api/types';
import { codeText } from '../api/errors';
import { quarterName } from '../i18n';
import { IndicatorValueFields, indicatorValuesPayload, planIndicators } from './Indicators';
import { defined, text, type EventForm } from './types';

/** A quarter's joint meetings and activity days, as the server's quarter table counts them. */
export function quarterCounts(p: Pairing, q: number) {
  const c = (p.compliance ?? []).find((x) => Number(x.quarter) === q);
  return { jointMeetings: Number(c?.jointMeetings ?? 0), activityDays: Number(c?.activityDays ?? 0) };
}

export const SUBMIT_QUARTER_REPORT: EventForm = {
  comment: 'none',
  ruleFields: { QUARTER_REQUIREMENTS_NOT_MET: 'shortfallReason' },
  // indicatorValues.<n>.value of the body is the field of the indicator it names (only filled ones are sent).
  placeOf: (path, body, { pairing }) => {
    if (path[0] !== 'indicatorValues' || typeof path[1] !== 'number') return undefined;
    const name = (body.indicatorValues as { name?: string }[] | undefined)?.[path[1]]?.name;
    const i = planIndicators(pairing).findIndex((x) => x.name === name);
    return i >= 0 ? ['indicatorValues', String(i)] : undefined;
  },
  payload: (v, { pairing }) => {
    const indicatorValues = indicatorValuesPayload(pairing, v);
    return defined({
      summary: text(v, 'summary'),
      planProgress: text(v, 'planProgress'),
      shortfallReason: text(v, 'shortfallReason'),
      indicatorValues: indicatorValues.length ? indicatorValues : undefined,
    });
  },
  Fields: ({ ctx: { pairing, t, lang } }) => {
    const q = Number(pairing.quarter ?? 0);
    const counts = q ? quarterCounts(pairing, q) : null;
    // The server says so in blockedEvents: this quarter may only be reported with a reason.
    const shortfall = (pairing.blockedEvents ?? []).some((b) => b.type === 'SUBMIT_QUARTER_REPORT' && b.code === 'QUARTER_REQUIREMENTS_NOT_MET');
    return (
      <>
        {counts && (
          <Alert
            type={shortfall ? 'warning' : 'success'}
            showIcon
            style={{ marginBottom: 12 }}
            title={t(
              `${quarterName(q, lang)}：联席会议 ${counts.jointMeetings} 次，共建活动日 ${counts.activityDays} 次`,
              `${quarterName(q, lang)}: ${counts.jointMeetings} joint meeting(s), ${counts.activityDays} activity day(s)`,
            )}
            description={shortfall ? codeText('QUARTER_REQUIREMENTS_NOT_MET', lang) : undefined}
          />
        )}
        <Form.Item label={t('本季度工作情况', 'Quarter summary')} name="summary" required>
          <Input.TextArea autoSize={{ minRows: 3 }} />
        </Form.Item>
        <Form.Item label={t('计划推进情况（可选）', 'Plan progress (optional)')} name="planProgress">
          <Input.TextArea autoSize={{ minRows: 2 }} />
        </Form.Item>
        <Form.Item
          label={t('未达标原因', 'Reason for the shortfall')}
          name="shortfallReason"
          required={shortfall}
          extra={shortfall ? undefined : t('本季度已达标，可不填', 'Requirements met; may be left empty')}
        >
          <Input.TextArea autoSize={{ minRows: 2 }} />
        </Form.Item>
        <IndicatorValueFields pairing={pairing} t={t} />
      </>
    );
  },
};
