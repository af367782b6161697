// Problem details (RFC 9457) as both sides see them: LocalText and FieldError, the problem+json body, the error
// tables each context declares (code, HTTP status, title in Chinese and English) and the errors common to all.
export * from './problem.ts';
export * from './errors.ts';
export * from './zod-issues.ts';
