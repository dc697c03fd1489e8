import { Link, useParams } from 'react-router';
import { Card, Descriptions, Empty, Space, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { get } from '../api/client';
import type { Practice } from '../api/types';
import { AuthImage } from '../components/AuthImage';
import { ErrorAlert, NotFound, PageTitle, fmtScore, fmtTime, isNotFound } from '../components/common';
import { ItemList, ItemRow } from '../components/ItemList';
import { useLang } from '../i18n';
import { IndicatorTable } from '../overview/indicators';
import { signed } from '../overview/charts';

const practiceKey = (id?: string) => ['practices', id ?? 'list'] as const;

/** 好做法: what the committee published for everyone to learn from, newest first. */
export function PracticeList() {
  const { t, lang } = useLang();
  const query = useQuery({ queryKey: practiceKey(), queryFn: () => get<Practice[]>('/api/practices') });
  return (
    <>
      <PageTitle title={t('好做法', 'Good practices')} />
      <Typography.Paragraph type="secondary">
        {t('机关党委从已评分的结对共建项目中总结推广的好做法、好经验。', 'Good practices the organ party committee drew from scored pairings, for every branch to learn from.')}
      </Typography.Paragraph>
      {query.error ? <ErrorAlert error={query.error} onRetry={() => query.refetch()} /> : null}
      <ItemList
        loading={query.isLoading}
        items={query.data ?? []}
        rowKey={(p) => String(p.id)}
        empty={<Empty description={t('尚未发布好做法', 'No good practice published yet')} />}
        renderItem={(p) => (
          <ItemRow
            data-testid="practice-item"
            title={<Link to={`/practices/${p.id}`}>{p.title}</Link>}
            description={
              <Space wrap size={4}>
                <span>{p.pairing.leadBranchName}</span>
                <span>·</span>
                <span>{p.pairing.partnerNames.join('、')}</span>
                <span>·</span>
                <span>{t(`${p.pairing.year}年度`, String(p.pairing.year))}</span>
                {p.indicators
                  .filter((i) => i.improved)
                  .slice(0, 3)
                  .map((i) => (
                    <Tag key={i.name} color="success">
                      {i.name} {signed(i.change, i.unit, lang)}
                    </Tag>
                  ))}
              </Space>
            }
          >
            <Typography.Paragraph ellipsis={{ rows: 2 }} style={{ margin: '4px 0 0' }}>
              {p.summary}
            </Typography.Paragraph>
          </ItemRow>
        )}
      />
    </>
  );
}

/** One good practice, read like an intranet article: headline, who and when, the story, the figures, the photos. */
export function PracticeArticle() {
  const { id } = useParams();
  const { t } = useLang();
  const query = useQuery({ queryKey: practiceKey(id), queryFn: () => get<Practice>(`/api/practices/${encodeURIComponent(String(id))}`) });
  if (isNotFound(query.error)) return <NotFound what={t('该好做法不存在或已撤回。', 'This good practice does not exist or was withdrawn.')} />;
  const p = query.data;
  return (
    <>
      {query.error ? <ErrorAlert error={query.error} onRetry={() => query.refetch()} /> : null}
      {p && (
        <article className="gj-practice-article" data-testid="practice-article">
          <Typography.Text type="secondary">
            <Link to="/practices">{t('好做法', 'Good practices')}</Link>
          </Typography.Text>
          <h1>{p.title}</h1>
          <Space wrap className="gj-muted">
            <span>{p.pairing.leadBranchName}</span>
            <span>{t(`机关党委 ${p.publishedBy.displayName} 发布于 ${fmtTime(p.publishedAt)}`, `Published by ${p.publishedBy.displayName}, ${fmtTime(p.publishedAt)}`)}</span>
            {p.status === 'withdrawn' && <Tag color="default">{t('已撤回', 'Withdrawn')}</Tag>}
          </Space>
          {p.status === 'withdrawn' && p.withdrawComment && (
            <Typography.Paragraph type="warning">{t(`撤回理由：${p.withdrawComment}`, `Withdrawn: ${p.withdrawComment}`)}</Typography.Paragraph>
          )}
          <Typography.Paragraph className="gj-practice-summary">{p.summary}</Typography.Paragraph>
          {p.photos.length > 0 && (
            <div className="gj-practice-photos" data-testid="practice-photos">
              {p.photos.map((photo) => (
                <figure key={String(photo.id)}>
                  <AuthImage id={photo.id} alt={photo.filename} />
                  <figcaption>{photo.filename.replace(/\.(png|jpe?g)$/i, '')}</figcaption>
                </figure>
              ))}
            </div>
          )}
          {p.indicators.length > 0 && (
            <Card size="small" title={t('成效指标', 'Outcome indicators')} style={{ margin: '16px 0' }}>
              <IndicatorTable indicators={p.indicators} />
            </Card>
          )}
          <Descriptions size="small" column={1} bordered title={t('结对项目', 'The pairing')}>
            <Descriptions.Item label={t('项目', 'Pairing')}>
              {p.pairing.code} {p.pairing.title}
            </Descriptions.Item>
            <Descriptions.Item label={t('共建单位', 'Partners')}>{p.pairing.partnerNames.join('、')}</Descriptions.Item>
            <Descriptions.Item label={t('结对主题', 'Theme')}>{p.pairing.theme}</Descriptions.Item>
            <Descriptions.Item label={t('实际问题', 'Problem')}>{p.pairing.problem}</Descriptions.Item>
            {p.review && (
              <Descriptions.Item label={t('问题解决情况', 'Resolution')}>
                {p.review.problemSolved ? t('已解决。', 'Solved. ') : t('未完全解决。', 'Not fully solved. ')}
                {p.review.problemResolution}
              </Descriptions.Item>
            )}
            {p.indicators.length === 0 && (p.review?.outcomes.length ?? 0) > 0 && (
              <Descriptions.Item label={t('成效', 'Outcomes')}>
                {p.review!.outcomes.map((o) => `${o.indicator} ${o.value}${o.unit}`).join('；')}
              </Descriptions.Item>
            )}
            <Descriptions.Item label={t('年度总分', 'Final score')}>{p.pairing.finalScore === null ? '—' : fmtScore(p.pairing.finalScore, 2)}</Descriptions.Item>
          </Descriptions>
        </article>
      )}
    </>
  );
}
