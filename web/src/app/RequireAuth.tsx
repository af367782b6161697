// Pages behind login: an anonymous visitor is sent to the login page and brought back afterwards; a
// signed-in account without the role sees why, instead of a blank page. Part of the first download, so it
// uses no antd component beyond the spinner; the 403 page is its own chunk.
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { PageSpinner } from './PageSpinner';
import { errorMessage } from '../lib/api';
import type { Role } from '@onething/shared/identity';
import { hasRole, useSession } from '../features/identity/api';
import { lazyAntd } from '../lib/first-load/antd';

const Forbidden = lazyAntd(() => import('./Forbidden'));

export function RequireAuth({ roles, children }: { roles?: readonly Role[]; children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  if (session.isPending) return <PageSpinner />;
  if (session.error)
    return (
      <p role="alert" className="field-error">
        {errorMessage(session.error)}
      </p>
    );
  if (!session.data) {
    const next = location.pathname + location.search;
    return <Navigate to={`/login?next=${encodeURIComponent(next)}`} replace />;
  }
  if (roles && !hasRole(session.data, roles)) return <Forbidden />;
  return <>{children}</>;
}
