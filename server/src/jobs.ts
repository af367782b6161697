// Every job the platform runs, in one list that main.ts and the tests start.
import type { JobDefinition } from './platform/jobs.ts';
import { nextYearCheck } from './modules/calendar/index.ts';
import { clockSweep } from './modules/cases/index.ts';

export const JOB_DEFINITIONS: JobDefinition<object>[] = [
  nextYearCheck as JobDefinition<object>,
  clockSweep as JobDefinition<object>,
];
