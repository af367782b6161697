// The analytics context's query keys.
import { CONSOLE_KEY } from '../../lib/queryKeys';

export const analyticsKeys = {
  caseStats: () => [...CONSOLE_KEY, 'stats'] as const,
};
