// The applications' (intake) contracts: the one-time notice (一次告知), prefill from the profile (一人一档 /
// 一企一档), drafts, uploads, one submission (一次提交) with its materials (uploads, e-certificates with consent,
// 容缺 commitments), and the applicant's one view of an application and its department cases.
export * from './applications.contracts.ts';
export * from './errors.ts';
