// The promised date of an application (承诺办结日): along the item graph, each item finishes its promised working
// days after the latest of its prerequisites' finishes (or of the submission day); an item whose case is already
// on the clock keeps its own due date. The server promises it; the receipts project each item's date the same way.
import { type CalendarResult, ok } from './problems.ts';
import type { Workdays } from './workdays.ts';

export interface PlannedItem {
  code: string;
  /** Prerequisite items; codes not in the list are ignored. */
  dependsOn: readonly string[];
  promisedDays: number;
  /** The case's due date once it is accepted, else null. */
  dueDate: string | null;
}

// ISO dates compare as strings; they are not numbers.
const later = (a: string, b: string): string => (a > b ? a : b);

/** Each item's finish if every department accepts on its day. */
export function projectDueDates(
  items: readonly PlannedItem[],
  submittedOn: string,
  cal: Pick<Workdays, 'addWorkdays'>,
): CalendarResult<Map<string, string>> {
  const byCode = new Map(items.map((i) => [i.code, i]));
  const finish = new Map<string, string>();
  // `seen`: the items on the path to this one, so that a cycle (which the catalogue refuses) cannot recurse forever.
  const visit = (item: PlannedItem, seen: ReadonlySet<string>): CalendarResult<string> => {
    const known = finish.get(item.code);
    if (known) return ok(known);
    let f = item.dueDate;
    if (!f) {
      const next = new Set(seen).add(item.code);
      let start = submittedOn;
      for (const code of item.dependsOn) {
        const dep = byCode.get(code);
        if (!dep || next.has(code)) continue;
        const d = visit(dep, next);
        if (!d.ok) return d;
        start = later(start, d.value);
      }
      const due = cal.addWorkdays(start, item.promisedDays);
      if (!due.ok) return due;
      f = due.value;
    }
    finish.set(item.code, f);
    return ok(f);
  };
  for (const { code } of items) {
    // The last item listed under a code is the one counted, for every mention of that code.
    const f = visit(byCode.get(code) as PlannedItem, new Set());
    if (!f.ok) return f;
  }
  return ok(finish);
}

/** The application's promised date: the latest finish of its items, never before the submission day. */
export function promisedDate(
  items: readonly PlannedItem[],
  submittedOn: string,
  cal: Pick<Workdays, 'addWorkdays'>,
): CalendarResult<string> {
  const due = projectDueDates(items, submittedOn, cal);
  if (!due.ok) return due;
  return ok([...due.value.values()].reduce(later, submittedOn));
}
