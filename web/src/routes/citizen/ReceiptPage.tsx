// The receipt (回执) after the one submission: the application number and each item's promised date,
// counted in working days from the official calendar, items that wait for another starting after it.
import { useNavigate, useParams } from 'react-router';
import { Button, Result, Skeleton } from 'antd';
import { useTranslation } from 'react-i18next';
import { useLang } from '../../app/preferences';
import { pick } from '../../app/text';
import { ProblemAlert } from '../../app/ProblemAlert';
import { useApplication } from '../../features/applications/api';
import { useBundle, useDepartments } from '../../features/catalogue/api';
import { useWorkCalendar } from '../../features/calendar/api';
import { projectDueDates } from '@onething/shared/calendar';

export default function ReceiptPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const lang = useLang();
  const navigate = useNavigate();
  const app = useApplication(id);
  const bundle = useBundle(app.data?.bundle.code, app.data?.bundle.version);
  const departments = useDepartments();
  const year = Number((app.data?.submittedOn ?? '2026').slice(0, 4));
  const { calendar } = useWorkCalendar([year, year + 1]);
  if (app.error) return <ProblemAlert error={app.error} />;
  if (app.isPending || bundle.isPending) return <Skeleton active />;
  const a = app.data;
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

  return (
    <div className="receipt">
      <Result
        status="success"
        title={<h1 className="result-title">{t('receipt.title')}</h1>}
        subTitle={
          <>
            <span className="receipt-label">{t('receipt.number')}</span>{' '}
            <strong className="receipt-number" data-testid="application-number">
              {a.number}
            </strong>
          </>
        }
      />
      <section className="panel" aria-labelledby="receipt-items">
        <h2 id="receipt-items">{t('receipt.items', { count: a.cases.length })}</h2>
        <table className="receipt-table">
          <thead>
            <tr>
              <th scope="col">{t('receipt.item')}</th>
              <th scope="col">{t('receipt.department')}</th>
              <th scope="col">{t('receipt.promised')}</th>
            </tr>
          </thead>
          <tbody>
            {cases.map((c) => {
              const it = items.get(c.item.code);
              return (
                <tr key={c.id}>
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
                  <td>{pick(departments.data?.get(c.departmentCode)?.name, lang) || c.departmentCode}</td>
                  <td>
                    {due?.get(c.item.code) ?? '…'}
                    <div className="hint">{t('bundle.promisedDays', { count: it?.promisedDays ?? 0 })}</div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <p className="receipt-total">
          {t('receipt.total', { date: a.promisedDate ?? '—', submitted: a.submittedOn })}
          {a.promisedDateProvisional && <span className="hint"> {t('application.provisional')}</span>}
        </p>
        <p className="hint">{t('receipt.note')}</p>
      </section>
      <div className="apply-actions">
        <Button type="primary" size="large" onClick={() => navigate(`/applications/${a.id}`)}>
          {t('receipt.track')}
        </Button>
        <Button size="large" onClick={() => window.print()}>
          {t('receipt.print')}
        </Button>
        <Button size="large" onClick={() => navigate('/')}>
          {t('nav.home')}
        </Button>
      </div>
    </div>
  );
}
