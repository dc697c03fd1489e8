import { Button, Col, Form, Input, Radio, Row, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { BASELINE } from '../labels';
import { asNumber, NumberText } from './fields';
import { planIndicators } from './Indicators';
import { defined, text, type EventForm } from './types';

export const SUBMIT_REVIEW: EventForm = {
  comment: 'none',
  wide: true,
  // The plan's indicators come first, named and in their units, so the review reports them as declared.
  initialValues: ({ pairing }) => {
    const declared = planIndicators(pairing);
    return {
      problemSolved: true,
      outcomes: declared.length ? declared.map((i) => ({ indicator: i.name, unit: i.unit, baseline: i.baseline })) : [{}],
    };
  },
  payload: (v) =>
    defined({
      summary: text(v, 'summary'),
      problemSolved: !!v.problemSolved,
      problemResolution: text(v, 'problemResolution'),
      outcomes: ((v.outcomes as Record<string, unknown>[]) ?? [])
        .filter((o) => o && (text(o, 'indicator') || asNumber(o.value) !== undefined))
        .map((o) => defined({ indicator: text(o, 'indicator') ?? '', value: asNumber(o.value), unit: text(o, 'unit') ?? '', baseline: asNumber(o.baseline) })),
    }),
  Fields: ({ ctx: { t } }) => (
    <>
      <Typography.Paragraph type="secondary">
        {t('结合党支部书记抓基层党建述职，对全年结对共建任务完成情况进行总结。', 'Summarise the year’s pairing work for the year-end review.')}
      </Typography.Paragraph>
      <Form.Item label={t('年度工作总结', 'Summary')} name="summary" required>
        <Input.TextArea autoSize={{ minRows: 3 }} />
      </Form.Item>
      <Form.Item label={t('实际问题是否解决', 'Problem solved?')} name="problemSolved" required>
        <Radio.Group
          options={[
            { value: true, label: t('已解决', 'Yes') },
            { value: false, label: t('未解决', 'No') },
          ]}
        />
      </Form.Item>
      <Form.Item label={t('问题解决情况', 'How it was resolved')} name="problemResolution" required>
        <Input.TextArea autoSize={{ minRows: 2 }} />
      </Form.Item>
      <Form.List name="outcomes">
        {(fields, { add, remove }) => (
          <Form.Item label={t('成效指标（如诉前化解率）', 'Outcome indicators')}>
            {fields.map((f, i) => (
              <Row key={f.key} gutter={8} align="top">
                <Col xs={24} sm={8}>
                  <Form.Item name={[f.name, 'indicator']}>
                    <Input placeholder={t('指标名称', 'Indicator')} aria-label={t(`指标${i + 1}名称`, `Indicator ${i + 1}`)} />
                  </Form.Item>
                </Col>
                <Col xs={8} sm={5}>
                  <Form.Item name={[f.name, 'value']}>
                    <NumberText placeholder={t('数值', 'Value')} aria-label={t(`指标${i + 1}数值`, `Value ${i + 1}`)} />
                  </Form.Item>
                </Col>
                <Col xs={6} sm={4}>
                  <Form.Item name={[f.name, 'unit']}>
                    <Input placeholder={t('单位', 'Unit')} aria-label={t(`指标${i + 1}单位`, `Unit ${i + 1}`)} />
                  </Form.Item>
                </Col>
                <Col xs={8} sm={5}>
                  <Form.Item name={[f.name, 'baseline']}>
                    <NumberText placeholder={t(BASELINE.zh, BASELINE.en)} aria-label={t(`指标${i + 1}${BASELINE.zh}`, `Baseline ${i + 1}`)} />
                  </Form.Item>
                </Col>
                <Col xs={2} sm={2}>
                  <Button type="text" icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t(`删除指标${i + 1}`, `Remove ${i + 1}`)} />
                </Col>
              </Row>
            ))}
            <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})}>
              {t('添加指标', 'Add indicator')}
            </Button>
          </Form.Item>
        )}
      </Form.List>
    </>
  ),
};
