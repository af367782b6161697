// The working-day calendar (工作日历): working days are Monday–Friday, minus the State Council's holidays, plus its
// adjusted working weekend days (调休上班), from one file per year. A due date is the N-th working day after the
// start day (day 0), moved later by the working days the clock was paused (补正, the applicant correcting). The
// promised date (承诺办结日) of an application is the latest finish along its item graph. Pure and browser-safe:
// the functions answer results ({ ok, value } or { ok: false, error }) and never throw.
export * from './api.ts';
export { todayInChina } from './days.ts';
export type { CalendarDataIssue, CalendarProblem, CalendarResult } from './problems.ts';
export * from './promised.ts';
export * from './workdays.ts';
export * from './year-file.ts';
export * from './errors.ts';
