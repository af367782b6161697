// Every job the platform runs, in one list that main.ts and the tests start, built from the services the
// handlers need (no module holds a service of its own).
import type { JobDefinition } from './platform/jobs.ts';
import type { Services } from './app.ts';
import { nextYearCheck } from './modules/calendar/index.ts';
import { clockSweepJob } from './modules/cases/index.ts';
import { auditCheckpointJob } from './platform/audit-checkpoints.ts';

export function jobDefinitions(services: Pick<Services, 'cases'>): JobDefinition<object>[] {
  return [
    nextYearCheck as JobDefinition<object>,
    clockSweepJob(services.cases) as JobDefinition<object>,
    auditCheckpointJob as JobDefinition<object>,
  ];
}
