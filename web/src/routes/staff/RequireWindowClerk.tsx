// The window pages are the clerk's while they act for someone: the session's roles are then the applicant's, so
// the check is on the roles of the signed-in account itself (accountRoles).
import type { ReactNode } from 'react';
import { Navigate } from 'react-router';
import { RequireAuth } from '../../app/RequireAuth';
import { useSession } from '../../features/identity/api';
import { isWindowClerk } from '../../features/identity/window';
import { lazyAntd } from '../../lib/first-load/antd';

const Forbidden = lazyAntd(() => import('../../app/Forbidden'));

function WindowClerkOnly({ children }: { children: ReactNode }) {
  const session = useSession();
  return isWindowClerk(session.data) ? children : <Forbidden />;
}

export function RequireWindowClerk({ children }: { children: ReactNode }) {
  return (
    <RequireAuth>
      <WindowClerkOnly>{children}</WindowClerkOnly>
    </RequireAuth>
  );
}

/** /staff: the queue for those who review cases; a clerk who only assists at a window starts at the window page. */
export function StaffHome({ queue }: { queue: ReactNode }) {
  const session = useSession();
  const me = session.data;
  const roles: readonly string[] = me?.accountRoles ?? me?.roles ?? [];
  const reviews = roles.some((r) => ['reviewer', 'department_head', 'township_staff'].includes(r));
  if (me && !reviews && isWindowClerk(me)) return <Navigate to="/staff/window" replace />;
  return <>{queue}</>;
}
