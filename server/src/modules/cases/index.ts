// Cases (办件): one service item of one application, owned by one department, on the statutory clock.
// Vocabulary: accept (受理), refuse (不予受理), request_correction (补正一次性告知; the clock stops),
// accept_with_gap (容缺受理), decide (准予 / 不予), conclude (办结), waiting (等待前置).
export { createCasesService, type CasesService } from './cases.service.ts';
export type {
  CasesDeps,
  ApplicationPort,
  ApplicationRef,
  NewCaseItem,
  PlannedOutput,
  CaseFile,
} from './cases.ports.ts';
export type { CaseMaterial } from '@onething/shared/cases';
export { casesRoutes } from './cases.routes.ts';
export { clockSweepJob } from './cases.jobs.ts';
export type { CaseRow, CaseEventRow, CorrectionRow } from './cases.repository.ts';
export {
  TRANSITIONS,
  availableActions,
  CASE_STATUSES,
  CASE_ACTIONS,
  type CaseStatus,
  type CaseAction,
} from './cases.domain.ts';
