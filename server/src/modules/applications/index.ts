// Applications (intake): the one-time notice (一次告知), one form and one set of materials submitted once
// (一次提交), drafts, uploads, prefill from the profile (一人一档/一企一档) and the applicant's one view of progress.
export { createApplicationsService, type ApplicationsService } from './applications.service.ts';
export type { ApplicationsDeps } from './applications.deps.ts';
export { applicationPort } from './applications.port.ts';
export { applicationRoutes } from './applications.routes.ts';
