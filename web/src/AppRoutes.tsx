import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { Result, Spin } from 'antd';
import { setUnauthorizedHandler } from './api/client';
import { useAuth } from './auth';
import { useLang } from './i18n';
import AppLayout from './layout/AppLayout';
import Login from './pages/Login';

const Dashboard = lazy(() => import('./pages/Dashboard'));
const PairingList = lazy(() => import('./pages/PairingList'));
const ProposalForm = lazy(() => import('./pages/ProposalForm'));
const PairingDetail = lazy(() => import('./pages/PairingDetail'));
const Inbox = lazy(() => import('./pages/Inbox'));
const Audit = lazy(() => import('./pages/Audit'));
const Reports = lazy(() => import('./pages/Reports'));
const AdminUsers = lazy(() => import('./pages/admin/Users'));
const AdminBranches = lazy(() => import('./pages/admin/Branches'));
const AdminPartners = lazy(() => import('./pages/admin/Partners'));

function Loading() {
  return (
    <div style={{ padding: 48, textAlign: 'center' }}>
      <Spin />
    </div>
  );
}

function RequireAuth({ children }: { children: ReactNode }) {
  const { user, loading } = useAuth();
  const loc = useLocation();
  if (loading) return <Loading />;
  if (!user) return <Navigate to="/login" replace state={{ from: loc.pathname + loc.search }} />;
  return <>{children}</>;
}

function RequireRole({ roles, children }: { roles: string[]; children: ReactNode }) {
  const { hasRole } = useAuth();
  const { t } = useLang();
  if (!hasRole(...roles)) return <Result status="403" title="403" subTitle={t('无权访问此页面', 'You may not open this page')} />;
  return <>{children}</>;
}

export default function AppRoutes() {
  const navigate = useNavigate();
  const { logout } = useAuth();
  useEffect(() => {
    setUnauthorizedHandler(() => {
      logout();
      navigate('/login', { replace: true, state: { expired: true, from: location.pathname + location.search } });
    });
  }, [navigate, logout]);

  return (
    <Routes>
      <Route path="/login" element={<Login />} />
      <Route
        element={
          <RequireAuth>
            <AppLayout />
          </RequireAuth>
        }
      >
        <Route index element={<Suspense fallback={<Loading />}><Dashboard /></Suspense>} />
        <Route path="pairings" element={<Suspense fallback={<Loading />}><PairingList /></Suspense>} />
        <Route
          path="pairings/new"
          element={
            <RequireRole roles={['secretary', 'committee']}>
              <Suspense fallback={<Loading />}><ProposalForm /></Suspense>
            </RequireRole>
          }
        />
        <Route path="pairings/:id" element={<Suspense fallback={<Loading />}><PairingDetail /></Suspense>} />
        <Route
          path="pairings/:id/edit"
          element={
            <RequireRole roles={['secretary', 'committee']}>
              <Suspense fallback={<Loading />}><ProposalForm /></Suspense>
            </RequireRole>
          }
        />
        <Route
          path="inbox"
          element={
            <RequireRole roles={['committee']}>
              <Suspense fallback={<Loading />}><Inbox /></Suspense>
            </RequireRole>
          }
        />
        <Route
          path="audit"
          element={
            <RequireRole roles={['auditor', 'committee', 'leader']}>
              <Suspense fallback={<Loading />}><Audit /></Suspense>
            </RequireRole>
          }
        />
        <Route
          path="reports"
          element={
            <RequireRole roles={['committee', 'leader', 'auditor']}>
              <Suspense fallback={<Loading />}><Reports /></Suspense>
            </RequireRole>
          }
        />
        <Route
          path="admin/users"
          element={
            <RequireRole roles={['admin']}>
              <Suspense fallback={<Loading />}><AdminUsers /></Suspense>
            </RequireRole>
          }
        />
        <Route
          path="admin/branches"
          element={
            <RequireRole roles={['admin']}>
              <Suspense fallback={<Loading />}><AdminBranches /></Suspense>
            </RequireRole>
          }
        />
        <Route
          path="admin/partners"
          element={
            <RequireRole roles={['admin']}>
              <Suspense fallback={<Loading />}><AdminPartners /></Suspense>
            </RequireRole>
          }
        />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}

function NotFound() {
  const { t } = useLang();
  return <Result status="404" title="404" subTitle={t('页面不存在', 'Page not found')} />;
}
