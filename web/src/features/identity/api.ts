// Identity: who is signed in, logging in (with a second step when the server asks for one), logging out.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, initialFromEarly } from '../../app/api';
import { rememberReviewer } from '../../app/early';

export type Role = 'applicant' | 'enterprise_agent' | 'window_staff' | 'reviewer' | 'admin';

export interface Account {
  accountId: string;
  kind: 'person' | 'enterprise' | 'staff';
  username: string;
  displayName: string;
  roles: Role[];
  departmentCode: string | null;
  regionCode: string | null;
  /** Enterprises this person may act for, once the server offers acting-as-enterprise. */
  enterprises?: Array<{ id: string; name: string; creditCode?: string }>;
  /** The enterprise the session acts for, if any. */
  actingFor?: { id: string; name: string } | null;
}

/**
 * The answer to the first login step: a session, or a challenge (one-time code) to answer first. The
 * challenge shape is tolerant on purpose: the identity context is adding it while the portal is built.
 */
export type LoginResult =
  | { token: string; expiresAt: string; account: Account }
  | { challenge: { id: string; method?: string; destination?: string; expiresAt?: string } };

export const SESSION_KEY = ['session'] as const;

const ME = '/api/v1/auth/me';

/** The signed-in account, or null when nobody is signed in (a 401). */
function signedIn(account: Account | null): Account | null {
  rememberReviewer(!!account?.roles.includes('reviewer'));
  return account;
}

export function useSession() {
  return useQuery({
    queryKey: SESSION_KEY,
    queryFn: async () => {
      try {
        return signedIn(await api<Account>(ME));
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) return signedIn(null);
        throw err;
      }
    },
    ...initialFromEarly(ME, (body, answer) => signedIn(answer.status === 401 ? null : (body as Account)), true),
    staleTime: 60_000,
    retry: false,
  });
}

export function useLogin() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { username: string; password: string }) =>
      api<LoginResult>('/api/v1/auth/login', { method: 'POST', body }),
    onSuccess: async (res) => {
      if ('token' in res) {
        qc.clear();
        await qc.invalidateQueries({ queryKey: SESSION_KEY });
      }
    },
  });
}

/** The second step: the one-time code for a challenge. */
export function useVerifyCode() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { challengeId: string; code: string }) =>
      api<LoginResult>('/api/v1/auth/login/verify', { method: 'POST', body }),
    onSuccess: async () => {
      qc.clear();
      await qc.invalidateQueries({ queryKey: SESSION_KEY });
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
      qc.setQueryData(SESSION_KEY, null);
    },
  });
}

/** Switch the session to act for one of the person's enterprises (null: act as oneself). */
export function useActAs() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (enterpriseId: string | null) =>
      api<Account>('/api/v1/auth/acting-as', { method: 'PUT', body: { enterpriseId } }),
    onSuccess: (account) => {
      qc.clear();
      qc.setQueryData(SESSION_KEY, account);
    },
  });
}

export function hasRole(account: Account | null | undefined, roles: readonly Role[]): boolean {
  return !!account && account.roles.some((r) => roles.includes(r));
}
