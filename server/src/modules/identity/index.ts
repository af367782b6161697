// Identity: accounts (persons by resident ID number, enterprises by credit code, staff by department and
// jurisdiction), roles and permissions as data, login with one-time codes, sessions, proxies (帮办代办).
// Vocabulary: a principal is the authenticated caller of one request; its actor (accountId) is who logged in, its
// subject (subjectId) whom the session acts for — the account itself, an enterprise the person is an agent (经办人)
// of, or a person who granted a proxy. A challenge is the pending second step of a login, or a proofing code. A
// person claims an ID number at registration; it is bound once proved against the population register (一人一档)
// by the phone on record (real-name level 2) or from the ID card at a window (3); the registers are imported.
export {
  createIdentityService,
  type IdentityService,
  type IdentityOptions,
  type LoginContext,
  type LoginStep,
} from './identity.service.ts';
export type { AccountSpec, StaffImportRow } from './identity.accounts.ts';
export { identityRoutes } from './identity.routes.ts';
export { needsOtp, type OtpPolicy } from './identity.domain.ts';
