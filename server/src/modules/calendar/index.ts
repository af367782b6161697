// Calendar: Chinese working days (Monday–Friday, minus official holidays, plus adjusted working weekends 调休)
// from the State Council's yearly notice, and due dates counted in them with pauses for 补正.
export {
  createCalendarService,
  toAppError as calendarErrorToAppError,
  type CalendarService,
} from './calendar.service.ts';
export { calendarRoutes } from './calendar.routes.ts';
export {
  WorkCalendar,
  flags,
  getOrThrow,
  parseCalendarYear,
  type Pause,
  type CalendarYear,
} from './calendar.domain.ts';
export { loadShippedYears } from './calendar.data.ts';
export { nextYearCheck } from './calendar.jobs.ts';
