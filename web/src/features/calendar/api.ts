// The official working-day calendar for the years a page needs (each year is one small file), as the shared
// calendar (@onething/shared/calendar) the server counts with.
import {
  type CalendarYearDays,
  type CalendarYearView,
  createWorkdays,
  provisionalYearDays,
  type Workdays,
} from '@onething/shared/calendar';
import { useQueries } from '@tanstack/react-query';
import { api, ApiError } from '../../lib/api';
import { initialFromEarly } from '../../lib/first-load/initialData';
import { calendarKeys } from './keys';

/**
 * The years' files as one calendar, built again only when a file changes: TanStack Query re-runs a stable
 * `combine` only when the results change, so the queue's memoised cells keep the same calendar between renders.
 * Years with no file count by the weekday rule: the portal only displays, the server decides every due date.
 */
function combine(results: Array<{ data?: CalendarYearDays | undefined; isPending: boolean }>): {
  calendar: Workdays | null;
  isPending: boolean;
} {
  const isPending = results.some((r) => r.isPending);
  if (isPending) return { calendar: null, isPending };
  const files = results.map((r) => r.data).filter((f): f is CalendarYearDays => !!f);
  const built = createWorkdays(files, { unloadedYears: 'weekday_rule' });
  return { calendar: built.ok ? built.value : null, isPending };
}

export function useWorkCalendar(years: number[]): { calendar: Workdays | null; isPending: boolean } {
  const unique = [...new Set(years)].sort();
  return useQueries({
    queries: unique.map((year) => ({
      queryKey: calendarKeys.year(year),
      ...initialFromEarly(
        `/api/v1/calendar/years/${year}`,
        (body): CalendarYearDays => (body as CalendarYearView).file,
      ),
      queryFn: async (): Promise<CalendarYearDays> => {
        try {
          return (await api<CalendarYearView>(`/api/v1/calendar/years/${year}`)).file;
        } catch (err) {
          // A year not loaded yet counts as the server counts it provisionally: weekends and the statutory
          // solar-date holidays (元旦, 劳动节 1–2 May, 国庆节 1–3 October); better an estimate than no date.
          if (err instanceof ApiError && err.status === 404) return provisionalYearDays(year);
          throw err;
        }
      },
      staleTime: 60 * 60_000,
    })),
    combine,
  });
}
