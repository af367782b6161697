// The staff workbench (department reviewers; window staff later): the queue of my department and one case
// with exactly the actions the shared transition table allows. The shell, login and API client are shared.
import { lazy } from 'react';
import type { RouteObject } from 'react-router';
import { RequireAuth } from '../../app/RequireAuth';

const QueuePage = lazy(() => import('./QueuePage'));
const CasePage = lazy(() => import('./CasePage'));

export const staffRoutes: RouteObject[] = [
  { path: 'staff', element: <RequireAuth roles={['reviewer', 'window_staff']}><QueuePage /></RequireAuth> },
  { path: 'staff/cases/:id', element: <RequireAuth roles={['reviewer', 'window_staff']}><CasePage /></RequireAuth> },
];
