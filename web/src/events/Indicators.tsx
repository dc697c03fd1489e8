import { Button, Col, Form, Input, Row, Select, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type { Pairing, PlanIndicator } from '../api/types';
import { BASELINE } from '../labels';
import { asNumber, NumberText } from './fields';
import { defined, text, type Values } from './types';

/**
 * Outcome indicators (成效指标) in the event forms: the plan declares them, each quarter report and the
 * year-end review give their values. The server judges names, units and numbers; the forms only lay them out.
 */

/** The accepted (or filed) plan's indicators, as the pairing page has them. */
export const planIndicators = (p: Pairing): PlanIndicator[] => p.plan?.indicators ?? [];

/** What FILE_PLAN sends for the indicator rows that were filled in. */
export function indicatorPayload(rows: unknown): Values[] {
  return ((rows as Values[] | undefined) ?? [])
    .filter((row) => row && (text(row, 'name') || text(row, 'unit') || asNumber(row.baseline) !== undefined))
    .map((row) =>
      defined({
        name: text(row, 'name') ?? '',
        unit: text(row, 'unit') ?? '',
        baseline: asNumber(row.baseline) ?? null,
        target: asNumber(row.target),
        higherIsBetter: row.higherIsBetter !== false,
      }),
    );
}

/** FILE_PLAN's indicator rows. */
export function PlanIndicatorFields({ t }: { t: (zh: string, en: string) => string }) {
  return (
    <Form.List name="indicators">
      {(fields, { add, remove }) => (
        <div style={{ marginTop: 12 }}>
          <Typography.Text strong>{t('成效指标（可选）', 'Outcome indicators (optional)')}</Typography.Text>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
            {t('如家事纠纷诉前化解率、平均审理天数：写明单位和上年基数，季度报告和年终述职按名称报送数值。', 'E.g. a pre-litigation resolution rate or average trial days: give the unit and the baseline; quarter reports and the review report values by name.')}
          </Typography.Paragraph>
          {fields.map((f, i) => (
            <div key={f.key} className="gj-plan-item" data-testid="plan-indicator">
              <Row gutter={[8, 0]}>
                <Col xs={24} md={8}>
                  <Form.Item label={t(`指标${i + 1}`, `Indicator ${i + 1}`)} name={[f.name, 'name']} required>
                    <Input placeholder={t('家事纠纷诉前化解率', 'Family-dispute pre-litigation resolution rate')} />
                  </Form.Item>
                </Col>
                <Col xs={8} md={3}>
                  <Form.Item label={t('单位', 'Unit')} name={[f.name, 'unit']} required>
                    <Input placeholder="%" />
                  </Form.Item>
                </Col>
                <Col xs={8} md={3}>
                  <Form.Item label={t(BASELINE.zh, BASELINE.en)} name={[f.name, 'baseline']} required>
                    <NumberText />
                  </Form.Item>
                </Col>
                <Col xs={8} md={3}>
                  <Form.Item label={t('目标（可选）', 'Target')} name={[f.name, 'target']}>
                    <NumberText />
                  </Form.Item>
                </Col>
                <Col xs={20} md={6}>
                  <Form.Item label={t('方向', 'Direction')} name={[f.name, 'higherIsBetter']} initialValue={true}>
                    <Select
                      options={[
                        { value: true, label: t('越高越好', 'Higher is better') },
                        { value: false, label: t('越低越好', 'Lower is better') },
                      ]}
                    />
                  </Form.Item>
                </Col>
                <Col xs={4} md={1}>
                  <Form.Item label=" ">
                    <Button type="text" icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t(`删除指标${i + 1}`, `Remove indicator ${i + 1}`)} />
                  </Form.Item>
                </Col>
              </Row>
            </div>
          ))}
          <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ higherIsBetter: true })}>
            {t('添加成效指标', 'Add indicator')}
          </Button>
        </div>
      )}
    </Form.List>
  );
}

/** SUBMIT_QUARTER_REPORT's values: one field per declared indicator, sent only when filled in. */
export function indicatorValuesPayload(p: Pairing, values: Values): Values[] {
  const typed = (values.indicatorValues as Values | undefined) ?? {};
  return planIndicators(p).flatMap((indicator, i) => {
    const value = asNumber(typed[String(i)]);
    return value === undefined ? [] : [{ name: indicator.name, value }];
  });
}

export function IndicatorValueFields({ pairing, t }: { pairing: Pairing; t: (zh: string, en: string) => string }) {
  const indicators = planIndicators(pairing);
  if (!indicators.length) return null;
  return (
    <Form.Item label={t('成效指标本季度数值（可选）', 'Outcome indicators this quarter (optional)')}>
      {indicators.map((indicator, i) => (
        <Form.Item
          key={indicator.name}
          name={['indicatorValues', String(i)]}
          label={`${indicator.name}（${indicator.unit}，${t(BASELINE.zh, 'baseline')} ${indicator.baseline}${indicator.target === undefined || indicator.target === null ? '' : `，${t('目标', 'target')} ${indicator.target}`}）`}
          style={{ marginBottom: 8 }}
        >
          <NumberText width={160} aria-label={indicator.name} />
        </Form.Item>
      ))}
    </Form.Item>
  );
}
