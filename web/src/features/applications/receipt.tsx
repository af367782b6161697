// A receipt (回执) of one submission, as the applicant's page and the window's printed receipt both show it: the
// application's cases in the bundle's order, each with its item, department and promised date counted on the
// official calendar, and the items each waits for.
import { useTranslation } from 'react-i18next';
import type { ApplicationCase } from '@onething/shared/applications';
import type { BundleDetail } from '@onething/shared/catalogue';
import { projectDueDates } from '@onething/shared/calendar';
import { useLang } from '../../lib/preferences';
import { pick } from '../../lib/text';
import { useBundle, useDepartments } from '../catalogue/api';
import { useWorkCalendar } from '../calendar/api';
import { useApplication } from './api';

type BundleItem = BundleDetail['items'][number];

export interface ReceiptRow {
  case: ApplicationCase;
  item: BundleItem | undefined;
  /** The promised date, or null while the calendar is loading or cannot count it. */
  due: string | null;
}

export function useReceipt(id: string | undefined) {
  const app = useApplication(id);
  const bundle = useBundle(app.data?.bundle.code, app.data?.bundle.version);
  const departments = useDepartments();
  const year = Number((app.data?.submittedOn ?? '2026').slice(0, 4));
  const { calendar } = useWorkCalendar([year, year + 1]);
  const a = app.data;
  const items = new Map((bundle.data?.items ?? []).map((i) => [i.code, i]));
  const order = new Map((bundle.data?.items ?? []).map((i, k) => [i.code, k]));
  const projected =
    a && calendar
      ? projectDueDates(
          a.cases.map((c) => ({
            code: c.item.code,
            dependsOn: c.dependsOn,
            promisedDays: items.get(c.item.code)?.promisedDays ?? 0,
            dueDate: c.dueDate,
          })),
          a.submittedOn,
          calendar,
        )
      : null;
  const due = projected?.ok ? projected.value : null;
  const rows: ReceiptRow[] = [...(a?.cases ?? [])]
    .sort((x, y) => (order.get(x.item.code) ?? 99) - (order.get(y.item.code) ?? 99))
    .map((c) => ({ case: c, item: items.get(c.item.code), due: due?.get(c.item.code) ?? null }));
  return {
    error: app.error,
    isPending: app.isPending || bundle.isPending,
    application: a,
    bundle: bundle.data,
    rows,
    itemName: (code: string, lang: 'zh' | 'en') => pick(items.get(code)?.name, lang) || code,
    departmentName: (code: string, lang: 'zh' | 'en') => pick(departments.data?.get(code)?.name, lang) || code,
  };
}

/** The item, department and promised-date cells of one receipt row. */
export function ReceiptCells({ row, receipt }: { row: ReceiptRow; receipt: ReturnType<typeof useReceipt> }) {
  const { t } = useTranslation();
  const lang = useLang();
  const c = row.case;
  return (
    <>
      <td>
        {receipt.itemName(c.item.code, lang)}
        {c.dependsOn.length > 0 && (
          <div className="hint">
            {t('receipt.after', {
              items: c.dependsOn.map((d) => receipt.itemName(d, lang)).join(lang === 'zh' ? '、' : ', '),
            })}
          </div>
        )}
      </td>
      <td>{receipt.departmentName(c.departmentCode, lang)}</td>
      <td>
        {row.due ?? '…'}
        <div className="hint">{t('bundle.promisedDays', { count: row.item?.promisedDays ?? 0 })}</div>
      </td>
    </>
  );
}
