// The administration console (catalogue, calendar, accounts) lives here. A placeholder until its issue.
import type { RouteObject } from 'react-router';
import { RequireAuth } from '../../app/RequireAuth';
import { lazyAntd } from '../../lib/first-load/antd';

const AdminHome = lazyAntd(() => import('./AdminHome'));

export const adminRoutes: RouteObject[] = [
  {
    path: 'admin/*',
    element: (
      <RequireAuth roles={['admin']}>
        <AdminHome />
      </RequireAuth>
    ),
  },
];
