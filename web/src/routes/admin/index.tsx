// The administration console (catalogue, calendar, accounts) lives here. A placeholder until its issue.
import { lazy } from 'react';
import type { RouteObject } from 'react-router';
import { RequireAuth } from '../../app/RequireAuth';

const AdminHome = lazy(() => import('./AdminHome'));

export const adminRoutes: RouteObject[] = [{ path: 'admin/*', element: <RequireAuth roles={['admin']}><AdminHome /></RequireAuth> }];
