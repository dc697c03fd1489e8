import { Alert, Col, DatePicker, Form, Input, Row, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { Pairing } from '../api/types';
import { AttachmentInput } from '../components/Attachments';
import { DATE, quarterOf, quarterStart, toDateString } from '../dates';
import { quarterName } from '../i18n';
import { ACTIVITY_KINDS, activityKindLabel } from '../labels';
import { asNumber, NumberText } from './fields';
import { defined, text, type EventForm } from './types';

/**
 * The quarters an activity may still go into, as the server's quarter table shows them: assessed (from the
 * start quarter on), not yet reported, and already begun. Only a hint: the server judges the date.
 */
export function openQuarters(p: Pairing, today: string): number[] {
  const year = Number(p.year);
  return (p.compliance ?? [])
    .filter((c) => !c.reportSubmitted && quarterStart(year, Number(c.quarter)).format(DATE) <= today)
    .map((c) => Number(c.quarter));
}

export const RECORD_ACTIVITY: EventForm = {
  comment: 'none',
  wide: true,
  ruleFields: { ACTIVITY_DATE_INVALID: 'heldOn', DATE_IN_FUTURE: 'heldOn' },
  initialValues: ({ pairing, today }) => {
    const open = openQuarters(pairing, today);
    const todayOpen = today.startsWith(`${pairing.year}-`) && open.includes(quarterOf(today));
    return { kind: 'joint_meeting', heldOn: todayOpen ? dayjs(today) : undefined, participants: '', partnerParticipants: '0', attachmentIds: [] };
  },
  payload: (v) =>
    defined({
      kind: v.kind,
      heldOn: toDateString(v.heldOn as Dayjs),
      title: text(v, 'title'),
      location: text(v, 'location'),
      participants: asNumber(v.participants),
      partnerParticipants: asNumber(v.partnerParticipants) ?? 0,
      summary: text(v, 'summary'),
      attachmentIds: Array.isArray(v.attachmentIds) && v.attachmentIds.length ? v.attachmentIds : undefined,
    }),
  Fields: ({ ctx: { pairing, today, t, lang } }) => {
    const open = openQuarters(pairing, today);
    const names = open.map((q) => quarterName(q, lang)).join(lang === 'en' ? ', ' : '、');
    return (
      <>
        <Alert
          type={open.length ? 'info' : 'warning'}
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="open-quarters"
          title={
            open.length
              ? t(`可登记${names}的活动（日期不晚于今天 ${today}）`, `Activities may go into ${names} (dated no later than today, ${today})`)
              : t('目前没有可登记活动的季度：已报送的季度不能再登记，下一季度尚未开始。', 'No quarter takes activities now: reported quarters are closed and the next one has not begun.')
          }
          description={t('每季度须召开一次联席会议、确定一天为共建活动日。', 'Each quarter needs a joint meeting and an activity day.')}
        />
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item label={t('活动类型', 'Kind')} name="kind" required>
              <Select options={Object.keys(ACTIVITY_KINDS).map((k) => ({ value: k, label: activityKindLabel(k, lang) }))} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item label={t('活动日期', 'Held on')} name="heldOn" required>
              <DatePicker format={DATE} style={{ width: '100%' }} inputReadOnly={false} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item label={t('活动名称', 'Title')} name="title" required>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item label={t('活动地点', 'Location')} name="location">
          <Input maxLength={200} />
        </Form.Item>
        <Row gutter={12}>
          <Col xs={12}>
            <Form.Item label={t('本院参加人数', 'Our participants')} name="participants" required>
              <NumberText />
            </Form.Item>
          </Col>
          <Col xs={12}>
            <Form.Item label={t('共建单位参加人数', 'Partner participants')} name="partnerParticipants" required>
              <NumberText />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item label={t('活动内容摘要', 'Summary')} name="summary" required>
          <Input.TextArea autoSize={{ minRows: 3 }} />
        </Form.Item>
        <Form.Item label={t('活动资料（照片、纪要等）', 'Records (photos, minutes…)')} name="attachmentIds">
          <AttachmentInput />
        </Form.Item>
      </>
    );
  },
};
