import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { Result, Spin } from 'antd';
import { useCalendar } from './api/queries';
import { useAuth } from './auth';
import { NotFound } from './components/common';
import { useLang } from './i18n';
import AppLayout from './layout/AppLayout';
import Login from './pages/Login';
import { HOME_OVERVIEW_ROLES } from './home';

const Dashboard = lazy(() => import('./pages/Dashboard'));
const PartnerHome = lazy(() => import('./pages/PartnerHome'));
const Overview = lazy(() => import('./pages/Overview'));
const PracticeList = lazy(() => import('./pages/Practices').then((m) => ({ default: m.PracticeList })));
const PracticeArticle = lazy(() => import('./pages/Practices').then((m) => ({ default: m.PracticeArticle })));
const PairingList = lazy(() => import('./pages/PairingList'));
const ProposalForm = lazy(() => import('./pages/ProposalForm'));
const PairingDetail = lazy(() => import('./pages/PairingDetail'));
const Inbox = lazy(() => import('./pages/Inbox'));
const Audit = lazy(() => import('./pages/Audit'));
const Reports = lazy(() => import('./pages/Reports'));
const AdminUsers = lazy(() => import('./pages/admin/Users'));
const AdminBranches = lazy(() => import('./pages/admin/Branches'));
const AdminPartners = lazy(() => import('./pages/admin/Partners'));
const AdminCourts = lazy(() => import('./pages/admin/Courts'));
const Courts = lazy(() => import('./pages/Courts'));

function Loading() {
  return (
    <div style={{ padding: 48, textAlign: 'center' }}>
      <Spin />
    </div>
  );
}

/**
 * Signed-out visitors go to the sign-in page. A deep link they followed is kept for after signing in; after
 * a sign-out nothing is kept (the next person starts at the workbench); a sign-in that ended says so and
 * keeps the page for the same user.
 */
function RequireAuth({ children }: { children: ReactNode }) {
  const { user, loading, ended, lastUsername } = useAuth();
  const loc = useLocation();
  if (loading) return <Loading />;
  if (!user) {
    const from = ended === 'signedOut' ? undefined : loc.pathname + loc.search;
    return <Navigate to="/login" replace state={{ from, expired: ended === 'expired', fromUser: ended === 'expired' ? lastUsername : undefined }} />;
  }
  return <Signed>{children}</Signed>;
}

/** Signed in: the court's calendar (time zone, today) is read once for every screen. */
function Signed({ children }: { children: ReactNode }) {
  useCalendar();
  return <>{children}</>;
}

function RequireRole({ roles, children }: { roles: string[]; children: ReactNode }) {
  const { hasRole } = useAuth();
  const { t } = useLang();
  if (!hasRole(...roles)) return <Result status="403" title="403" subTitle={t('无权访问此页面', 'You may not open this page')} />;
  return <>{children}</>;
}

function Home() {
  const { hasRole } = useAuth();
  // A partner's liaison signs in rarely, often on a phone: their screen is what waits for their organisation.
  if (hasRole('partner')) return <Suspense fallback={<Loading />}><PartnerHome /></Suspense>;
  return <Suspense fallback={<Loading />}>{hasRole(...HOME_OVERVIEW_ROLES) ? <Overview /> : <Dashboard />}</Suspense>;
}

export default function AppRoutes() {
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
        <Route index element={<Home />} />
        <Route path="workbench" element={<Suspense fallback={<Loading />}><Dashboard /></Suspense>} />
        <Route path="practices" element={<Suspense fallback={<Loading />}><PracticeList /></Suspense>} />
        <Route path="practices/:id" element={<Suspense fallback={<Loading />}><PracticeArticle /></Suspense>} />
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
            <RequireRole roles={['auditor', 'committee', 'leader', 'supervisor', 'platform_admin']}>
              <Suspense fallback={<Loading />}><Audit /></Suspense>
            </RequireRole>
          }
        />
        <Route
          path="reports"
          element={
            <RequireRole roles={['committee', 'leader', 'auditor', 'supervisor']}>
              <Suspense fallback={<Loading />}><Reports /></Suspense>
            </RequireRole>
          }
        />
        <Route
          path="courts"
          element={
            <RequireRole roles={['supervisor', 'leader']}>
              <Suspense fallback={<Loading />}><Courts /></Suspense>
            </RequireRole>
          }
        />
        <Route
          path="admin/courts"
          element={
            <RequireRole roles={['platform_admin']}>
              <Suspense fallback={<Loading />}><AdminCourts /></Suspense>
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
