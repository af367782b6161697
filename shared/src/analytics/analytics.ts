// Analytics' contracts: the dashboard's case figures within the caller's jurisdiction.
import { z } from 'zod';

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
const Count = z.number().int();
/** A share in [0, 1] to four decimals; null when there is nothing to divide. */
const Rate = z.number().min(0).max(1).nullable();

/** How many of the slowest steps are listed unless the caller asks for another number. */
export const SLOWEST_STEPS_DEFAULT = 10;

export const CaseStatsQuery = z
  .object({
    from: Day.optional(),
    to: Day.optional(),
    top: z.coerce
      .number()
      .int()
      .min(1)
      .max(50)
      .optional()
      .describe(`How many of the slowest steps to list (default ${SLOWEST_STEPS_DEFAULT})`),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'to must not be before from', path: ['to'] })
  .refine((q) => !q.from || !q.to || (Date.parse(q.to) - Date.parse(q.from)) / 86400_000 <= 366, {
    message: 'at most 366 days',
    path: ['from'],
  });
export type CaseStatsQuery = z.input<typeof CaseStatsQuery>;

/**
 * Figures now (open, overdue, near due, by status, department and region) and over the window [from, to]. A staff
 * account without a jurisdiction gets `jurisdiction: null` and nothing counted.
 */
export const CaseStats = z.object({
  jurisdiction: z.string().nullable(),
  from: z.string(),
  to: z.string(),
  open: Count,
  overdue: Count,
  nearDue: Count,
  byStatus: z.array(z.object({ status: z.string(), count: Count })),
  byDepartment: z.array(
    z.object({ departmentCode: z.string(), open: Count, overdue: Count, nearDue: Count, total: Count }),
  ),
  submissionsPerDay: z.array(z.object({ day: z.string(), count: Count })),
  perBundle: z
    .array(z.object({ bundleCode: z.string(), count: Count }))
    .describe('Applications submitted in the window, by bundle'),
  onTime: z
    .object({
      concluded: Count,
      onTime: Count,
      rate: Rate,
      byDepartment: z.array(z.object({ departmentCode: z.string(), concluded: Count, onTime: Count, rate: Rate })),
    })
    .describe(
      'Cases concluded in the window, and those concluded by their due date (the promised limit, moved by 补正 pauses)',
    ),
  overdueByRegion: z
    .array(z.object({ regionCode: z.string(), regionName: z.string().nullable(), overdue: Count }))
    .describe('Open overdue cases by the region (GB/T 2260) of the case'),
  workdaysPerItem: z
    .array(z.object({ itemCode: z.string(), concluded: Count, avgWorkdays: z.number() }))
    .describe('Cases concluded in the window: average working days from acceptance to conclusion, less 补正 pauses'),
  slowestSteps: z
    .array(z.object({ itemCode: z.string(), status: z.string(), stays: Count, avgWorkdays: z.number() }))
    .describe(
      '堵点: per item and state, the average working days a case stayed in it, of the stays that ended in the window; longest first',
    ),
});
export type CaseStats = z.infer<typeof CaseStats>;
