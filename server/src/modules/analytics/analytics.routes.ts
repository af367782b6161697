import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../../platform/auth.ts';
import type { AnalyticsService } from './analytics.service.ts';

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
const Count = z.number().int();

export function analyticsRoutes(analytics: AnalyticsService) {
  return async function routes(app: FastifyInstance) {
    const r = app.withTypeProvider<ZodTypeProvider>();
    r.get('/api/v1/stats/cases', {
      // Administrators and auditors, each within their own jurisdiction. Declared by role: a permission of its own
      // needs a migration, to come with the analytics context's next figures.
      config: { access: { roles: ['admin', 'auditor'] } },
      schema: {
        tags: ['analytics'],
        summary: 'Cases by status and by department, open, near-due and overdue counts, and submissions per day, within my jurisdiction',
        querystring: z
          .object({ from: Day.optional(), to: Day.optional() })
          .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'to must not be before from', path: ['to'] })
          .refine((q) => !q.from || !q.to || (Date.parse(q.to) - Date.parse(q.from)) / 86400_000 <= 366, { message: 'at most 366 days', path: ['from'] }),
        response: {
          200: z.object({
            jurisdiction: z.string().nullable(),
            from: z.string(),
            to: z.string(),
            open: Count,
            overdue: Count,
            nearDue: Count,
            byStatus: z.array(z.object({ status: z.string(), count: Count })),
            byDepartment: z.array(z.object({ departmentCode: z.string(), open: Count, overdue: Count, nearDue: Count, total: Count })),
            submissionsPerDay: z.array(z.object({ day: z.string(), count: Count })),
          }),
        },
      },
    }, async (request) => analytics.caseStats(principalOf(request), request.query));
  };
}
