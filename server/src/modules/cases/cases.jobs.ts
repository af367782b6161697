// The clock sweep: near-due and overdue flags, and escalation of tolerated gaps whose deadline passed.
// Every 15 minutes; idempotent, so a retry or a second instance running it changes nothing further.
import { defineJob, type JobDefinition } from '../../platform/jobs.ts';
import type { CasesService } from './cases.service.ts';

/** The sweep over the given cases service; server/src/jobs.ts builds it once the services exist. */
export function clockSweepJob(cases: CasesService): JobDefinition<Record<string, never>> {
  return defineJob<Record<string, never>>({
    name: 'cases.clock-sweep.v1',
    retryLimit: 5,
    retryDelaySeconds: 30,
    retryBackoff: true,
    schedule: '*/15 * * * *',
    async handle(_data, { log }) {
      const r = await cases.sweep();
      if (r.flagged || r.escalated) log.info(r, 'clock sweep');
    },
  });
}
