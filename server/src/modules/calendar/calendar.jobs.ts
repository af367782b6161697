// A daily check that next year's holiday notice is loaded before the year starts: without it no due date
// reaching into that year can be computed, and every case accepted in late December would stop.
import { defineJob } from '../../platform/jobs.ts';
import { hasAudit, recordAudit } from '../../platform/audit.ts';
import * as repo from './calendar.repository.ts';

/** From this day of the year on, a missing next year is reported (the notice usually comes in November). */
const WARN_FROM_MONTH = 11;

export const nextYearCheck = defineJob<{ today?: string }>({
  name: 'calendar.next-year-check.v1',
  retryLimit: 3,
  retryDelaySeconds: 60,
  retryBackoff: true,
  schedule: '0 1 * * *',
  async handle(data, { db, log }) {
    const today = data.today ?? new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const [y, m] = today.split('-').map(Number) as [number, number];
    if (m < WARN_FROM_MONTH) return;
    const next = y + 1;
    if (await repo.findYear(db, next)) return;
    log.warn({ year: next }, 'the working-day calendar of next year is not loaded');
    // One record a day is enough; the audit trail shows operators how long it went unloaded.
    if (await hasAudit(db, 'calendar.next_year_missing', String(next), { checkedOn: today })) return;
    await recordAudit(db, {
      actorId: null,
      action: 'calendar.next_year_missing',
      subjectType: 'calendar_year',
      subjectId: String(next),
      data: { checkedOn: today },
    });
  },
});
