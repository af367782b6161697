// The receipt the window prints for the applicant (受理回执): the application number, the one-thing, each item with
// its department and promised date (working days on the official calendar), who was served and by which window.
// The page is its own print layout: the shell, the buttons and the colours drop away on paper (window.css).
import { useNavigate, useParams } from 'react-router';
import { Button, Skeleton } from 'antd';
import { useTranslation } from 'react-i18next';
import { useLang } from '../../lib/preferences';
import { ProblemAlert } from '../../app/ProblemAlert';
import { pick } from '../../lib/text';
import { ReceiptCells, useReceipt } from '../../features/applications/receipt';
import { useSession } from '../../features/identity/api';
import { windowProxyOf } from '../../features/identity/window';
import './window.css';

export default function WindowReceiptPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const lang = useLang();
  const navigate = useNavigate();
  const session = useSession();
  const receipt = useReceipt(id);
  if (receipt.error) return <ProblemAlert error={receipt.error} />;
  if (receipt.isPending || !receipt.application) return <Skeleton active />;
  const a = receipt.application;
  const me = session.data;
  const person = windowProxyOf(me)?.name ?? '';

  return (
    <article className="print-receipt" aria-labelledby="receipt-title">
      <header className="print-receipt-head">
        <h1 id="receipt-title">{t('staff.window.receiptTitle')}</h1>
        <p className="print-receipt-bundle">{pick(receipt.bundle?.content.name, lang) || a.bundle.code}</p>
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
          {receipt.rows.map((row, k) => (
            <tr key={row.case.id} data-testid={`receipt-row-${row.case.item.code}`}>
              <td>{k + 1}</td>
              <ReceiptCells row={row} receipt={receipt} />
            </tr>
          ))}
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
