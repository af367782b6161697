// The staff workbench: for department reviewers the queue of my department and one case with exactly the actions
// the shared transition table allows; for window and township clerks the assisted visit (consent, applying for the
// person, the printed receipt). The shell, login and API client are shared.
import { lazy } from 'react';
import type { RouteObject } from 'react-router';
import { RequireAuth } from '../../app/RequireAuth';
import { RequireWindowClerk, StaffHome } from './RequireWindowClerk';

const loadQueuePage = () => import('./QueuePage');
// A reviewer opening the workbench directly: fetch the queue's code while the session is being checked, not after
// (the module is loaded once; lazy() below gets the same one).
if (typeof window !== 'undefined' && /^\/staff\/?$/.test(window.location.pathname)) void loadQueuePage();
const QueuePage = lazy(loadQueuePage);
const CasePage = lazy(() => import('./CasePage'));
const WindowPage = lazy(() => import('./WindowPage'));
const WindowReceiptPage = lazy(() => import('./WindowReceiptPage'));

export const staffRoutes: RouteObject[] = [
  { path: 'staff', element: <RequireAuth roles={['reviewer', 'window_staff']}><StaffHome queue={<QueuePage />} /></RequireAuth> },
  { path: 'staff/window', element: <RequireWindowClerk><WindowPage /></RequireWindowClerk> },
  { path: 'staff/window/receipt/:id', element: <RequireWindowClerk><WindowReceiptPage /></RequireWindowClerk> },
  { path: 'staff/cases/:id', element: <RequireAuth roles={['reviewer', 'window_staff']}><CasePage /></RequireAuth> },
];
