// The words of a case: its statuses and actions, as plain lists (the schemas in cases.ts and the rules in
// cases.rules.ts are built on them; neither imports the other's values).
export const CASE_STATUSES = [
  'waiting', // 等待前置: a prerequisite item is not concluded yet
  'pending', // 待受理
  'accepted', // 已受理: the clock runs
  'reviewing', // 审查中
  'awaiting_correction', // 补正中: the clock stops
  'decided', // 已决定 (准予 or 不予)
  'concluded', // 已办结
  'refused', // 不予受理
  'withdrawn', // 已撤回
  'terminated', // 已终止 (missed 容缺 commitment, or a prerequisite not granted)
] as const;

export const CASE_ACTIONS = [
  'accept',
  'accept_with_gap',
  'refuse',
  'request_correction',
  'supply_correction',
  'start_review',
  'decide',
  'conclude',
  'supply_gap',
  'terminate',
  'withdraw',
  'release',
] as const;

/** What a case's history records: its actions, the submission, and the clock sweep's own entries. */
export const CASE_EVENT_ACTIONS = ['submit', ...CASE_ACTIONS, 'gap_overdue', 'due_recomputed'] as const;

/**
 * How far the department queue counts by default. A reviewer reads "more than 10,000 open cases" as well as the exact
 * figure, and the count then reads at most that many index entries however long the queue grows (docs/benchmarks.md,
 * the queue); count=exact still gives the exact number.
 */
export const QUEUE_COUNT_CAP = 10_000;
