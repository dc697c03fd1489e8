import { Button, Col, DatePicker, Form, Input, Row, Select, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { DATE, currentQuarter, currentYear, quarterEnd, toDateString } from '../dates';
import { quarterName, type Lang } from '../i18n';
import { indicatorPayload, PlanIndicatorFields } from './Indicators';
import { text, type EventForm } from './types';

function suggestedItems(year: number, start: number, lang: Lang) {
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

export const FILE_PLAN: EventForm = {
  comment: 'optional',
  wide: true,
  ruleFields: { PLAN_ITEMS_INVALID: 'items' },
  initialValues: ({ pairing, lang }) => {
    const year = Number(pairing.year);
    const start = year === currentYear() ? currentQuarter() : 1;
    return { startQuarter: start, items: suggestedItems(year, start, lang) };
  },
  payload: (v) => ({
    ...(indicatorPayload(v.indicators).length ? { indicators: indicatorPayload(v.indicators) } : {}),
    startQuarter: v.startQuarter,
    items: ((v.items as Record<string, unknown>[]) ?? []).map((it) => ({
      title: String(it.title ?? '').trim(),
      quarter: it.quarter,
      dueDate: toDateString(it.dueDate as Dayjs),
      owner: String(it.owner ?? '').trim(),
      ...(text(it, 'deliverable') ? { deliverable: text(it, 'deliverable') } : {}),
    })),
  }),
  Fields: ({ ctx: { pairing, t, lang, today }, form }) => {
    const year = Number(pairing.year);
    const items = (Form.useWatch('items', form) as { dueDate?: Dayjs }[] | undefined) ?? [];
    const quarters = [1, 2, 3, 4].map((n) => ({ value: n, label: quarterName(n, lang) }));
    const passed = (i: number) => {
      const due = items[i]?.dueDate;
      return !!due && dayjs.isDayjs(due) && due.format(DATE) < today;
    };
    return (
      <>
        <Typography.Paragraph type="secondary">
          {t('年初制订可操作的年度计划，明确每项工作的季度、完成时限和责任人，报机关党委备案。', 'File an annual plan with the quarter, due date and owner of each item.')}
        </Typography.Paragraph>
        <Row gutter={12} align="bottom">
          <Col xs={24} sm={10}>
            <Form.Item label={t('起始季度', 'Start quarter')} name="startQuarter" required extra={t('从该季度起按季考核', 'Quarters are assessed from this one on')}>
              <Select options={quarters} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={14}>
            <Form.Item>
              <Button onClick={() => form.setFieldsValue({ items: suggestedItems(year, form.getFieldValue('startQuarter') ?? 1, lang) })}>
                {t('按季度生成联席会议和活动日', 'Fill in quarterly meetings and activity days')}
              </Button>
            </Form.Item>
          </Col>
        </Row>
        <Form.List name="items">
          {(fields, { add, remove }, { errors }) => (
            <>
              {fields.map((f, i) => (
                <div key={f.key} className="gj-plan-item" data-testid="plan-item">
                  <Row gutter={[8, 0]}>
                    <Col xs={24} md={8}>
                      <Form.Item label={t(`事项${i + 1}`, `Item ${i + 1}`)} name={[f.name, 'title']} required>
                        <Input />
                      </Form.Item>
                    </Col>
                    <Col xs={10} md={3}>
                      <Form.Item label={t('季度', 'Quarter')} name={[f.name, 'quarter']} required>
                        <Select options={quarters} />
                      </Form.Item>
                    </Col>
                    <Col xs={14} md={4}>
                      <Form.Item
                        label={t('完成时限', 'Due date')}
                        name={[f.name, 'dueDate']}
                        required
                        validateStatus={passed(i) ? 'warning' : undefined}
                        help={passed(i) ? t('该完成时限已过', 'This due date has already passed') : undefined}
                      >
                        <DatePicker format={DATE} style={{ width: '100%' }} />
                      </Form.Item>
                    </Col>
                    <Col xs={10} md={3}>
                      <Form.Item label={t('责任人', 'Owner')} name={[f.name, 'owner']} required>
                        <Input />
                      </Form.Item>
                    </Col>
                    <Col xs={10} md={5}>
                      <Form.Item label={t('成果形式', 'Deliverable')} name={[f.name, 'deliverable']}>
                        <Input />
                      </Form.Item>
                    </Col>
                    <Col xs={4} md={1}>
                      <Form.Item label=" ">
                        <Button type="text" icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t(`删除事项${i + 1}`, `Remove item ${i + 1}`)} />
                      </Form.Item>
                    </Col>
                  </Row>
                </div>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ quarter: form.getFieldValue('startQuarter') ?? 1 })}>
                {t('添加计划事项', 'Add item')}
              </Button>
              <Form.ErrorList errors={errors} />
            </>
          )}
        </Form.List>
        <PlanIndicatorFields t={t} />
      </>
    );
  },
};
