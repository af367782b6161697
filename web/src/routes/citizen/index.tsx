// The citizen and enterprise portal's routes. The home page is part of the first download; every other
// page is its own chunk, loaded when visited.
import type { RouteObject } from 'react-router';
import { RequireAuth } from '../../app/RequireAuth';
import HomePage from './HomePage';
import { lazyAntd } from '../../lib/first-load/antd';

const SearchPage = lazyAntd(() => import('./SearchPage'));
const BundlePage = lazyAntd(() => import('./BundlePage'));
const ApplyPage = lazyAntd(() => import('./apply/ApplyPage'));
const ReceiptPage = lazyAntd(() => import('./ReceiptPage'));
const ApplicationPage = lazyAntd(() => import('./ApplicationPage'));
const MyThingsPage = lazyAntd(() => import('./MyThingsPage'));
const NotificationsPage = lazyAntd(() => import('./NotificationsPage'));

const APPLICANT = ['applicant', 'enterprise_agent'] as const;

export const citizenRoutes: RouteObject[] = [
  { index: true, element: <HomePage /> },
  { path: 'services', element: <SearchPage /> },
  { path: 'bundles/:code', element: <BundlePage /> },
  {
    path: 'bundles/:code/apply',
    element: (
      <RequireAuth roles={APPLICANT}>
        <ApplyPage />
      </RequireAuth>
    ),
  },
  {
    path: 'applications/:id/receipt',
    element: (
      <RequireAuth>
        <ReceiptPage />
      </RequireAuth>
    ),
  },
  {
    path: 'applications/:id',
    element: (
      <RequireAuth>
        <ApplicationPage />
      </RequireAuth>
    ),
  },
  {
    path: 'me',
    element: (
      <RequireAuth>
        <MyThingsPage />
      </RequireAuth>
    ),
  },
  {
    path: 'notifications',
    element: (
      <RequireAuth>
        <NotificationsPage />
      </RequireAuth>
    ),
  },
];
