// The cases' contracts: a case as the reviewer and the applicant see it.
export type * from './cases.ts';
export * from './errors.ts';
