// The cases' contracts (办件): the statuses and actions of a department case, the schemas of the cases' routes,
// and the rules both sides read: the transition table with its labels, `decide`, and an application's status
// from its cases. Vocabulary: accept (受理), refuse (不予受理), request_correction (补正一次性告知; the clock
// stops), accept_with_gap (容缺受理), decide (准予 / 不予), conclude (办结), waiting (等待前置).
export * from './cases.words.ts';
export * from './cases.ts';
export * from './cases.rules.ts';
export * from './errors.ts';
