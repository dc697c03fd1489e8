import { Col, DatePicker, Form, Input, Row, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { AttachmentInput } from '../components/Attachments';
import { DATE, toDateString } from '../dates';
import { defined, text, type EventForm } from './types';

const dateOnly = { format: DATE, style: { width: '100%' } } as const;

export const SIGN_AGREEMENT: EventForm = {
  comment: 'optional',
  wide: true,
  ruleFields: { AGREEMENT_DATES_INVALID: 'validTo', DATE_IN_FUTURE: 'signedOn' },
  initialValues: ({ pairing, today }) => {
    const year = Number(pairing.year);
    const day = dayjs(today);
    return {
      signedOn: day.year() === year ? day : undefined,
      validFrom: dayjs(`${year}-01-01`),
      validTo: dayjs(`${year}-12-31`),
      goals: pairing.goals ?? '',
      attachmentIds: [],
    };
  },
  payload: (v) =>
    defined({
      signedOn: toDateString(v.signedOn as Dayjs),
      validFrom: toDateString(v.validFrom as Dayjs),
      validTo: toDateString(v.validTo as Dayjs),
      goals: text(v, 'goals'),
      content: text(v, 'content'),
      requirements: text(v, 'requirements'),
      attachmentIds: Array.isArray(v.attachmentIds) && v.attachmentIds.length ? v.attachmentIds : undefined,
    }),
  Fields: ({ ctx: { t } }) => (
    <>
      <Typography.Paragraph type="secondary">
        {t('共建双方党支部签订《结对共建协议书》，明确共建时间、目标、内容和要求。', 'Both branches sign the agreement: period, goals, content and requirements.')}
      </Typography.Paragraph>
      <Row gutter={12}>
        <Col xs={24} sm={8}>
          <Form.Item label={t('签订日期', 'Signed on')} name="signedOn" required>
            <DatePicker {...dateOnly} />
          </Form.Item>
        </Col>
        <Col xs={12} sm={8}>
          <Form.Item label={t('共建开始日期', 'Valid from')} name="validFrom" required>
            <DatePicker {...dateOnly} />
          </Form.Item>
        </Col>
        <Col xs={12} sm={8}>
          <Form.Item label={t('共建结束日期', 'Valid to')} name="validTo" required>
            <DatePicker {...dateOnly} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item label={t('共建目标', 'Goals')} name="goals" required>
        <Input.TextArea autoSize={{ minRows: 2 }} />
      </Form.Item>
      <Form.Item label={t('共建内容', 'Content')} name="content" required>
        <Input.TextArea autoSize={{ minRows: 2 }} />
      </Form.Item>
      <Form.Item label={t('共建要求', 'Requirements')} name="requirements" required>
        <Input.TextArea autoSize={{ minRows: 2 }} />
      </Form.Item>
      <Form.Item label={t('协议书扫描件（可选）', 'Signed copy (optional)')} name="attachmentIds">
        <AttachmentInput />
      </Form.Item>
    </>
  ),
};
