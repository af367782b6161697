// The receipt (回执) after the one submission: the application number and each item's promised date,
// counted in working days from the official calendar, items that wait for another starting after it.
import { useNavigate, useParams } from 'react-router';
import { Button, Result, Skeleton } from 'antd';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../../app/ProblemAlert';
import { ReceiptCells, useReceipt } from '../../features/applications/receipt';

export default function ReceiptPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const receipt = useReceipt(id);
  if (receipt.error) return <ProblemAlert error={receipt.error} />;
  if (receipt.isPending || !receipt.application) return <Skeleton active />;
  const a = receipt.application;

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
            {receipt.rows.map((row) => (
              <tr key={row.case.id}>
                <ReceiptCells row={row} receipt={receipt} />
              </tr>
            ))}
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
