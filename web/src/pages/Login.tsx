import { useState } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { Alert, Button, Card, Collapse, Form, Input, Segmented, Typography } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { ApiError } from '../api/client';
import { errorMessage } from '../api/errors';
import { useAuth } from '../auth';
import { useLang } from '../i18n';

export default function Login() {
  const { user, login } = useAuth();
  const { t, lang, setLang } = useLang();
  const navigate = useNavigate();
  const loc = useLocation();
  const state = (loc.state ?? {}) as { from?: string; expired?: boolean; fromUser?: string | null };
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Back to the page the person was on (or the deep link they followed) — never to someone else's page.
  const landing = (username: string) =>
    state.from && state.from !== '/login' && (!state.fromUser || state.fromUser === username) ? state.from : '/';

  if (user) return <Navigate to={landing(user.username)} replace />;

  const onFinish = async (v: { username: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      const u = await login(v.username.trim(), v.password);
      navigate(landing(u.username), { replace: true });
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) setError(t('用户名或密码不正确，或账号已停用', 'Wrong username or password, or the account is deactivated'));
      else setError(errorMessage(e, lang));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', background: '#f5f5f5', padding: 16 }}>
      <Card style={{ width: '100%', maxWidth: 400 }}>
        <div style={{ display: 'flex', justifyContent: 'flex-end' }}>
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
        </div>
        <Typography.Title level={3} style={{ textAlign: 'center', color: '#a8071a', marginTop: 8 }}>
          共建
        </Typography.Title>
        <Typography.Paragraph style={{ textAlign: 'center' }} type="secondary">
          {t('党建业务融合伙伴工程 · 工作平台', 'Party-building & business partnership project')}
        </Typography.Paragraph>
        {state.expired && !error && (
          <Alert type="warning" showIcon role="status" title={t('登录已失效，请重新登录', 'Your sign-in has ended; please sign in again')} style={{ marginBottom: 16 }} />
        )}
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" />}
        <Form layout="vertical" onFinish={onFinish} requiredMark={false}>
          <Form.Item
            label={t('用户名', 'Username')}
            name="username"
            rules={[{ required: true, message: t('请输入用户名', 'Enter your username') }]}
          >
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item
            label={t('密码', 'Password')}
            name="password"
            rules={[{ required: true, message: t('请输入密码', 'Enter your password') }]}
          >
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            {t('登录', 'Sign in')}
          </Button>
        </Form>
        <Collapse
          ghost
          size="small"
          style={{ marginTop: 16 }}
          items={[
            {
              key: 'demo',
              label: t('演示账号', 'Demo accounts'),
              children: (
                <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: 0 }}>
                  {t(
                    '支部书记 secretary、secretary2、secretary3、secretary4，机关党委 committee，院党组 leader，审计 auditor，党员（联络员）member，上级法院（嘉兴中院）supervisor，海盐法院 hy-secretary、hy-committee，密码均为 Demo@2026；系统管理员（兼平台管理员）admin，密码 Admin@2026',
                    'Branch secretaries secretary, secretary2, secretary3, secretary4; committee; leader; auditor; member (liaison); supervisor (Jiaxing intermediate court); Haiyan court hy-secretary, hy-committee — password Demo@2026; admin (also platform admin) — Admin@2026',
                  )}
                </Typography.Paragraph>
              ),
            },
          ]}
        />
      </Card>
    </main>
  );
}
