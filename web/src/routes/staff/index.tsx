// The staff workbench: for department reviewers the queue of my department and one case with exactly the actions
// the shared transition table allows; for window and township clerks the assisted visit (consent, applying for the
// person, the printed receipt). The shell, login and API client are shared.
import type { RouteObject } from 'react-router';
import { RequireAuth } from '../../app/RequireAuth';
import { RequireWindowClerk, StaffHome } from './RequireWindowClerk';
import { lazyPage } from '../../lib/first-load/lazyPage';
import { lazyAntd } from '../../lib/first-load/antd';
import { isWorkbenchHome } from '../../lib/first-load/early';

const QueuePage = lazyPage(() => import('./QueuePage'));
/**
 * A reviewer opening the workbench directly: the queue's code is loaded while the application starts (the page's
 * inline script has already preloaded its files), and the first render waits for it (main.tsx), so that the queue
 * is in the first render instead of a spinner and another render later.
 */
export const staffPageReady: Promise<unknown> | undefined =
  typeof window !== 'undefined' && isWorkbenchHome(window.location.pathname) ? QueuePage.preload() : undefined;
const CasePage = lazyAntd(() => import('./CasePage'));
const WindowPage = lazyAntd(() => import('./WindowPage'));
const WindowReceiptPage = lazyAntd(() => import('./WindowReceiptPage'));

export const staffRoutes: RouteObject[] = [
  {
    path: 'staff',
    element: (
      <RequireAuth roles={['reviewer', 'window_staff']}>
        <StaffHome queue={<QueuePage />} />
      </RequireAuth>
    ),
  },
  {
    path: 'staff/window',
    element: (
      <RequireWindowClerk>
        <WindowPage />
      </RequireWindowClerk>
    ),
  },
  {
    path: 'staff/window/receipt/:id',
    element: (
      <RequireWindowClerk>
        <WindowReceiptPage />
      </RequireWindowClerk>
    ),
  },
  {
    path: 'staff/cases/:id',
    element: (
      <RequireAuth roles={['reviewer', 'window_staff']}>
        <CasePage />
      </RequireAuth>
    ),
  },
];
