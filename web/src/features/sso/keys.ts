// The SSO context's query keys.
import { CONSOLE_KEY } from '../../lib/queryKeys';

export const ssoKeys = {
  /** The department systems (OpenID Connect clients) the administrator manages. */
  clients: () => [...CONSOLE_KEY, 'sso-clients'] as const,
};
