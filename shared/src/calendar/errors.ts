// The working-day calendar's error codes, with their HTTP status and their titles in both languages.
// Clients match a problem's code against these values; the codes never change once published.
import { defineFieldErrors, defineProblems } from '../problem/index.ts';

export const CalendarErrors = defineProblems({
  yearNotLoaded: {
    code: 'calendar.year_not_loaded',
    status: 422,
    title: {
      zh: '{year} 年的工作日历尚未加载，无法计算',
      en: 'The working-day calendar for {year} is not loaded; nothing can be computed for it',
    },
  },
  invalidDate: {
    code: 'calendar.invalid_date',
    status: 400,
    title: { zh: '日期不正确，应为 YYYY-MM-DD 格式的真实日期', en: 'Not a real date as YYYY-MM-DD' },
  },
  invalidArgument: {
    code: 'calendar.invalid_argument',
    status: 400,
    title: { zh: '参数不正确', en: 'Invalid argument' },
  },
  invalidYearFile: {
    code: 'calendar.invalid_year_file',
    status: 422,
    title: { zh: '节假日安排文件不符合要求，未加载', en: 'The holiday notice file is not valid; nothing was loaded' },
  },
  yearMismatch: {
    code: 'calendar.year_mismatch',
    status: 400,
    title: {
      zh: '文件中的年份（{got}）与地址中的年份（{want}）不一致',
      en: 'The year in the file ({got}) differs from the year in the URL ({want})',
    },
  },
  yearNotFound: {
    code: 'calendar.year_not_found',
    status: 404,
    title: { zh: '{year} 年的工作日历不存在', en: 'No working-day calendar for {year}' },
  },
});

/** The messages of field errors. */
export const CalendarFieldErrors = defineFieldErrors({
  yearNotLoaded: {
    code: 'calendar.year_not_loaded',
    detail: { zh: '计算需要 {year} 年的日历（{date}）', en: 'the computation needs the calendar of {year} ({date})' },
  },
  invalidDate: {
    code: 'calendar.invalid_date',
    detail: { zh: '"{value}" 不是 YYYY-MM-DD 格式的真实日期', en: '"{value}" is not a real date as YYYY-MM-DD' },
  },
});
