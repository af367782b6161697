import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  CalendarYearFile,
  CalendarYearSummary,
  CalendarYearView,
  DayInfo,
  DayParams,
  DeadlineQuery,
  DeadlineView,
  LoadedYear,
  YearParams,
} from '@onething/shared/calendar';
import { z } from 'zod';
import type { CalendarService } from './calendar.service.ts';
import { principalOf } from '../../platform/auth.ts';

export function calendarRoutes(calendar: CalendarService) {
  return async function routes(app: FastifyInstance) {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['calendar'];

    r.get(
      '/api/v1/calendar/deadline',
      {
        config: { access: 'authenticated' },
        schema: {
          tags,
          summary:
            'The due date: the N-th working day after the start day (day 0), moved by the paused working days (provisional when it falls in the year whose notice is not loaded yet)',
          querystring: DeadlineQuery,
          response: { 200: DeadlineView },
        },
      },
      async (request) => calendar.deadline(request.query.start, request.query.workdays, request.query.pauses ?? []),
    );

    r.get(
      '/api/v1/calendar/days/:date',
      {
        config: { access: 'authenticated' },
        schema: {
          tags,
          summary: 'What the official calendar says of one day',
          params: DayParams,
          response: { 200: DayInfo },
        },
      },
      async (request) => calendar.day(request.params.date),
    );

    r.get(
      '/api/v1/calendar/years',
      {
        config: { access: 'authenticated' },
        schema: {
          tags,
          summary: 'Loaded years with their source notice',
          response: { 200: z.array(CalendarYearSummary) },
        },
      },
      async () => calendar.listYears(),
    );

    r.get(
      '/api/v1/calendar/years/:year',
      {
        config: { access: 'authenticated' },
        schema: {
          tags,
          summary: "One year's holidays and adjusted working days",
          params: YearParams,
          response: { 200: CalendarYearView },
        },
      },
      async (request) => calendar.getYear(request.params.year),
    );

    r.put(
      '/api/v1/admin/calendar/years/:year',
      {
        config: { access: { permission: 'calendar.manage' } },
        schema: {
          tags: ['calendar-admin'],
          summary: "Load (or correct) a year from the State Council's holiday notice",
          params: YearParams,
          body: CalendarYearFile,
          response: { 200: LoadedYear },
        },
        // A file that fails the schema still reaches the service, whose calendar.invalid_year_file problem (422)
        // names the path of every issue, as the CLI's `calendar load` reports it too; a bad year in the URL does not.
        attachValidation: true,
      },
      async (request) => {
        if (request.validationError && request.validationError.validationContext !== 'body')
          throw request.validationError;
        return calendar.loadYear(request.params.year, request.body, {
          accountId: principalOf(request).accountId,
          requestId: String(request.id),
        });
      },
    );
  };
}
