// A year of the official calendar laid out as twelve month grids (weeks from Monday), each day with its kind:
// a working day, a weekend, a public holiday (节假日) or an adjusted working day (调休上班). Pure, for the
// calendar page's preview of a loaded year and of a file before it is loaded.
import type { LocalText } from '../../lib/text';

export interface YearFile {
  year: number;
  source?: { title?: string; published?: string; url?: string };
  holidays: Array<{ name?: LocalText; days: string[]; adjustedWorkdays: string[] }>;
}
export type DayKind = 'workday' | 'weekend' | 'holiday' | 'adjusted';
export interface GridDay {
  date: string;
  day: number;
  kind: DayKind;
  /** The holiday a holiday or adjusted working day belongs to. */
  holiday: LocalText | null;
}
export interface GridMonth {
  month: number;
  /** Weeks of seven cells, Monday first; null pads the days of other months. */
  weeks: Array<Array<GridDay | null>>;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Whether a value read from a chosen file looks like a year file (the server checks it fully when loading). */
export function isYearFile(v: unknown): v is YearFile {
  if (!v || typeof v !== 'object') return false;
  const f = v as YearFile;
  return (
    Number.isInteger(f.year) &&
    Array.isArray(f.holidays) &&
    f.holidays.every(
      (h) =>
        h &&
        Array.isArray(h.days) &&
        h.days.every((d) => typeof d === 'string') &&
        Array.isArray(h.adjustedWorkdays ?? []) &&
        (h.adjustedWorkdays ?? []).every((d) => typeof d === 'string'),
    )
  );
}

export function yearGrid(file: YearFile): {
  months: GridMonth[];
  workdays: number;
  holidays: number;
  adjusted: number;
} {
  const off = new Map<string, LocalText | null>();
  const on = new Map<string, LocalText | null>();
  for (const h of file.holidays) {
    h.days.forEach((d) => off.set(d, h.name ?? null));
    (h.adjustedWorkdays ?? []).forEach((d) => on.set(d, h.name ?? null));
  }
  let workdays = 0;
  let holidays = 0;
  let adjusted = 0;
  const months: GridMonth[] = [];
  for (let m = 1; m <= 12; m++) {
    const length = new Date(Date.UTC(file.year, m, 0)).getUTCDate();
    const lead = (new Date(Date.UTC(file.year, m - 1, 1)).getUTCDay() + 6) % 7;
    const cells: Array<GridDay | null> = Array.from({ length: lead }, () => null);
    for (let d = 1; d <= length; d++) {
      const date = `${file.year}-${pad(m)}-${pad(d)}`;
      const weekday = (lead + d - 1) % 7;
      let kind: DayKind = weekday >= 5 ? 'weekend' : 'workday';
      let holiday: LocalText | null = null;
      if (on.has(date)) {
        kind = 'adjusted';
        holiday = on.get(date) ?? null;
        adjusted++;
      } else if (off.has(date)) {
        kind = 'holiday';
        holiday = off.get(date) ?? null;
        holidays++;
      }
      if (kind === 'workday' || kind === 'adjusted') workdays++;
      cells.push({ date, day: d, kind, holiday });
    }
    while (cells.length % 7) cells.push(null);
    const weeks: GridMonth['weeks'] = [];
    for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
    months.push({ month: m, weeks });
  }
  return { months, workdays, holidays, adjusted };
}
