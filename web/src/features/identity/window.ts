// The window (综合窗口) and township (基层一平台) side of 帮办代办: the clerk records the consent of the person in
// front of them (identified from the ID card), confirmed by the code the person received on their phone or by
// their ID card read at the window, switches the session to act for them, applies through the same intake pages
// and API as the person would, prints the receipt, and switches back. The server finds or records the person
// (POST /api/v1/proxies/window-consent), within the clerk's jurisdiction, and checks the proxy on every request.
import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type {
  Me,
  PersonRef,
  ProxyView,
  WindowConsentBody,
  WindowConsentCode,
  WindowConsentConfirmation,
  WindowConsentMethod,
} from '@onething/shared/identity';
import { api } from '../../lib/api';
import { identityKeys } from './keys';

/** The ways the person confirms, in the order the window form offers them (the card reader first). */
export const CONSENT_METHOD_ORDER: readonly WindowConsentMethod[] = ['id_card_reader', 'sms_code'];

/** What the clerk entered to confirm the person's consent. */
export interface ConfirmationInput {
  method: WindowConsentMethod;
  /** id_card_reader: the clerk ticks that the card's chip was read at this window. */
  cardRead?: boolean;
  reference?: string;
  /** sms_code: the code the person reads out, of the challenge sent. */
  code?: string;
}

/**
 * The confirmation the server takes, or null while something is missing: the card read not ticked, no code sent
 * yet, or the code not six digits.
 */
export function confirmationOf(
  input: ConfirmationInput,
  sent: Pick<WindowConsentCode, 'challengeId'> | null,
): WindowConsentConfirmation | null {
  if (input.method === 'id_card_reader') {
    if (!input.cardRead) return null;
    const reference = input.reference?.trim();
    return { method: 'id_card_reader', cardRead: true, ...(reference ? { reference } : {}) };
  }
  const code = input.code?.trim() ?? '';
  if (!sent || !/^\d{6}$/.test(code)) return null;
  return { method: 'sms_code', challengeId: sent.challengeId, code };
}

/** A code to the phone on record of the person at the window. */
export function useSendConsentCode() {
  return useMutation({
    mutationFn: (person: PersonRef) =>
      api<WindowConsentCode>('/api/v1/proxies/window-consent/code', { method: 'POST', body: { person } }),
  });
}

/** Roles whose holders assist applicants at a window or a township service centre. */
export const WINDOW_ROLES: readonly string[] = ['window_staff', 'township_staff'];

/** True when the signed-in account (not whom it acts for) is window or township staff. */
export function isWindowClerk(account: Me | null | undefined): boolean {
  const roles: readonly string[] = account?.accountRoles ?? [];
  return roles.some((r) => WINDOW_ROLES.includes(r));
}

/** The proxy the session acts under at the window, if any. */
export function windowProxyOf(
  account: Me | null | undefined,
): { proxyId: string; name: string; bundles: string[] | null } | null {
  const a = account?.actingFor;
  if (a?.kind !== 'proxy' || a.proxyKind !== 'window_consent' || !a.proxyId) return null;
  return { proxyId: a.proxyId, name: a.name, bundles: a.bundles };
}

/**
 * The session now acts for someone else (or for the clerk again): what was cached for the previous subject goes,
 * and the session query keeps its observers (clearing the whole cache would leave the page on the old session).
 */
function switchTo(qc: QueryClient, account: Me) {
  qc.removeQueries({ predicate: (q) => q.queryKey[0] !== identityKeys.session()[0] });
  qc.setQueryData(identityKeys.session(), account);
}

/** Record consent, then act for the person: one click at the window, two requests. */
export function useStartAssisting() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (input: WindowConsentBody) => {
      const proxy = await api<ProxyView>('/api/v1/proxies/window-consent', { method: 'POST', body: input });
      return api<Me>('/api/v1/auth/acting-as', { method: 'PUT', body: { proxyId: proxy.id } });
    },
    onSuccess: (account) => switchTo(qc, account),
  });
}

/** Back to the clerk's own account (the consent stays on record; it expires by itself). */
export function useStopAssisting() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api<Me>('/api/v1/auth/acting-as', { method: 'DELETE' }),
    onSuccess: (account) => switchTo(qc, account),
  });
}
