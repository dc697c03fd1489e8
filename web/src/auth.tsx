import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, get, getToken, request, setToken } from './api/client';
import type { User } from './api/types';

interface AuthValue {
  user: User | null;
  loading: boolean;
  login: (username: string, password: string) => Promise<User>;
  logout: () => void;
  hasRole: (...roles: string[]) => boolean;
  refresh: () => Promise<void>;
}

const AuthContext = createContext<AuthValue | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null>(null);
  const [loading, setLoading] = useState<boolean>(() => !!getToken());

  const refresh = useCallback(async () => {
    if (!getToken()) {
      setUser(null);
      setLoading(false);
      return;
    }
    try {
      const me = await get<User | { user: User }>('/api/auth/me');
      setUser('user' in me && me.user ? me.user : (me as User));
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) setUser(null);
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const login = useCallback(async (username: string, password: string) => {
    const { data } = await request<{ accessToken: string; user: User }>('/api/auth/login', {
      method: 'POST',
      body: { username, password },
      noAuthRedirect: true,
    });
    setToken(data.accessToken);
    // Roles come from /me: rights are the user's as they are now.
    let u = data.user;
    try {
      const me = await get<User>('/api/auth/me');
      if (me && Array.isArray(me.roles)) u = me;
    } catch {
      /* keep the login answer */
    }
    setUser(u);
    return u;
  }, []);

  const logout = useCallback(() => {
    setToken(null);
    setUser(null);
  }, []);

  const value = useMemo<AuthValue>(
    () => ({
      user,
      loading,
      login,
      logout,
      refresh,
      hasRole: (...roles) => !!user && roles.some((r) => user.roles?.includes(r)),
    }),
    [user, loading, login, logout, refresh],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthValue {
  const v = useContext(AuthContext);
  if (!v) throw new Error('useAuth outside AuthProvider');
  return v;
}
