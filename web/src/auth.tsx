import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Alert, Button, Form, Input, Modal, Typography } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { ApiError, get, getToken, request, setToken, setUnauthorizedHandler } from './api/client';
import { ALL_COURTS, setCourtSelection } from './court';
import { errorMessage } from './api/errors';
import type { User } from './api/types';
import { useLang } from './i18n';

/** Why nobody is signed in: they signed out, or the sign-in ended (token expired, user deactivated). */
export type SessionEnd = 'signedOut' | 'expired' | null;

interface AuthValue {
  user: User | null;
  loading: boolean;
  /** Set once a session has ended in this tab; a fresh visit (a deep link) has none. */
  ended: SessionEnd;
  /** Who was signed in when the sign-in ended: their page is kept for them, not for the next person. */
  lastUsername: string | null;
  login: (username: string, password: string) => Promise<User>;
  logout: () => void;
  hasRole: (...roles: string[]) => boolean;
}

const AuthContext = createContext<AuthValue | null>(null);

async function signIn(username: string, password: string): Promise<User> {
  const { data } = await request<{ accessToken: string; user: User }>('/api/auth/login', {
    method: 'POST',
    body: { username, password },
    noAuthRedirect: true,
  });
  setToken(data.accessToken);
  // Roles come from /me: rights are the user's as they are now.
  try {
    const me = await request<User>('/api/auth/me', { noAuthRedirect: true });
    if (me.data && Array.isArray(me.data.roles)) return me.data;
  } catch {
    /* keep the login answer */
  }
  return data.user;
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [user, setUser] = useState<User | null>(null);
  const [loading, setLoading] = useState<boolean>(() => !!getToken());
  const [ended, setEnded] = useState<SessionEnd>(null);
  const [lastUsername, setLastUsername] = useState<string | null>(null);
  const [reauth, setReauth] = useState<{ promise: Promise<boolean>; resolve: (same: boolean) => void } | null>(null);
  const userRef = useRef<User | null>(null);
  userRef.current = user;
  const reauthRef = useRef(reauth);
  reauthRef.current = reauth;

  useEffect(() => {
    if (!getToken()) return;
    get<User | { user: User }>('/api/auth/me')
      .then((me) => setUser('user' in me && me.user ? me.user : (me as User)))
      .catch((e) => {
        if (e instanceof ApiError && e.status === 401) {
          setToken(null);
          setEnded('expired');
        }
      })
      .finally(() => setLoading(false));
    // Only the first mount reads a kept token.
  }, []);

  // A 401 while signed in: ask for the password again over the page, keep the page as it is.
  useEffect(() => {
    setUnauthorizedHandler(() => {
      if (!userRef.current) return Promise.resolve(false);
      if (reauthRef.current) return reauthRef.current.promise;
      let resolve!: (same: boolean) => void;
      const promise = new Promise<boolean>((r) => (resolve = r));
      const pending = { promise, resolve };
      reauthRef.current = pending;
      setReauth(pending);
      return promise;
    });
  }, []);

  const login = useCallback(
    async (username: string, password: string) => {
      const u = await signIn(username, password);
      queryClient.clear();
      startCourtSelection(u);
      setEnded(null);
      setUser(u);
      return u;
    },
    [queryClient],
  );

  const logout = useCallback(() => {
    setToken(null);
    queryClient.clear();
    setEnded('signedOut');
    setUser(null);
  }, [queryClient]);

  const finishReauth = (outcome: 'same' | 'other' | 'cancelled', next?: User) => {
    const pending = reauthRef.current;
    reauthRef.current = null;
    setReauth(null);
    if (outcome === 'same') {
      pending?.resolve(true);
      return;
    }
    pending?.resolve(false);
    queryClient.clear();
    if (outcome === 'other' && next) {
      startCourtSelection(next);
      setEnded(null);
      setUser(next);
      // Someone else's pages are not theirs: start from the workbench.
      navigate('/', { replace: true });
    } else {
      setToken(null);
      setLastUsername(userRef.current?.username ?? null);
      setEnded('expired');
      setUser(null);
    }
  };

  const value = useMemo<AuthValue>(
    () => ({
      user,
      loading,
      ended,
      lastUsername,
      login,
      logout,
      hasRole: (...roles) => !!user && roles.some((r) => user.roles?.includes(r)),
    }),
    [user, loading, ended, lastUsername, login, logout],
  );
  return (
    <AuthContext.Provider value={value}>
      {children}
      {reauth && user && <ReauthModal user={user} onDone={finishReauth} />}
    </AuthContext.Provider>
  );
}

/** 登录已失效: sign in again over the page; what the person typed stays in the forms beneath. */
function ReauthModal({ user, onDone }: { user: User; onDone: (outcome: 'same' | 'other' | 'cancelled', next?: User) => void }) {
  const { t, lang } = useLang();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (v: { username: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      const next = await signIn(v.username.trim(), v.password);
      onDone(String(next.id) === String(user.id) ? 'same' : 'other', next);
    } catch (e) {
      setError(
        e instanceof ApiError && e.status === 401
          ? t('用户名或密码不正确，或账号已停用', 'Wrong username or password, or the account is deactivated')
          : errorMessage(e, lang),
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={t('登录已失效', 'Your sign-in has ended')} footer={null} closable={false} mask={{ closable: false }} data-testid="reauth">
      <Alert
        type="warning"
        showIcon
        style={{ marginBottom: 16 }}
        title={t('登录已失效，请重新登录', 'Your sign-in has ended; please sign in again')}
        description={t(
          '登录超时或账号已被停用。重新登录后，刚才填写的内容仍在，操作会继续完成。',
          'It timed out or the account was deactivated. Sign in again: what you typed is kept and the step goes on.',
        )}
      />
      {error && <Alert type="error" showIcon role="alert" title={error} style={{ marginBottom: 12 }} />}
      <Form layout="vertical" onFinish={submit} requiredMark={false} initialValues={{ username: user.username }}>
        <Form.Item label={t('用户名', 'Username')} name="username" rules={[{ required: true, message: t('请输入用户名', 'Enter your username') }]}>
          <Input prefix={<UserOutlined />} autoComplete="username" />
        </Form.Item>
        <Form.Item label={t('密码', 'Password')} name="password" rules={[{ required: true, message: t('请输入密码', 'Enter your password') }]}>
          <Input.Password prefix={<LockOutlined />} autoComplete="current-password" autoFocus />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={busy}>
          {t('重新登录', 'Sign in again')}
        </Button>
        <Typography.Paragraph style={{ marginTop: 12, marginBottom: 0, textAlign: 'center' }}>
          <Button type="link" onClick={() => onDone('cancelled')}>
            {t('不再继续，返回登录页', 'Give up and go to the sign-in page')}
          </Button>
        </Typography.Paragraph>
      </Form>
    </Modal>
  );
}

export function useAuth(): AuthValue {
  const v = useContext(AuthContext);
  if (!v) throw new Error('useAuth outside AuthProvider');
  return v;
}

/**
 * Whose courts a fresh sign-in looks at: a supervisor starts on all of theirs (the courts they supervise, SPEC §11),
 * everyone else on their own; nothing of a previous user's choice is kept.
 */
function startCourtSelection(user: User) {
  setCourtSelection(user.roles.includes('supervisor') ? ALL_COURTS : null);
}
