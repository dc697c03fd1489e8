import { Table, Tag } from 'antd';
import type { IndicatorOutcome } from '../api/types';
import { useIsMobile } from '../hooks';
import { quarterName, useLang } from '../i18n';
import { BASELINE } from '../labels';
import { signed } from './charts';

/**
 * A pairing's indicators: where each started, where the year took it, and whether that is the right way.
 * It fits an article's 800 px: the quarters wrap two a line and the verdicts one under the other, while a
 * change stays on one line. A phone scrolls it sideways under the fixed indicator column.
 */
export function IndicatorTable({ indicators }: { indicators: IndicatorOutcome[] }) {
  const { t, lang } = useLang();
  const mobile = useIsMobile();
  return (
    <Table
      size="small"
      className="gj-indicator-table"
      pagination={false}
      scroll={mobile ? { x: 'max-content' } : undefined}
      rowKey="name"
      dataSource={indicators}
      columns={[
        { title: t('指标', 'Indicator'), key: 'name', fixed: mobile ? 'left' : undefined, render: (_, i) => `${i.name}（${i.unit}）` },
        { title: t(BASELINE.zh, BASELINE.en), dataIndex: 'baseline' },
        { title: t('目标', 'Target'), key: 'target', render: (_, i) => i.target ?? '—' },
        {
          title: t('季度值', 'Quarterly'),
          key: 'quarterly',
          render: (_, i) =>
            i.quarterly.length
              ? i.quarterly.map((q, n) => (
                  <span key={q.quarter} className="gj-indicator-quarter">
                    {quarterName(q.quarter, lang)} {q.value}
                    {n < i.quarterly.length - 1 ? (lang === 'en' ? '; ' : '；') : ''}
                  </span>
                ))
              : '—',
        },
        { title: t('年末值', 'Final'), key: 'final', render: (_, i) => i.final ?? '—' },
        {
          title: t('变化', 'Change'),
          key: 'change',
          className: 'gj-nowrap',
          render: (_, i) => (
            <span className={i.improved ? 'gj-indicator-up' : i.change ? 'gj-indicator-down' : undefined}>{signed(i.change, i.unit, lang)}</span>
          ),
        },
        {
          title: t('评价', 'Verdict'),
          key: 'verdict',
          render: (_, i) => (
            <>
              {i.improved === true && <Tag color="success">{t('向好', 'Improved')}</Tag>}
              {i.improved === false && <Tag color={i.change === 0 ? 'default' : 'error'}>{i.change === 0 ? t('持平', 'Unchanged') : t('变差', 'Worsened')}</Tag>}
              {i.targetMet === true && <Tag color="gold">{t('达到目标', 'Target met')}</Tag>}
              {i.targetMet === false && <Tag>{t('未达目标', 'Target missed')}</Tag>}
              {i.change === null && <Tag>{t('尚未报送', 'Not reported')}</Tag>}
            </>
          ),
        },
      ]}
    />
  );
}
