// Identity: who is signed in, logging in (with a second step when the server asks for one), logging out.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ActAsBody, LoginBody, LoginResult, LoginVerifyBody, Me, Role, Session } from '@onething/shared/identity';
import { api, ApiError } from '../../lib/api';
import { initialFromEarly } from '../../lib/first-load/initialData';
import { rememberReviewer } from '../../lib/first-load/early';
import { identityKeys } from './keys';

const ME = '/api/v1/auth/me';

/** The signed-in account, or null when nobody is signed in (a 401). */
function signedIn(account: Me | null): Me | null {
  rememberReviewer(!!account?.roles.includes('reviewer'));
  return account;
}

export function useSession() {
  return useQuery({
    queryKey: identityKeys.session(),
    queryFn: async () => {
      try {
        return signedIn(await api<Me>(ME));
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) return signedIn(null);
        throw err;
      }
    },
    ...initialFromEarly(ME, (body, answer) => signedIn(answer.status === 401 ? null : (body as Me)), true),
    staleTime: 60_000,
    retry: false,
  });
}

export function useLogin() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: LoginBody) => api<LoginResult>('/api/v1/auth/login', { method: 'POST', body }),
    onSuccess: async (res) => {
      if ('token' in res) {
        qc.clear();
        await qc.invalidateQueries({ queryKey: identityKeys.session() });
      }
    },
  });
}

/** The second step: the one-time code for a challenge. */
export function useVerifyCode() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: LoginVerifyBody) => api<Session>('/api/v1/auth/login/verify', { method: 'POST', body }),
    onSuccess: async () => {
      qc.clear();
      await qc.invalidateQueries({ queryKey: identityKeys.session() });
    },
  });
}

export function useLogout() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api<void>('/api/v1/auth/logout', { method: 'POST', body: {} }),
    onSettled: () => {
      rememberReviewer(false);
      qc.clear();
      qc.setQueryData(identityKeys.session(), null);
    },
  });
}

/** Switch the session to act for one of the person's enterprises (null: act as oneself). */
export function useActAs() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (enterpriseId: string | null) =>
      api<Me>('/api/v1/auth/acting-as', { method: 'PUT', body: { enterpriseId } satisfies ActAsBody }),
    onSuccess: (account) => {
      qc.clear();
      qc.setQueryData(identityKeys.session(), account);
    },
  });
}

export function hasRole(account: Me | null | undefined, roles: readonly Role[]): boolean {
  return !!account && account.roles.some((r) => roles.includes(r));
}
