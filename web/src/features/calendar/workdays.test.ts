// @vitest-environment node
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type CalendarResult,
  type CalendarYearDays,
  createWorkdays,
  projectDueDates,
  provisionalYearDays,
  todayInChina,
} from '@onething/shared/calendar';

// The shared calendar as the portal builds it (years with no file count by the weekday rule), its answers unwrapped.
const value = <T>(result: CalendarResult<T>): T => {
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
};
const buildCalendar = (years: CalendarYearDays[]) => value(createWorkdays(years, { unloadedYears: 'weekday_rule' }));

// The official calendar files the server ships: the portal must count exactly as the server does.
const dir = path.resolve(import.meta.dirname, '../../../../server/data/calendar');
const cal = buildCalendar(
  ['2025.json', '2026.json'].map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as CalendarYearDays),
);

describe('working days', () => {
  it('counts an adjusted working day (调休) and skips the Spring Festival', () => {
    expect(value(cal.addWorkdays('2026-02-13', 1))).toBe('2026-02-14'); // a Saturday that is a working day
    expect(value(cal.addWorkdays('2026-02-14', 1))).toBe('2026-02-24');
    expect(value(cal.addWorkdays('2026-09-30', 1))).toBe('2026-10-08');
  });

  it('counts a year whose notice is not loaded as the server does provisionally (statutory solar-date holidays)', () => {
    const ahead = buildCalendar([
      JSON.parse(fs.readFileSync(path.join(dir, '2026.json'), 'utf8')) as CalendarYearDays,
      provisionalYearDays(2027),
    ]);
    expect(value(ahead.addWorkdays('2026-12-30', 2))).toBe('2027-01-04'); // 1 January is 元旦
    expect(value(ahead.isWorkday('2027-05-03'))).toBe(true);
    expect(value(ahead.isWorkday('2027-10-02'))).toBe(false);
  });

  it('agrees day by day with the calendar as written: weekends, holidays and 调休 of 2025-2026, and ranges across them', () => {
    const files = ['2025.json', '2026.json'].map(
      (f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as CalendarYearDays,
    );
    const off = new Set(files.flatMap((y) => y.holidays.flatMap((h) => h.days)));
    const on = new Set(files.flatMap((y) => y.holidays.flatMap((h) => h.adjustedWorkdays)));
    const written = (day: string) =>
      on.has(day) || (!off.has(day) && ![0, 6].includes(new Date(`${day}T00:00:00Z`).getUTCDay()));
    const days: string[] = [];
    for (let t = Date.UTC(2024, 11, 25); t <= Date.UTC(2027, 0, 5); t += 86_400_000)
      days.push(new Date(t).toISOString().slice(0, 10));
    expect(days.filter((d) => value(cal.isWorkday(d)) !== written(d))).toEqual([]);
    for (const [i, j] of [
      [0, 10],
      [30, 400],
      [500, 120],
      [3, 3],
      [700, 40],
    ] as const) {
      const [a, b] = [days[i]!, days[j]!];
      const between = days.slice(Math.min(i, j) + 1, Math.max(i, j) + 1).filter(written).length;
      expect(value(cal.countWorkdays(a, b)), `${a} → ${b}`).toBe(j >= i ? between : -between);
    }
    expect(value(buildCalendar([]).isWorkday('1969-12-31'))).toBe(true); // a Wednesday, before day 0
    expect(value(buildCalendar([]).isWorkday('1969-12-28'))).toBe(false); // a Sunday
  });

  it('counts the working days left, negative when overdue', () => {
    expect(value(cal.countWorkdays('2026-03-02', '2026-03-04'))).toBe(2);
    expect(value(cal.countWorkdays('2026-03-06', '2026-03-09'))).toBe(1);
    expect(value(cal.countWorkdays('2026-03-09', '2026-03-06'))).toBe(-1);
    expect(value(cal.countWorkdays('2026-03-09', '2026-03-09'))).toBe(0);
  });

  it('projects each item of the newborn bundle along its dependencies, as the server promises', () => {
    const due = projectDueDates(
      [
        { code: 'birth-medical-certificate', dependsOn: [], promisedDays: 1, dueDate: null },
        { code: 'household-registration', dependsOn: ['birth-medical-certificate'], promisedDays: 2, dueDate: null },
        { code: 'social-security-card', dependsOn: ['household-registration'], promisedDays: 2, dueDate: null },
        { code: 'maternity-expense-reimbursement', dependsOn: [], promisedDays: 5, dueDate: null },
        { code: 'parenting-guidance-registration', dependsOn: [], promisedDays: 1, dueDate: '2026-03-03' },
      ],
      '2026-03-02',
      cal,
    );
    expect(Object.fromEntries(value(due))).toEqual({
      'birth-medical-certificate': '2026-03-03',
      'household-registration': '2026-03-05',
      'social-security-card': '2026-03-09',
      'maternity-expense-reimbursement': '2026-03-09',
      'parenting-guidance-registration': '2026-03-03',
    });
  });

  it('takes today in China, not in the browser’s zone', () => {
    expect(todayInChina(new Date('2026-03-01T16:30:00Z'))).toBe('2026-03-02');
    expect(todayInChina(new Date('2026-03-01T15:59:00Z'))).toBe('2026-03-01');
  });
});
