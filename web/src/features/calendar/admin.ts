// The console's side of the calendar: the loaded years, and loading a year's file.
import type { CalendarYearSummary, LoadedYear } from '@onething/shared/calendar';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api';
import { calendarKeys } from './keys';

/** A loaded year in the calendar's list (the shared contract). */
export type CalendarYear = CalendarYearSummary;

export const useCalendarYears = () =>
  useQuery({ queryKey: calendarKeys.years(), queryFn: () => api<CalendarYear[]>('/api/v1/calendar/years') });

export function useLoadYear() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ year, file }: { year: number; file: unknown }) =>
      api<LoadedYear>(`/api/v1/admin/calendar/years/${year}`, { method: 'PUT', body: file }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: calendarKeys.years() }),
  });
}
