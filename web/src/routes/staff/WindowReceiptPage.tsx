// The receipt the window prints for the applicant (受理回执): the application number, the one-thing, each item with
// its department and promised date (working days on the official calendar), who was served and by which window.
// The page is its own print layout: the shell, the buttons and the colours drop away on paper (window.css).
import { useNavigate, useParams } from 'react-router';
import { Button, Skeleton } from 'antd';
import { useTranslation } from 'react-i18next';
import { useLang } from '../../app/preferences';
import { pick } from '../../app/text';
import { ProblemAlert } from '../../app/ProblemAlert';
import { useApplication } from '../../features/applications/api';
import { useBundle, useDepartments } from '../../features/catalogue/api';
import { useWorkCalendar } from '../../features/calendar/api';
import { projectDueDates } from '@onething/shared/calendar';
import { useSession } from '../../features/identity/api';
import { windowProxyOf } from '../../features/window/api';
import './window.css';

export default function WindowReceiptPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const lang = useLang();
  const navigate = useNavigate();
  const session = useSession();
  const app = useApplication(id);
  const bundle = useBundle(app.data?.bundle.code, app.data?.bundle.version);
  const departments = useDepartments();
  const year = Number((app.data?.submittedOn ?? '2026').slice(0, 4));
  const { calendar } = useWorkCalendar([year, year + 1]);
  if (app.error) return <ProblemAlert error={app.error} />;
  if (app.isPending || bundle.isPending) return <Skeleton active />;
  const a = app.data;
  const me = session.data;
  const person = windowProxyOf(me)?.name ?? '';
  const items = new Map((bundle.data?.items ?? []).map((i) => [i.code, i]));
  const order = new Map((bundle.data?.items ?? []).map((i, k) => [i.code, k]));
  const cases = [...a.cases].sort((x, y) => (order.get(x.item.code) ?? 99) - (order.get(y.item.code) ?? 99));
  const projected = calendar
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
  const departmentName = (code: string) => pick(departments.data?.get(code)?.name, lang) || code;

  return (
    <article className="print-receipt" aria-labelledby="receipt-title">
      <header className="print-receipt-head">
        <h1 id="receipt-title">{t('staff.window.receiptTitle')}</h1>
        <p className="print-receipt-bundle">{pick(bundle.data?.content.name, lang) || a.bundle.code}</p>
      </header>
      <dl className="print-receipt-facts">
        <div>
          <dt>{t('receipt.number')}</dt>
          <dd className="mono" data-testid="receipt-number">
            {a.number}
          </dd>
        </div>
        <div>
          <dt>{t('staff.window.applicant')}</dt>
          <dd>{person}</dd>
        </div>
        <div>
          <dt>{t('staff.window.submittedOn')}</dt>
          <dd>{a.submittedOn}</dd>
        </div>
        <div>
          <dt>{t('staff.window.servedBy')}</dt>
          <dd>{me?.displayName}</dd>
        </div>
      </dl>
      <table className="print-receipt-table">
        <caption>{t('receipt.items', { count: a.cases.length })}</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">{t('receipt.item')}</th>
            <th scope="col">{t('receipt.department')}</th>
            <th scope="col">{t('receipt.promised')}</th>
          </tr>
        </thead>
        <tbody>
          {cases.map((c, k) => {
            const it = items.get(c.item.code);
            return (
              <tr key={c.id} data-testid={`receipt-row-${c.item.code}`}>
                <td>{k + 1}</td>
                <td>
                  {pick(it?.name, lang) || c.item.code}
                  {c.dependsOn.length > 0 && (
                    <div className="hint">
                      {t('receipt.after', {
                        items: c.dependsOn
                          .map((d) => pick(items.get(d)?.name, lang) || d)
                          .join(lang === 'zh' ? '、' : ', '),
                      })}
                    </div>
                  )}
                </td>
                <td>{departmentName(c.departmentCode)}</td>
                <td>
                  {due?.get(c.item.code) ?? '…'}
                  <div className="hint">{t('bundle.promisedDays', { count: it?.promisedDays ?? 0 })}</div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="print-receipt-total">
        {t('receipt.total', { date: a.promisedDate ?? '—', submitted: a.submittedOn })}
      </p>
      <p className="hint">{t('receipt.note')}</p>
      <p className="hint">{t('staff.window.receiptTrack')}</p>
      <div className="print-receipt-sign">
        <span>{t('staff.window.signApplicant')}</span>
        <span>{t('staff.window.signClerk')}</span>
      </div>
      <div className="no-print apply-actions">
        <Button type="primary" size="large" onClick={() => window.print()}>
          {t('receipt.print')}
        </Button>
        <Button size="large" onClick={() => navigate('/staff/window')}>
          {t('staff.window.back')}
        </Button>
      </div>
    </article>
  );
}
