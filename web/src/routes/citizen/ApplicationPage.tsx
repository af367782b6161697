// One application as the applicant follows it: each item with its department, status, due date and the
// working days left on the statutory clock, the 补正 notice saying exactly what to fix (with the way to
// supply it), a 容缺 material still owed, and the item's timeline.
import { useParams } from 'react-router';
import { Alert, Skeleton } from 'antd';
import { useTranslation } from 'react-i18next';
import { useLang } from '../../lib/preferences';
import { pick } from '../../lib/text';
import { ProblemAlert } from '../../app/ProblemAlert';
import { CaseTimeline } from '../../components/CaseTimeline';
import { StatusTag } from '../../components/StatusTag';
import type { ApplicationCase } from '@onething/shared/applications';
import { useApplication } from '../../features/applications/api';
import type { BundleDetail } from '@onething/shared/catalogue';
import { useBundle, useDepartments } from '../../features/catalogue/api';
import { useWorkCalendar } from '../../features/calendar/api';
import { todayInChina, type Workdays } from '@onething/shared/calendar';
import { findMaterial, SupplyForm } from './SupplyForm';

function DueLine({
  c,
  calendar,
  itemName,
}: {
  c: ApplicationCase;
  calendar: Workdays | null;
  itemName(code: string): string;
}) {
  const { t } = useTranslation();
  if (c.status === 'waiting')
    return <p className="due-line">{t('application.waitingFor', { items: c.dependsOn.map(itemName).join(', ') })}</p>;
  if (c.status === 'awaiting_correction')
    return (
      <p className="due-line warn-text">
        {c.pausedSince
          ? t('application.paused', { since: c.pausedSince, count: c.pausedWorkdays ?? 0 })
          : t('application.correctionBeforeAcceptance')}
      </p>
    );
  if (c.status === 'pending')
    return <p className="due-line">{t('application.pendingAcceptance', { received: c.receivedOn ?? '' })}</p>;
  if (!c.dueDate || ['concluded', 'refused', 'withdrawn', 'terminated'].includes(c.status)) return null;
  const counted = calendar?.countWorkdays(todayInChina(), c.dueDate);
  const left = counted?.ok ? counted.value : null;
  return (
    <p className={`due-line${c.overdue || (left !== null && left < 0) ? ' bad-text' : c.nearDue ? ' warn-text' : ''}`}>
      {t('application.due', { date: c.dueDate })}
      {left !== null && ' · '}
      {left !== null &&
        (left >= 0 ? t('application.daysLeft', { count: left }) : t('application.overdueBy', { count: -left }))}
    </p>
  );
}

function CaseCard({
  c,
  applicationId,
  bundle,
  departmentName,
  calendar,
}: {
  c: ApplicationCase;
  applicationId: string;
  bundle: BundleDetail | undefined;
  departmentName: string;
  calendar: Workdays | null;
}) {
  const { t } = useTranslation();
  const lang = useLang();
  const itemName = (code: string) => pick(bundle?.items.find((i) => i.code === code)?.name, lang) || code;
  const materials = bundle?.content.materials ?? [];
  const open = c.status === 'awaiting_correction' ? c.corrections.find((n) => !n.suppliedOn) : undefined;
  const past = c.corrections.filter((n) => n.suppliedOn);
  const gapOwed =
    c.toleratedGap &&
    (c.toleratedGap.status === 'open' || c.toleratedGap.status === 'overdue') &&
    ['accepted', 'reviewing'].includes(c.status);
  const titleId = `case-${c.id}`;
  return (
    <section className="case-card" aria-labelledby={titleId} data-testid={`case-${c.item.code}`}>
      <div className="case-head">
        <h2 id={titleId}>{itemName(c.item.code)}</h2>
        <StatusTag status={c.status} />
      </div>
      <p className="case-dept">{departmentName}</p>
      <DueLine c={c} calendar={calendar} itemName={itemName} />
      {c.decision && (
        <p>
          {c.decision === 'approve' ? t('application.approved') : t('application.denied')}
          {c.decisionReason ? `: ${c.decisionReason}` : ''}
        </p>
      )}
      {c.outputs.length > 0 && (
        <ul className="plain-list">
          {c.outputs.map((o) => (
            <li key={o.certificateType}>
              {t('application.issued', { name: pick(o.name, lang), number: o.number ?? '' })}
            </li>
          ))}
        </ul>
      )}
      {open && (
        <div className="correction-notice" role="region" aria-label={t('application.correctionTitle')}>
          <Alert
            type="warning"
            showIcon
            title={t('application.correctionTitle')}
            description={
              <>
                <p>{t('application.correctionIssued', { date: open.issuedOn })}</p>
                <ul className="problem-list">
                  {open.problems.map((p, k) => (
                    <li key={k}>
                      <strong>{pick(findMaterial(materials, p.material)?.name, lang) || p.material}</strong>:{' '}
                      {p.problem}
                    </li>
                  ))}
                </ul>
                {open.note && <p>{open.note}</p>}
                <p>{t('application.correctionClock')}</p>
              </>
            }
          />
          <h3>{t('application.supplyTitle')}</h3>
          <SupplyForm
            applicationId={applicationId}
            caseId={c.id}
            action="supply_correction"
            requested={open.problems}
            materials={materials}
          />
        </div>
      )}
      {gapOwed && c.toleratedGap && (
        <div className="correction-notice">
          <Alert
            type={c.toleratedGap.status === 'overdue' ? 'error' : 'info'}
            showIcon
            title={t('application.gapTitle', { date: c.toleratedGap.dueDate })}
            description={c.toleratedGap.commitment}
          />
          <SupplyForm
            applicationId={applicationId}
            caseId={c.id}
            action="supply_gap"
            requested={c.toleratedGap.materials.map((m) => ({ material: m }))}
            materials={materials}
          />
        </div>
      )}
      {past.length > 0 && (
        <details className="past-corrections">
          <summary>{t('application.pastCorrections', { count: past.length })}</summary>
          <ul>
            {past.map((n) => (
              <li key={n.id}>
                {t('application.correctionSupplied', { issued: n.issuedOn, supplied: n.suppliedOn })}
                <ul>
                  {n.problems.map((p, k) => (
                    <li key={k}>
                      {pick(findMaterial(materials, p.material)?.name, lang) || p.material}: {p.problem}
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        </details>
      )}
      <h3 className="timeline-title">{t('application.timeline')}</h3>
      <CaseTimeline events={c.timeline} />
    </section>
  );
}

export default function ApplicationPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const lang = useLang();
  const app = useApplication(id);
  const bundle = useBundle(app.data?.bundle.code, app.data?.bundle.version);
  const departments = useDepartments();
  const today = todayInChina();
  const years = [
    Number(today.slice(0, 4)),
    ...(app.data?.cases.map((c) => Number((c.dueDate ?? today).slice(0, 4))) ?? []),
  ];
  const { calendar } = useWorkCalendar(years);
  if (app.error) return <ProblemAlert error={app.error} />;
  if (app.isPending) return <Skeleton active />;
  const a = app.data;
  const order = new Map((bundle.data?.items ?? []).map((i, k) => [i.code, k]));
  const cases = [...a.cases].sort((x, y) => (order.get(x.item.code) ?? 99) - (order.get(y.item.code) ?? 99));
  return (
    <div className="application">
      <header className="page-header">
        <p className="eyebrow">{t('application.eyebrow')}</p>
        <h1 className="page-title">{pick(bundle.data?.content.name, lang) || a.bundle.code}</h1>
        <dl className="facts">
          <div>
            <dt>{t('receipt.number')}</dt>
            <dd data-testid="application-number">{a.number}</dd>
          </div>
          <div>
            <dt>{t('application.status')}</dt>
            <dd>
              <StatusTag status={a.status} kind="application" />
            </dd>
          </div>
          <div>
            <dt>{t('application.submittedOn')}</dt>
            <dd>{a.submittedOn}</dd>
          </div>
          <div>
            <dt>{t('application.promisedDate')}</dt>
            <dd>
              {a.promisedDate ?? '—'}
              {a.promisedDateProvisional && <div className="hint">{t('application.provisional')}</div>}
            </dd>
          </div>
        </dl>
      </header>
      {cases.map((c) => (
        <CaseCard
          key={c.id}
          c={c}
          applicationId={a.id}
          bundle={bundle.data}
          departmentName={pick(departments.data?.get(c.departmentCode)?.name, lang) || c.departmentCode}
          calendar={calendar}
        />
      ))}
    </div>
  );
}
