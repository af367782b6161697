// The clock sweep: near-due and overdue flags, and escalation of tolerated gaps whose deadline passed.
// Every 15 minutes; idempotent, so a retry or a second instance running it changes nothing further.
import { defineJob } from '../../platform/jobs.ts';
import type { CasesService } from './cases.service.ts';

let service: CasesService | undefined;

/** main.ts hands the job its service once the services exist. */
export function bindClockSweep(cases: CasesService): void {
  service = cases;
}

export const clockSweep = defineJob<Record<string, never>>({
  name: 'cases.clock-sweep.v1',
  retryLimit: 5,
  retryDelaySeconds: 30,
  retryBackoff: true,
  schedule: '*/15 * * * *',
  async handle(_data, { log }) {
    if (!service) throw new Error('clock sweep is not bound to the cases service');
    const r = await service.sweep();
    if (r.flagged || r.escalated) log.info(r, 'clock sweep');
  },
});
