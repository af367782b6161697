// Analytics: read-only figures over cases and applications for dashboards, always within the caller's
// jurisdiction. Vocabulary: "open" cases are those a department still has to act on (not waiting, not closed);
// "near due" and "overdue" are the clock sweep's flags; a "submission" is an application, counted on its day.
export { createAnalyticsService, type AnalyticsService } from './analytics.service.ts';
export { analyticsRoutes } from './analytics.routes.ts';
