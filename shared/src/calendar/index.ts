// The working-day calendar: which days are working days, and the deadlines counted on them.
export * from './errors.ts';
