import { Button, Card, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { Link, useSearchParams } from 'react-router';
import { qs } from '../api/client';
import { usePairingList } from '../api/queries';
import type { Pairing } from '../api/types';
import { useAuth } from '../auth';
import { ErrorAlert, PageTitle, StateTag, fmtScore } from '../components/common';
import { useOrg } from '../hooks';
import { currentYear } from '../dates';
import { useLang } from '../i18n';
import { STATES, modeLabel } from '../labels';

export default function PairingList() {
  const { t, lang } = useLang();
  const { hasRole } = useAuth();
  const { org, branchName, partnerName } = useOrg();
  const [sp, setSp] = useSearchParams();
  const filters = {
    state: sp.get('state') ?? '',
    year: sp.get('year') ?? '',
    branchId: sp.get('branchId') ?? '',
    q: sp.get('q') ?? '',
    page: Number(sp.get('page') ?? 1) || 1,
    pageSize: Number(sp.get('pageSize') ?? 20) || 20,
  };
  const key = qs(filters);
  const list = usePairingList(key);

  const set = (patch: Record<string, string | number | undefined>) => {
    const next = new URLSearchParams(sp);
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined || v === '' || v === null) next.delete(k);
      else next.set(k, String(v));
    }
    if (!('page' in patch)) next.delete('page');
    setSp(next, { replace: true });
  };

  const thisYear = currentYear();
  const years = Array.from({ length: 7 }, (_, i) => thisYear + 1 - i);
  const items: Pairing[] = list.data?.items ?? [];

  return (
    <>
      <PageTitle
        title={t('结对项目', 'Pairings')}
        extra={
          hasRole('secretary', 'committee') && (
            <Link to="/pairings/new">
              <Button type="primary">{t('新建结对项目', 'New pairing')}</Button>
            </Link>
          )
        }
      />
      <Card>
        <Space wrap style={{ marginBottom: 12 }} role="search">
          <Select
            allowClear
            placeholder={t('全部状态', 'All states')}
            aria-label={t('状态', 'State')}
            style={{ width: 180 }}
            value={filters.state || undefined}
            onChange={(v) => set({ state: v })}
            options={[
              ...Object.keys(STATES).map((s) => ({ value: s, label: STATES[s][lang === 'en' ? 1 : 0] })),
              { value: 'active', label: t('季度活动阶段（全部）', 'Quarterly stage (all)') },
            ]}
          />
          <Select
            allowClear
            placeholder={t('全部年度', 'All years')}
            aria-label={t('年度', 'Year')}
            style={{ width: 120 }}
            value={filters.year || undefined}
            onChange={(v) => set({ year: v })}
            options={years.map((y) => ({ value: String(y), label: t(`${y}年`, String(y)) }))}
          />
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('全部支部', 'All branches')}
            aria-label={t('党支部', 'Branch')}
            style={{ width: 200 }}
            value={filters.branchId || undefined}
            onChange={(v) => set({ branchId: v })}
            options={(org?.branches ?? []).map((b) => ({ value: String(b.id), label: b.active === false ? `${b.name}（${t('已停用', 'deactivated')}）` : b.name }))}
          />
          <Input.Search
            allowClear
            placeholder={t('搜索名称、主题或编号', 'Search title, theme or code')}
            aria-label={t('搜索', 'Search')}
            defaultValue={filters.q}
            onSearch={(v) => set({ q: v.trim() })}
            style={{ width: 240 }}
          />
        </Space>
        <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />
        <Table<Pairing>
          rowKey={(r) => String(r.id)}
          loading={list.isFetching}
          dataSource={items}
          pagination={{
            current: filters.page,
            pageSize: filters.pageSize,
            total: list.data?.total ?? 0,
            showSizeChanger: true,
            showTotal: (n) => t(`共 ${n} 项`, `${n} in total`),
            onChange: (page, pageSize) => set({ page, pageSize }),
          }}
          columns={[
            { title: t('编号', 'Code'), dataIndex: 'code', width: 120, responsive: ['sm'] },
            {
              title: t('项目名称', 'Title'),
              dataIndex: 'title',
              // The name is the link; on a phone it carries the code under it, as the code's column gives way.
              render: (v, r) => (
                <>
                  <Link to={`/pairings/${r.id}`}>{v || t('（未命名）', '(untitled)')}</Link>
                  <Typography.Text type="secondary" className="gj-list-code">
                    {r.code}
                  </Typography.Text>
                </>
              ),
            },
            { title: t('牵头支部', 'Lead branch'), key: 'lead', width: 140, render: (_, r) => branchName(r.leadBranchId), responsive: ['md'] },
            {
              title: t('共建单位', 'Partners'),
              key: 'partners',
              width: 200,
              responsive: ['lg'],
              // A long partner name wraps inside its tag rather than pushing the table wider than the page.
              render: (_, r) =>
                (r.partnerIds ?? []).map((id) => (
                  <Tag key={String(id)} style={{ whiteSpace: 'normal', marginBottom: 2 }}>
                    {partnerName(id)}
                  </Tag>
                )),
            },
            { title: t('年度', 'Year'), dataIndex: 'year', width: 70, responsive: ['md'] },
            { title: t('方式', 'Mode'), key: 'mode', width: 100, render: (_, r) => modeLabel(r.mode, lang), responsive: ['lg'] },
            { title: t('状态', 'State'), key: 'state', width: 130, render: (_, r) => <StateTag state={r.state} /> },
            { title: t('总分', 'Final'), key: 'final', width: 70, responsive: ['sm'], render: (_, r) => fmtScore(r.finalScore, 2) },
          ]}
        />
      </Card>
    </>
  );
}
