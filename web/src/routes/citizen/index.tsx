// The citizen and enterprise portal's routes. The home page is part of the first download; every other
// page is its own chunk, loaded when visited.
import { lazy } from 'react';
import type { RouteObject } from 'react-router';
import { RequireAuth } from '../../app/RequireAuth';
import HomePage from './HomePage';

const SearchPage = lazy(() => import('./SearchPage'));
const BundlePage = lazy(() => import('./BundlePage'));
const ApplyPage = lazy(() => import('./apply/ApplyPage'));
const ReceiptPage = lazy(() => import('./ReceiptPage'));
const ApplicationPage = lazy(() => import('./ApplicationPage'));
const MyThingsPage = lazy(() => import('./MyThingsPage'));
const NotificationsPage = lazy(() => import('./NotificationsPage'));

const APPLICANT = ['applicant', 'enterprise_agent'] as const;

export const citizenRoutes: RouteObject[] = [
  { index: true, element: <HomePage /> },
  { path: 'services', element: <SearchPage /> },
  { path: 'bundles/:code', element: <BundlePage /> },
  { path: 'bundles/:code/apply', element: <RequireAuth roles={APPLICANT}><ApplyPage /></RequireAuth> },
  { path: 'applications/:id/receipt', element: <RequireAuth><ReceiptPage /></RequireAuth> },
  { path: 'applications/:id', element: <RequireAuth><ApplicationPage /></RequireAuth> },
  { path: 'me', element: <RequireAuth><MyThingsPage /></RequireAuth> },
  { path: 'notifications', element: <RequireAuth><NotificationsPage /></RequireAuth> },
];
