// zod issues as field errors in both languages: the server answers a request that fails its schema with them,
// and the catalogue's checks report a document's problems the same way.
import { z } from 'zod';
import { BILINGUAL } from '../catalogue/catalogue.ts';
import { toPointer, type FieldError } from './problem.ts';

const zhLocale = z.locales.zhCN();
const enLocale = z.locales.en();

function localeMessage(locale: ReturnType<typeof z.locales.en>, issue: z.core.$ZodIssue): string | undefined {
  const out = locale.localeError(issue as unknown as z.core.$ZodRawIssue);
  if (typeof out === 'string') return out;
  return out?.message;
}

/** zod issues → field errors, in both languages; the pointer names the field within its part. */
export function issuesToFieldErrors(issues: z.core.$ZodIssue[], prefix: ReadonlyArray<PropertyKey> = []): FieldError[] {
  return issues.flatMap((issue): FieldError[] => {
    // A union reports each branch's issues; name the deepest ones so the caller sees the real field.
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const best = issue.errors.reduce((a, b) => (depth(b) > depth(a) ? b : a));
      if (depth(best) > 0) return issuesToFieldErrors(best, [...prefix, ...issue.path]);
    }
    const path = [...prefix, ...issue.path];
    // A schema's own message (a refinement, a pattern hint) is kept as written; zod's defaults are localised.
    const enDefault = localeMessage(enLocale, issue);
    const customised = enDefault !== undefined && issue.message !== enDefault;
    const [ownZh, ownEn] = issue.message.includes(BILINGUAL)
      ? issue.message.split(BILINGUAL)
      : [issue.message, issue.message];
    const en = ownEn!;
    const zh = customised ? ownZh! : (localeMessage(zhLocale, issue) ?? issue.message);
    return [{ pointer: toPointer(path), code: `schema.${issue.code}`, detail: { zh, en } }];
  });
}

function depth(issues: z.core.$ZodIssue[]): number {
  return Math.max(0, ...issues.map((i) => i.path.length + (i.code === 'invalid_union' ? 1 : 0)));
}
