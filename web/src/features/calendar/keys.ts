// The calendar context's query keys.
import { CONSOLE_KEY } from '../../lib/queryKeys';

export const calendarKeys = {
  /** One year's file of working days. */
  year: (year: number | null) => ['calendar-year', year] as const,
  /** The console's list of loaded years. */
  years: () => [...CONSOLE_KEY, 'calendar-years'] as const,
};
