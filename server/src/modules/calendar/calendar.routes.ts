import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CalendarService } from './calendar.service.ts';
import { principalOf } from '../../platform/auth.ts';

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
const Name = z.object({ zh: z.string(), en: z.string() });
const Source = z.object({
  title: z.string(),
  number: z.string().optional(),
  published: z.string(),
  url: z.string().optional(),
});
const Year = z.coerce.number().int().min(2000).max(2100);

/** "2026-02-10/2026-02-24,2026-03-01/2026-03-02": the clock's pauses (补正) as from/to pairs. */
const Pauses = z
  .string()
  .max(2000)
  .transform((s, ctx) => {
    const out: Array<{ from: string; to: string }> = [];
    for (const [i, part] of s.split(',').entries()) {
      const m = /^(\d{4}-\d{2}-\d{2})\/(\d{4}-\d{2}-\d{2})$/.exec(part.trim());
      if (!m) {
        ctx.addIssue({ code: 'custom', path: [i], message: 'a pause is FROM/TO, both YYYY-MM-DD' });
        return z.NEVER;
      }
      out.push({ from: m[1]!, to: m[2]! });
    }
    return out;
  });

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
          querystring: z.object({
            start: Day,
            workdays: z.coerce.number().int().min(0).max(3650),
            pauses: Pauses.optional(),
          }),
          response: {
            200: z.object({
              due: z.string(),
              provisional: z
                .literal(true)
                .optional()
                .describe(
                  'the due date falls in the year after the latest loaded one, counted before its holiday notice is loaded; it may still move',
                ),
            }),
          },
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
          params: z.object({ date: Day }),
          response: {
            200: z.object({
              date: z.string(),
              workday: z.boolean(),
              kind: z.enum(['workday', 'weekend', 'holiday', 'adjusted_workday']),
              holidayName: Name.optional(),
              provisional: z.literal(true).optional(),
            }),
          },
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
          response: {
            200: z.array(
              z.object({ year: z.number().int(), source: Source, holidays: z.number().int(), loadedAt: z.string() }),
            ),
          },
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
          params: z.object({ year: Year }),
          response: {
            200: z.object({ year: z.number().int(), file: z.record(z.string(), z.unknown()), loadedAt: z.string() }),
          },
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
          params: z.object({ year: Year }),
          body: z.record(z.string(), z.unknown()),
          response: { 200: z.object({ year: z.number().int(), holidays: z.number().int() }) },
        },
      },
      async (request) =>
        calendar.loadYear(request.params.year, request.body, {
          accountId: principalOf(request).accountId,
          requestId: String(request.id),
        }),
    );
  };
}
