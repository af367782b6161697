import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { CaseStats, CaseStatsQuery } from '@onething/shared/analytics';
import { principalOf } from '../../platform/auth.ts';
import type { AnalyticsService } from './analytics.service.ts';

export function analyticsRoutes(analytics: AnalyticsService) {
  return async function routes(app: FastifyInstance) {
    const r = app.withTypeProvider<ZodTypeProvider>();
    r.get(
      '/api/v1/stats/cases',
      {
        // Administrators and auditors (role_permissions, migration 0009), each within their own jurisdiction.
        config: { access: { permission: 'stats.read' } },
        schema: {
          tags: ['analytics'],
          summary:
            'Dashboard figures within my jurisdiction: cases by status, department and overdue region now; submissions per day and bundle, on-time rate, working days per item and the slowest steps over [from, to]',
          querystring: CaseStatsQuery,
          response: { 200: CaseStats },
        },
      },
      async (request) => analytics.caseStats(principalOf(request), request.query),
    );
  };
}
