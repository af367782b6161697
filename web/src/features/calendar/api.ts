// The official working-day calendar for the years a page needs (each year is one small file).
import { useQueries } from '@tanstack/react-query';
import { api, ApiError, initialFromEarly } from '../../app/api';
import { buildCalendar, provisionalYear, type CalendarYearFile, type WorkCalendar } from './workdays';

/**
 * The years' files as one calendar, built again only when a file changes: TanStack Query re-runs a stable
 * `combine` only when the results change, so the queue's memoised cells keep the same calendar between renders.
 */
function combine(results: Array<{ data?: CalendarYearFile | undefined; isPending: boolean }>): {
  calendar: WorkCalendar | null;
  isPending: boolean;
} {
  const isPending = results.some((r) => r.isPending);
  const files = results.map((r) => r.data).filter((f): f is CalendarYearFile => !!f);
  return { calendar: isPending ? null : buildCalendar(files), isPending };
}

export function useWorkCalendar(years: number[]): { calendar: WorkCalendar | null; isPending: boolean } {
  const unique = [...new Set(years)].sort();
  return useQueries({
    queries: unique.map((year) => ({
      queryKey: ['calendar-year', year],
      ...initialFromEarly(`/api/v1/calendar/years/${year}`, (body) => (body as { file: CalendarYearFile }).file),
      queryFn: async () => {
        try {
          return (await api<{ file: CalendarYearFile }>(`/api/v1/calendar/years/${year}`)).file;
        } catch (err) {
          // A year not loaded yet counts as the server counts it provisionally: weekends and the statutory
          // solar-date holidays (元旦, 劳动节 1–2 May, 国庆节 1–3 October); better an estimate than no date.
          if (err instanceof ApiError && err.status === 404) return provisionalYear(year);
          throw err;
        }
      },
      staleTime: 60 * 60_000,
    })),
    combine,
  });
}
