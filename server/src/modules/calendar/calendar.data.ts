// Reads the shipped year files (server/data/calendar/YYYY.json). Kept apart from calendar.domain.ts so that the
// domain stays free of I/O. Every YYYY.json in the folder is loaded, so adding next year's notice needs no code.
import { readdirSync, readFileSync } from 'node:fs';
import { CalendarDataError, parseCalendarYear, type CalendarYear } from './calendar.domain.ts';

export const SHIPPED_CALENDAR_DIR = new URL('../../../data/calendar/', import.meta.url);

export function loadShippedYears(dir: URL = SHIPPED_CALENDAR_DIR): CalendarYear[] {
  const files = readdirSync(dir)
    .filter((name) => /^\d{4}\.json$/.test(name))
    .sort();
  // An empty calendar would only fail later, at the first case clock; fail at start-up instead.
  if (files.length === 0)
    throw new CalendarDataError(dir.pathname, [{ path: '', message: 'no YYYY.json calendar files' }]);
  return files.map((name) => {
    const origin = `data/calendar/${name}`;
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(new URL(name, dir), 'utf8'));
    } catch (err) {
      throw new CalendarDataError(origin, [{ path: '', message: `not valid JSON (${(err as Error).message})` }]);
    }
    const year = parseCalendarYear(raw, origin);
    // The file name is what operators look for; it must not disagree with the content.
    if (name !== `${year.year}.json`)
      throw new CalendarDataError(origin, [{ path: 'year', message: `is ${year.year}, but the file is ${name}` }]);
    return year;
  });
}
