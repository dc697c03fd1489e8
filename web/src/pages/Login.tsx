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
  const state = (loc.state ?? {}) as { from?: string; expired?: boolean };
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (user) return <Navigate to={state.from && state.from !== '/login' ? state.from : '/'} replace />;

  const onFinish = async (v: { username: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      await login(v.username.trim(), v.password);
      navigate(state.from && state.from !== '/login' ? state.from : '/', { replace: true });
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
          <Alert type="info" showIcon title={t('登录已失效，请重新登录', 'Your session ended, please sign in again')} style={{ marginBottom: 16 }} />
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
                    'secretary（支部书记）、secretary2、committee（机关党委）、leader（院党组）、auditor（审计）、member（党员），密码 Demo@2026；admin 密码 Admin@2026',
                    'secretary, secretary2, committee, leader, auditor, member — password Demo@2026; admin — Admin@2026',
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
