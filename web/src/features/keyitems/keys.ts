// The key-item list's query keys (keyitems context).
import { CONSOLE_KEY } from '../../lib/queryKeys';

export const keyItemsKeys = {
  /** Every year's list. */
  lists: () => [...CONSOLE_KEY, 'key-items'] as const,
  list: (year: number | null) => [...CONSOLE_KEY, 'key-items', year] as const,
};
