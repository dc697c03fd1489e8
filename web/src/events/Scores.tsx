import { Descriptions, Typography } from 'antd';
import { usePartners } from '../api/queries';
import { fmtScore } from '../components/common';
import { quarterName } from '../i18n';
import { asNumber, ScoreField } from './fields';
import type { EventForm } from './types';

const scorePayload = (v: Record<string, unknown>) => ({ score: asNumber(v.score) });

export const SCORE_QUARTER: EventForm = {
  comment: 'optional',
  payload: scorePayload,
  Fields: ({ ctx }) => {
    const { pairing: p, t, lang } = ctx;
    const report = [...(p.reports ?? [])].reverse().find((r) => r.status === 'submitted') ?? null;
    return (
      <>
        {report && (
          <Descriptions
            size="small"
            column={1}
            bordered
            style={{ marginBottom: 12 }}
            items={[
              { key: 'q', label: t('季度', 'Quarter'), children: quarterName(report.quarter, lang) },
              {
                key: 'm',
                label: t('是否达标', 'Requirements met'),
                children: report.requirementsMet === false ? <Typography.Text type="warning">{t('未达标', 'No')}</Typography.Text> : t('达标', 'Yes'),
              },
              { key: 's', label: t('工作情况', 'Summary'), children: report.summary ?? '—' },
              ...(report.shortfallReason ? [{ key: 'r', label: t('未达标原因', 'Shortfall reason'), children: report.shortfallReason }] : []),
            ]}
          />
        )}
        <ScoreField ctx={ctx} />
      </>
    );
  },
};

export const APPROVE_REVIEW: EventForm = {
  comment: 'optional',
  payload: scorePayload,
  Fields: ({ ctx }) => {
    const { pairing: p, t, lang } = ctx;
    const partners = usePartners().data ?? [];
    const partnerName = (id: string | number) => partners.find((x) => String(x.id) === String(id))?.name ?? `#${id}`;
    const start = Number(p.plan?.startQuarter ?? 1);
    const scores = (p.quarterScores ?? []).filter((x) => Number(x.quarter) >= start);
    return (
      <>
        <Descriptions
          size="small"
          column={1}
          bordered
          style={{ marginBottom: 12 }}
          items={[
            {
              key: 'qs',
              label: t('季度得分', 'Quarter scores'),
              children: scores.length ? scores.map((x) => `${quarterName(x.quarter, lang)} ${fmtScore(x.score)}`).join(lang === 'en' ? '; ' : '；') : '—',
            },
            {
              key: 'f',
              label: t('总分计算', 'Final score'),
              children: t(
                '总分 = 季度得分平均 × 60% + 述职评分 × 40%，由系统按十进制计算，四舍五入保留两位小数',
                'final = 0.6 × mean of the quarter scores + 0.4 × review score, computed by the server in decimals, rounded half up to two places',
              ),
            },
            ...(p.review?.summary ? [{ key: 's', label: t('述职总结', 'Review summary'), children: p.review.summary }] : []),
            // SPEC §12: the partners' ratings, read when the review is scored.
            {
              key: 'ev',
              label: t('共建单位评价', 'Partners’ ratings'),
              children: (p.evaluations ?? []).length
                ? (p.evaluations ?? []).map((e) => (
                    <div key={String(e.partnerId)} data-testid="review-evaluation">
                      {partnerName(e.partnerId)}：{'★'.repeat(e.rating)}
                      {'☆'.repeat(5 - e.rating)} {e.comment}
                    </div>
                  ))
                : t('共建单位尚未评价', 'No partner has rated the year yet'),
            },
          ]}
        />
        <ScoreField ctx={ctx} />
      </>
    );
  },
};
