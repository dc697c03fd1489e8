import { useMemo, useState } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { Button, Drawer, Layout, Menu, Segmented, Space, Tooltip, Typography } from 'antd';
import type { MenuProps } from 'antd';
import {
  AuditOutlined,
  BarChartOutlined,
  BankOutlined,
  BulbOutlined,
  ClusterOutlined,
  DashboardOutlined,
  InboxOutlined,
  LogoutOutlined,
  MenuOutlined,
  PieChartOutlined,
  ProjectOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { useAuth } from '../auth';
import { useLang } from '../i18n';
import { useIsMobile } from '../hooks';
import { roleLabel } from '../labels';
import { HOME_OVERVIEW_ROLES } from '../home';
import { courtSelection } from '../court';
import CourtSwitch from './CourtSwitch';

const { Header, Sider, Content } = Layout;

export default function AppLayout() {
  const { user, hasRole, logout } = useAuth();
  const { t, lang, setLang } = useLang();
  const navigate = useNavigate();
  const loc = useLocation();
  const mobile = useIsMobile();
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [collapsed, setCollapsed] = useState(false);
  // A supervisor's choice of courts: the page is read again for it.
  const [courtKey, setCourtKey] = useState(() => courtSelection() ?? 'own');

  const items = useMemo<MenuProps['items']>(() => {
    const list: NonNullable<MenuProps['items']> = hasRole(...HOME_OVERVIEW_ROLES)
      ? [
          { key: '/', icon: <PieChartOutlined />, label: t('总览', 'Overview') },
          { key: '/workbench', icon: <DashboardOutlined />, label: t('工作台', 'Workbench') },
        ]
      : [{ key: '/', icon: <DashboardOutlined />, label: t('工作台', 'Workbench') }];
    if (hasRole('secretary', 'committee', 'member', 'leader', 'auditor', 'supervisor'))
      list.push({ key: '/pairings', icon: <ProjectOutlined />, label: t('结对项目', 'Pairings') });
    // Every member of staff reads them; a platform admin's role by itself sees no workflow data.
    if (hasRole('secretary', 'committee', 'member', 'leader', 'auditor', 'supervisor', 'admin', 'partner'))
      list.push({ key: '/practices', icon: <BulbOutlined />, label: t('好做法', 'Good practices') });
    if (hasRole('committee')) list.push({ key: '/inbox', icon: <InboxOutlined />, label: t('审批待办', 'Approvals') });
    if (hasRole('supervisor', 'leader'))
      list.push({ key: '/courts', icon: <ClusterOutlined />, label: t('各院对比', 'Courts compared') });
    if (hasRole('committee', 'leader', 'auditor', 'supervisor'))
      list.push({ key: '/reports', icon: <BarChartOutlined />, label: t('通报与评比', 'Bulletin & ranking') });
    // A platform admin reads the platform chain (courts created and renamed), nothing of a court's.
    if (hasRole('auditor', 'committee', 'leader', 'supervisor', 'platform_admin'))
      list.push({ key: '/audit', icon: <AuditOutlined />, label: t('审计查询', 'Audit trail') });
    if (hasRole('admin', 'platform_admin')) {
      list.push({
        key: 'admin',
        icon: <TeamOutlined />,
        label: t('系统管理', 'Administration'),
        children: [
          ...(hasRole('admin')
            ? [
                { key: '/admin/users', icon: <UserOutlined />, label: t('用户', 'Users') },
                { key: '/admin/branches', icon: <BankOutlined />, label: t('党支部', 'Branches') },
                { key: '/admin/partners', icon: <BankOutlined />, label: t('共建单位', 'Partners') },
              ]
            : []),
          ...(hasRole('platform_admin') ? [{ key: '/admin/courts', icon: <ClusterOutlined />, label: t('法院', 'Courts') }] : []),
        ],
      });
    }
    return list;
  }, [hasRole, t]);

  const selected = useMemo(() => {
    const p = loc.pathname;
    if (p.startsWith('/admin/')) return p;
    const top = '/' + (p.split('/')[1] ?? '');
    return top === '/' ? '/' : top;
  }, [loc.pathname]);

  const menu = (
    <Menu
      mode="inline"
      selectedKeys={[selected]}
      defaultOpenKeys={selected.startsWith('/admin') ? ['admin'] : []}
      items={items}
      onClick={(e) => {
        navigate(e.key);
        setDrawerOpen(false);
      }}
      style={{ borderInlineEnd: 0 }}
      aria-label={t('主菜单', 'Main menu')}
    />
  );

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <a className="gj-skip" href="#main">
        {t('跳到正文', 'Skip to content')}
      </a>
      <Header className="gj-header">
        {mobile && (
          <Button
            type="text"
            icon={<MenuOutlined />}
            aria-label={t('打开菜单', 'Open menu')}
            onClick={() => setDrawerOpen(true)}
          />
        )}
        <div className="gj-brand">
          共建<small>{t('党建业务融合伙伴工程', 'Party-building & business partnership')}</small>
        </div>
        <div className="gj-header-right">
          <CourtSwitch onChange={(chosen) => setCourtKey(chosen ?? 'own')} />
          <Segmented
            size="small"
            value={lang}
            onChange={(v) => setLang(v as 'zh' | 'en')}
            options={[
              { label: '中文', value: 'zh' },
              { label: 'EN', value: 'en' },
            ]}
            aria-label={t('界面语言', 'Language')}
          />
          <Tooltip title={user?.roles?.map((r) => roleLabel(r, lang)).join('、')}>
            <Space size={4} className="gj-hide-mobile" data-testid="current-user">
              <UserOutlined />
              <Typography.Text>{user?.displayName || user?.username}</Typography.Text>
            </Space>
          </Tooltip>
          <Button
            icon={<LogoutOutlined />}
            onClick={() => {
              // Leave first, so the next person does not land on this user's page.
              navigate('/login', { replace: true, state: null });
              logout();
            }}
            aria-label={t('退出登录', 'Sign out')}
          >
            <span className="gj-hide-mobile">{t('退出', 'Sign out')}</span>
          </Button>
        </div>
      </Header>
      <Layout>
        {!mobile && (
          <Sider
            theme="light"
            width={200}
            collapsible
            collapsed={collapsed}
            onCollapse={setCollapsed}
            breakpoint="lg"
            style={{ borderInlineEnd: '1px solid #f0f0f0' }}
          >
            <nav>{menu}</nav>
          </Sider>
        )}
        {mobile && (
          <Drawer
            open={drawerOpen}
            onClose={() => setDrawerOpen(false)}
            placement="left"
            size={240}
            title={t('菜单', 'Menu')}
            styles={{ body: { padding: 0 } }}
          >
            <nav>{menu}</nav>
          </Drawer>
        )}
        <Content id="main" tabIndex={-1} className="gj-content">
          <Outlet key={courtKey} />
        </Content>
      </Layout>
    </Layout>
  );
}
