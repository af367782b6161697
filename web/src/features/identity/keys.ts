// The identity context's query keys.
import { CONSOLE_KEY } from '../../lib/queryKeys';

export const identityKeys = {
  /** The signed-in account, or null when nobody is. */
  session: () => ['session'] as const,
  accounts: () => [...CONSOLE_KEY, 'accounts'] as const,
  roles: () => [...CONSOLE_KEY, 'roles'] as const,
};
