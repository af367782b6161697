import { describe, it, expect } from 'vitest';
import { CalendarYearFile } from '@onething/shared/calendar';
import {
  CalendarDataError,
  CalendarYearNotLoadedError,
  InvalidArgumentError,
  InvalidDateError,
  WorkCalendar,
  flags,
  parseCalendarYear,
  type CalendarYear,
  type Pause,
} from './calendar.domain.ts';
import { loadShippedYears } from './calendar.data.ts';

// chinese-days, an independent transcription of the same notices, is our second opinion on the data. It builds
// its tables at import time with local-time getters, which shifts every day by one in zones west of UTC, so it is
// loaded under the zone it was written for; later look-ups with local-midnight Dates are then right in any zone.
const savedTz = process.env.TZ;
process.env.TZ = 'Asia/Shanghai';
const { isWorkday: referenceIsWorkday } = await import('chinese-days');
if (savedTz === undefined) delete process.env.TZ;
else process.env.TZ = savedTz;

const shipped = loadShippedYears();
const cal = new WorkCalendar(shipped);

function* daysOfYear(year: number): Generator<string> {
  for (let t = Date.UTC(year, 0, 1); new Date(t).getUTCFullYear() === year; t += 86_400_000) {
    yield new Date(t).toISOString().slice(0, 10);
  }
}

function addCalendarDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

function localDate(date: string): Date {
  return new Date(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to throw');
}

describe('shipped data', () => {
  it('loads 2024, 2025 and 2026', () => {
    expect(cal.loadedYears()).toEqual([2024, 2025, 2026]);
    expect(shipped.map((y) => y.source.title)).toEqual([
      '国务院办公厅关于2024年部分节假日安排的通知',
      '国务院办公厅关于2025年部分节假日安排的通知',
      '国务院办公厅关于2026年部分节假日安排的通知',
    ]);
  });

  it.each([2024, 2025, 2026])('every day of %i agrees with chinese-days', (year) => {
    const mismatches: string[] = [];
    let days = 0;
    for (const date of daysOfYear(year)) {
      days += 1;
      const ours = cal.isWorkday(date);
      const theirs = referenceIsWorkday(localDate(date));
      if (ours !== theirs) mismatches.push(`${date}: ours ${ours}, chinese-days ${theirs}`);
    }
    expect(days).toBe(year === 2024 ? 366 : 365);
    expect(mismatches).toEqual([]);
  });

  // Totals worked out by hand from the notices (weekdays − weekday holidays + adjusted days).
  it.each([
    [2024, 251],
    [2025, 248],
    [2026, 248],
  ])('%i has %i working days', (year, expected) => {
    expect([...daysOfYear(year)].filter((d) => cal.isWorkday(d)).length).toBe(expected);
  });
});

describe('dayInfo', () => {
  it.each([
    ['2025-01-26', 'adjusted_workday', true, '春节'],
    ['2025-01-28', 'holiday', false, '春节'],
    ['2025-02-01', 'holiday', false, '春节'], // a Saturday inside the break is a holiday day, not a plain weekend
    ['2025-10-08', 'holiday', false, '国庆节、中秋节'],
    ['2025-10-11', 'adjusted_workday', true, '国庆节、中秋节'],
    ['2026-02-14', 'adjusted_workday', true, '春节'],
    ['2026-09-20', 'adjusted_workday', true, '国庆节'],
    ['2024-02-09', 'workday', true, undefined], // 除夕 2024: rest only "encouraged", still a working day
    ['2025-03-01', 'weekend', false, undefined],
    ['2025-03-03', 'workday', true, undefined],
  ] as const)('%s is %s', (date, kind, workday, zh) => {
    const info = cal.dayInfo(date);
    expect(info).toMatchObject({ date, kind, workday });
    expect(info.holidayName?.zh).toBe(zh);
  });
});

describe('addWorkdays', () => {
  it.each([
    // Spring Festival 2025: off 01-28..02-04, worked 01-26 (Sun) and 02-08 (Sat)
    ['2025-01-24', 1, '2025-01-26'],
    ['2025-01-26', 1, '2025-01-27'],
    ['2025-01-27', 1, '2025-02-05'],
    ['2025-02-07', 1, '2025-02-08'],
    ['2025-01-27', 5, '2025-02-10'],
    // Labour Day 2025: off 05-01..05-05, worked 04-27 (Sun)
    ['2025-04-25', 1, '2025-04-27'],
    ['2025-04-27', 3, '2025-04-30'],
    ['2025-04-30', 1, '2025-05-06'],
    // National Day + Mid-Autumn 2025: off 10-01..10-08, worked 09-28 (Sun) and 10-11 (Sat)
    ['2025-09-26', 1, '2025-09-28'],
    ['2025-09-30', 1, '2025-10-09'],
    ['2025-09-30', 3, '2025-10-11'],
    ['2025-10-10', 1, '2025-10-11'],
    // New Year 2026 across the year boundary: off 01-01..01-03, worked 01-04 (Sun)
    ['2025-12-31', 1, '2026-01-04'],
    // Spring Festival 2026: off 02-15..02-23, worked 02-14 (Sat) and 02-28 (Sat)
    ['2026-02-13', 1, '2026-02-14'],
    ['2026-02-13', 2, '2026-02-24'],
    ['2026-02-14', 1, '2026-02-24'],
    ['2026-02-27', 1, '2026-02-28'],
    // Labour Day 2026: off 05-01..05-05, worked 05-09 (Sat)
    ['2026-04-30', 1, '2026-05-06'],
    ['2026-05-08', 1, '2026-05-09'],
    // Mid-Autumn 2026 (09-25..09-27) and National Day 2026: off 10-01..10-07, worked 09-20 (Sun) and 10-10 (Sat)
    ['2026-09-18', 1, '2026-09-20'],
    ['2026-09-24', 1, '2026-09-28'],
    ['2026-09-30', 1, '2026-10-08'],
    ['2026-10-09', 1, '2026-10-10'],
    // 2024
    ['2024-02-09', 1, '2024-02-18'],
    ['2024-09-13', 1, '2024-09-14'],
    ['2024-09-30', 1, '2024-10-08'],
    // a weekend start, and a 20-day promise across National Day 2025
    ['2025-03-01', 1, '2025-03-03'],
    ['2025-09-15', 20, '2025-10-17'],
  ] as const)('%s + %i working days = %s', (start, n, due) => {
    expect(cal.addWorkdays(start, n)).toBe(due);
  });

  it.each(['2025-03-03', '2025-03-01', '2025-10-03', '2026-02-14'])(
    'N = 0 gives the start day itself (%s)',
    (start) => {
      expect(cal.addWorkdays(start, 0)).toBe(start);
    },
  );

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('rejects n = %s', (n) => {
    const err = thrown(() => cal.addWorkdays('2025-03-03', n));
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect(err).toMatchObject({ code: 'calendar.invalid_argument', field: 'n' });
  });
});

describe('countWorkdays', () => {
  it.each([
    ['2025-09-30', '2025-10-08', 0],
    ['2025-09-30', '2025-10-11', 3],
    ['2025-10-11', '2025-09-30', -3],
    ['2025-03-03', '2025-03-03', 0],
    ['2025-03-07', '2025-03-09', 0],
    ['2025-03-09', '2025-03-07', 0],
    ['2024-12-31', '2026-12-31', 248 + 248],
  ] as const)('(%s, %s] has %i', (from, to, count) => {
    expect(cal.countWorkdays(from, to)).toBe(count);
  });

  it('is additive in any order', () => {
    const [a, b, c] = ['2025-12-20', '2025-02-03', '2026-05-07'] as const;
    expect(cal.countWorkdays(a, b) + cal.countWorkdays(b, c)).toBe(cal.countWorkdays(a, c));
  });
});

describe('pauses (补正)', () => {
  it('moves the due date by exactly the paused working days', () => {
    // 2025-03-03 (Mon) + 5 = 03-10. Notice on Tue 03-04, supplement on Thu 03-06: 03-05 and 03-06 are paused.
    expect(cal.addWorkdays('2025-03-03', 5)).toBe('2025-03-10');
    expect(cal.countWorkdays('2025-03-04', '2025-03-06')).toBe(2);
    expect(cal.addWorkdays('2025-03-03', 5, [{ from: '2025-03-04', to: '2025-03-06' }])).toBe('2025-03-12');
  });

  it('counts only working days when the pause spans a holiday', () => {
    // 2025-09-22 + 5 = 09-28 (Sun, worked). Paused (09-26, 10-10] holds 09-28, 09-29, 09-30, 10-09 and 10-10:
    // five working days in fifteen calendar days.
    expect(cal.addWorkdays('2025-09-22', 5)).toBe('2025-09-28');
    expect(cal.countWorkdays('2025-09-26', '2025-10-10')).toBe(5);
    expect(cal.addWorkdays('2025-09-22', 5, [{ from: '2025-09-26', to: '2025-10-10' }])).toBe('2025-10-11');
  });

  it('across Spring Festival 2026', () => {
    // 2026-02-10 (Tue) + 3 = 02-13. Notice 02-12, supplement 02-25: paused 02-13, 02-14 (Sat, worked), 02-24, 02-25.
    // The case then has what it had left after the notice day (1 working day): 02-26.
    expect(cal.addWorkdays('2026-02-10', 3)).toBe('2026-02-13');
    expect(cal.countWorkdays('2026-02-12', '2026-02-25')).toBe(4);
    expect(cal.addWorkdays('2026-02-10', 3, [{ from: '2026-02-12', to: '2026-02-25' }])).toBe('2026-02-26');
  });

  it('a same-day pause, or one over a plain weekend, moves nothing', () => {
    expect(cal.addWorkdays('2025-03-03', 5, [{ from: '2025-03-05', to: '2025-03-05' }])).toBe('2025-03-10');
    expect(cal.addWorkdays('2025-03-03', 5, [{ from: '2025-03-07', to: '2025-03-09' }])).toBe('2025-03-10');
  });

  it('several pauses add up, in any order', () => {
    const pauses: Pause[] = [
      { from: '2025-03-12', to: '2025-03-14' }, // 2 working days
      { from: '2025-03-04', to: '2025-03-06' }, // 2 working days
    ];
    expect(cal.addWorkdays('2025-03-03', 10, pauses)).toBe(cal.addWorkdays('2025-03-03', 14));
    // touching windows share no day, since a window is (from, to]
    expect(cal.addWorkdays('2025-03-03', 10, [...pauses, { from: '2025-03-06', to: '2025-03-07' }])).toBe(
      cal.addWorkdays('2025-03-03', 15),
    );
  });

  // The rule stated in `Pause`: the shift equals the paused working days, the same as skipping paused days one by
  // one while they come before the due date, and the working days left are frozen across the pause.
  it('agrees with a day-by-day reference across 2025 and 2026', () => {
    const skipWalk = (start: string, n: number, p: Pause): string => {
      let day = start;
      for (let left = n; left > 0; ) {
        day = addCalendarDays(day, 1);
        const paused = day > p.from && day <= p.to;
        if (!paused && cal.isWorkday(day)) left -= 1;
      }
      return day;
    };
    let checked = 0;
    for (let s = 0; s < 600; s += 11) {
      // up to 2026-08, so no walk leaves 2026
      const start = addCalendarDays('2025-01-02', s);
      for (const n of [0, 1, 3, 8, 20]) {
        const plainDue = cal.addWorkdays(start, n);
        for (const [offset, length] of [
          [0, 0],
          [0, 4],
          [1, 9],
          [2, 15],
          [5, 30],
          [12, 3],
        ] as const) {
          const p = { from: addCalendarDays(start, offset), to: addCalendarDays(start, offset + length) };
          const due = cal.addWorkdays(start, n, [p]);
          const paused = cal.countWorkdays(p.from, p.to);
          expect(cal.countWorkdays(plainDue, due)).toBe(paused);
          if (p.from < plainDue) expect(due).toBe(skipWalk(start, n, p));
          expect(flags(due, p.to, cal).workdaysLeft).toBe(flags(plainDue, p.from, cal).workdaysLeft);
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(1500);
  });

  it.each([
    [[{ from: '2025-03-06', to: '2025-03-04' }], 'pauses[0]'],
    [[{ from: '2025-02-28', to: '2025-03-04' }], 'pauses[0]'],
    [
      [
        { from: '2025-03-04', to: '2025-03-10' },
        { from: '2025-03-07', to: '2025-03-12' },
      ],
      'pauses[1]',
    ],
  ] as const)('rejects bad pauses %j', (pauses, field) => {
    const err = thrown(() => cal.addWorkdays('2025-03-03', 5, pauses));
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect(err).toMatchObject({ field });
  });

  it('rejects a pause with an invalid date, naming the field', () => {
    const err = thrown(() => cal.addWorkdays('2025-03-03', 5, [{ from: '2025-03-04', to: '2025-02-30' }]));
    expect(err).toBeInstanceOf(InvalidDateError);
    expect(err).toMatchObject({ code: 'calendar.invalid_date', field: 'pauses[0].to' });
  });
});

describe('years that are not loaded', () => {
  it.each([
    [() => cal.isWorkday('2027-01-04'), 2027],
    [() => cal.dayInfo('2023-12-29'), 2023],
    [() => cal.addWorkdays('2023-12-29', 0), 2023],
    [() => cal.addWorkdays('2026-12-30', 2), 2027], // starts in 2026, walks into 2027
    [() => cal.addWorkdays('2026-12-01', 10, [{ from: '2026-12-02', to: '2026-12-28' }]), 2027], // the pause pushes it over
    [() => cal.addWorkdays('2026-12-01', 1, [{ from: '2026-12-02', to: '2027-01-05' }]), 2027],
    [() => cal.countWorkdays('2023-12-31', '2024-01-05'), 2023],
    [() => cal.countWorkdays('2026-12-20', '2027-01-01'), 2027],
    [() => flags('2027-01-06', '2026-12-28', cal), 2027],
  ])('throws CalendarYearNotLoadedError (%#)', (fn, year) => {
    const err = thrown(fn);
    expect(err).toBeInstanceOf(CalendarYearNotLoadedError);
    expect(err).toMatchObject({ code: 'calendar.year_not_loaded', year });
    expect((err as Error).message).toContain(String(year));
  });

  it('names the first day walked into the missing year', () => {
    expect(thrown(() => cal.addWorkdays('2026-12-30', 2))).toMatchObject({ year: 2027, date: '2027-01-01' });
  });

  it('does not bridge a gap between loaded years', () => {
    const gappy = new WorkCalendar(shipped.filter((y) => y.year !== 2025));
    expect(gappy.loadedYears()).toEqual([2024, 2026]);
    expect(gappy.addWorkdays('2024-12-30', 1)).toBe('2024-12-31');
    expect(thrown(() => gappy.addWorkdays('2024-12-30', 2))).toMatchObject({ year: 2025, date: '2025-01-01' });
  });

  it('lets the last day of a loaded year be a due date', () => {
    expect(cal.addWorkdays('2026-12-30', 1)).toBe('2026-12-31');
  });
});

describe('the provisional following year', () => {
  const prov = new WorkCalendar(shipped, { provisionalFollowingYear: true });

  it('counts the year after the latest loaded one by the weekday rule minus the statutory solar-date holidays', () => {
    expect(prov.provisionalYear()).toBe(2027);
    // Wed 2026-12-30 + 2: Thu 12-31, then Fri 2027-01-01 is 元旦, so Mon 01-04.
    expect(prov.addWorkdays('2026-12-30', 2)).toBe('2027-01-04');
    expect(prov.dayInfo('2027-01-01')).toMatchObject({
      workday: false,
      kind: 'holiday',
      provisional: true,
      holidayName: { zh: '元旦' },
    });
    expect(prov.isWorkday('2027-05-03')).toBe(true); // only 1–2 May are statutory; the break's length is the notice's
    expect(prov.isWorkday('2027-10-01')).toBe(false);
    expect(prov.isWorkday('2027-10-04')).toBe(true);
    expect(prov.countWorkdays('2026-12-25', '2027-01-08')).toBe(9);
  });

  it('marks what falls in that year as provisional and nothing in a loaded year', () => {
    expect(prov.isProvisional('2027-01-04')).toBe(true);
    expect(prov.isProvisional('2026-12-31')).toBe(false);
    expect(prov.dayInfo('2026-12-31').provisional).toBeUndefined();
  });

  it('still refuses the years beyond it and before the first loaded one', () => {
    expect(thrown(() => prov.isWorkday('2028-01-03'))).toMatchObject({ code: 'calendar.year_not_loaded', year: 2028 });
    expect(thrown(() => prov.addWorkdays('2027-12-20', 20))).toMatchObject({ year: 2028 });
    expect(thrown(() => prov.dayInfo('2023-12-29'))).toMatchObject({ year: 2023 });
  });

  it('gives way to the notice once that year is loaded', () => {
    const y2027 = {
      year: 2027,
      source: { title: 'test', published: '2026-11-01' },
      holidays: [
        {
          name: { zh: '元旦', en: "New Year's Day" },
          days: ['2027-01-01', '2027-01-02', '2027-01-03'],
          adjustedWorkdays: [],
        },
        { name: { zh: '春节', en: 'Spring Festival' }, days: ['2027-01-04'], adjustedWorkdays: [] },
      ],
    };
    const loaded = new WorkCalendar([...shipped, y2027], { provisionalFollowingYear: true });
    expect(loaded.provisionalYear()).toBe(2028);
    expect(loaded.isProvisional('2027-01-05')).toBe(false);
    expect(loaded.addWorkdays('2026-12-30', 2)).toBe('2027-01-05');
  });
});

describe('invalid dates', () => {
  it.each(['2025-02-30', 'tomorrow', '2025-2-3', '2025-02-03T00:00:00Z', '', '2025-13-01', '2025-02-29'])(
    'rejects %j',
    (bad) => {
      const err = thrown(() => cal.isWorkday(bad));
      expect(err).toBeInstanceOf(InvalidDateError);
      expect(err).toMatchObject({ code: 'calendar.invalid_date', field: 'date', value: bad });
    },
  );

  it('names the argument', () => {
    expect(thrown(() => cal.addWorkdays('2025-02-30', 1))).toMatchObject({ field: 'start' });
    expect(thrown(() => cal.countWorkdays('2025-03-01', 'tomorrow'))).toMatchObject({ field: 'toInclusive' });
    expect(thrown(() => flags('soon', '2025-03-01', cal))).toMatchObject({ field: 'due' });
  });

  it('accepts 2024-02-29, a real leap day', () => {
    expect(cal.isWorkday('2024-02-29')).toBe(true);
  });
});

describe('flags', () => {
  it.each([
    // due 2025-10-09, the first working day after National Day 2025
    ['2025-10-09', '2025-09-26', 4, false, false], // 09-28, 09-29, 09-30, 10-09
    ['2025-10-09', '2025-09-29', 2, true, false],
    ['2025-10-09', '2025-09-30', 1, true, false],
    ['2025-10-09', '2025-10-05', 1, true, false],
    ['2025-10-09', '2025-10-09', 0, true, false],
    ['2025-10-09', '2025-10-10', -1, false, true],
    ['2025-10-09', '2025-10-13', -3, false, true], // 10-10, 10-11 (Sat, worked), 10-13
    // due on a Friday: the weekend after is overdue although no working day has passed yet
    ['2025-03-07', '2025-03-08', 0, false, true],
  ] as const)('due %s, today %s → %i left, nearDue %s, overdue %s', (due, today, workdaysLeft, nearDue, overdue) => {
    expect(flags(due, today, cal)).toEqual({ workdaysLeft, nearDue, overdue });
  });

  it('takes another near-due threshold', () => {
    expect(flags('2025-10-09', '2025-09-26', cal, 5).nearDue).toBe(true);
  });
});

describe('CalendarYearFile schema', () => {
  const valid = (): CalendarYear => ({
    year: 2025,
    source: {
      title: '国务院办公厅关于2025年部分节假日安排的通知',
      number: '国办发明电〔2024〕12号',
      published: '2024-11-12',
    },
    holidays: [
      {
        name: { zh: '劳动节', en: 'Labour Day' },
        days: ['2025-05-01', '2025-05-02', '2025-05-03', '2025-05-04', '2025-05-05'],
        adjustedWorkdays: ['2025-04-27'],
      },
    ],
  });

  const issuesOf = (input: unknown) => {
    const result = CalendarYearFile.safeParse(input);
    expect(result.success).toBe(false);
    return (result.error?.issues ?? []).map((i) => ({ path: i.path, message: i.message }));
  };

  it('accepts a valid year', () => {
    expect(CalendarYearFile.safeParse(valid()).success).toBe(true);
  });

  it('rejects a weekday listed as an adjusted working day, at its path', () => {
    const file = valid();
    file.holidays[0]!.adjustedWorkdays = ['2025-04-27', '2025-04-28'];
    const issues = issuesOf(file);
    expect(issues).toEqual([
      { path: ['holidays', 0, 'adjustedWorkdays', 1], message: expect.stringContaining('Monday') },
    ]);
    expect(thrown(() => parseCalendarYear(file, '2025.json'))).toMatchObject({
      code: 'calendar.invalid_data',
      message: expect.stringContaining('2025.json: holidays[0].adjustedWorkdays[1]: 2025-04-28 is a Monday'),
    });
  });

  it('rejects a date outside the year, at its path', () => {
    const file = valid();
    file.holidays[0]!.days = ['2025-05-01', '2026-05-02'];
    expect(issuesOf(file)).toEqual([
      { path: ['holidays', 0, 'days', 1], message: '2026-05-02 is outside the year 2025' },
    ]);
  });

  it('rejects a date listed twice, pointing at both places', () => {
    const file = valid();
    file.holidays.push({
      name: { zh: '端午节', en: 'Dragon Boat Festival' },
      days: ['2025-05-31'],
      adjustedWorkdays: ['2025-04-27'],
    });
    expect(issuesOf(file)).toEqual([
      {
        path: ['holidays', 1, 'adjustedWorkdays', 0],
        message: '2025-04-27 is already listed at holidays[0].adjustedWorkdays[0]',
      },
    ]);
  });

  it('rejects a date that does not exist', () => {
    const file = valid();
    file.holidays[0]!.days = ['2025-02-29'];
    expect(issuesOf(file).map((i) => i.path)).toEqual([['holidays', 0, 'days', 0]]);
  });

  it('rejects an empty list of days off', () => {
    const file = valid();
    file.holidays[0]!.days = [];
    expect(issuesOf(file).map((i) => i.path)).toEqual([['holidays', 0, 'days']]);
  });

  it.each([1999, 2101, 2025.5])('rejects the year %s', (year) => {
    expect(issuesOf({ ...valid(), year }).map((i) => i.path)).toContainEqual(['year']);
  });

  it('rejects unknown fields (a misspelt key would otherwise be silently ignored)', () => {
    const file = { ...valid(), holidays: [{ ...valid().holidays[0], adjustedWorkday: ['2025-04-27'] }] };
    expect(issuesOf(file).length).toBeGreaterThan(0);
  });

  it('WorkCalendar validates its input and refuses a year given twice', () => {
    const bad = valid();
    bad.holidays[0]!.adjustedWorkdays = ['2025-04-28'];
    expect(thrown(() => new WorkCalendar([bad]))).toBeInstanceOf(CalendarDataError);
    expect(thrown(() => new WorkCalendar([valid(), valid()]))).toMatchObject({
      code: 'calendar.invalid_argument',
      field: 'years[1]',
    });
  });
});

// WorkCalendar throws for the rules that compute many dates at once; the shared calendar under it answers values.
describe('the shared calendar answers results, never throws', () => {
  it('gives the same dates as values', () => {
    expect(cal.workdays.addWorkdays('2025-09-26', 5)).toEqual({ ok: true, value: '2025-10-10' });
    expect(cal.workdays.countWorkdays('2025-10-11', '2025-09-30')).toEqual({ ok: true, value: -3 });
  });

  it('returns the problem the wrapper throws', () => {
    expect(cal.workdays.addWorkdays('2026-12-30', 2)).toEqual({
      ok: false,
      error: { code: 'calendar.year_not_loaded', year: 2027, date: '2027-01-01' },
    });
    expect(cal.workdays.isWorkday('2025-02-30')).toEqual({
      ok: false,
      error: { code: 'calendar.invalid_date', field: 'date', value: '2025-02-30' },
    });
    expect(cal.workdays.addWorkdays('2025-03-03', -1)).toMatchObject({
      ok: false,
      error: { code: 'calendar.invalid_argument', field: 'n' },
    });
  });
});
