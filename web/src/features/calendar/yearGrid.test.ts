// @vitest-environment node
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CalendarYearDays, createWorkdays } from '@onething/shared/calendar';
import { isYearFile, yearGrid, type YearFile } from './yearGrid';

const file = JSON.parse(
  fs.readFileSync(path.resolve(import.meta.dirname, '../../../../server/data/calendar/2026.json'), 'utf8'),
) as YearFile;

describe('a year as month grids', () => {
  const grid = yearGrid(file);
  const day = (date: string) => grid.months.flatMap((m) => m.weeks.flat()).find((d) => d?.date === date);

  it('marks holidays and adjusted working days with their holiday', () => {
    expect(day('2026-10-01')).toMatchObject({ kind: 'holiday', holiday: { zh: '国庆节' } });
    expect(day('2026-10-10')).toMatchObject({ kind: 'adjusted', holiday: { zh: '国庆节' } });
    expect(day('2026-02-14')).toMatchObject({ kind: 'adjusted' });
    expect(day('2026-03-07')).toMatchObject({ kind: 'weekend', holiday: null });
    expect(day('2026-03-09')).toMatchObject({ kind: 'workday' });
  });

  it('lays each month out from Monday and counts the working days as the calendar does', () => {
    // 1 January 2026 is a Thursday: three empty cells before it.
    expect(grid.months[0]!.weeks[0]!.slice(0, 4).map((d) => d?.day ?? null)).toEqual([null, null, null, 1]);
    expect(grid.months.every((m) => m.weeks.every((w) => w.length === 7))).toBe(true);
    const cal = createWorkdays([file as CalendarYearDays]);
    if (!cal.ok) throw new Error(JSON.stringify(cal.error));
    let expected = 0;
    for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 86_400_000) {
      const workday = cal.value.isWorkday(new Date(t).toISOString().slice(0, 10));
      if (workday.ok && workday.value) expected++;
    }
    expect(grid.workdays).toBe(expected);
    expect(grid.workdays).toBe(248); // 261 weekdays less 19 holidays on them, plus 6 adjusted weekend days
    expect(grid.holidays).toBe(file.holidays.reduce((n, h) => n + h.days.length, 0));
    expect(grid.adjusted).toBe(6);
  });

  it('tells a year file from other JSON', () => {
    expect(isYearFile(file)).toBe(true);
    expect(isYearFile({ year: 2026 })).toBe(false);
    expect(isYearFile([1, 2])).toBe(false);
    expect(isYearFile({ year: 2026, holidays: [{ days: [1] }] })).toBe(false);
  });
});
