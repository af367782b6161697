// Status tags with their own colours: antd's preset green and orange tags are below 4.5:1 contrast.
import { useTranslation } from 'react-i18next';
import type { ApplicationStatus } from '@onething/shared/applications';
import type { CaseStatus } from '@onething/shared/cases';

const TONE: Record<CaseStatus | ApplicationStatus, 'neutral' | 'info' | 'warn' | 'ok' | 'bad'> = {
  waiting: 'neutral',
  pending: 'info',
  accepted: 'info',
  reviewing: 'info',
  awaiting_correction: 'warn',
  decided: 'info',
  concluded: 'ok',
  refused: 'bad',
  withdrawn: 'neutral',
  terminated: 'bad',
  in_progress: 'info',
  completed: 'ok',
};

export function StatusTag({
  status,
  kind = 'case',
}: {
  status: CaseStatus | ApplicationStatus;
  kind?: 'case' | 'application';
}) {
  const { t } = useTranslation();
  return (
    <span className={`status-tag tone-${TONE[status] ?? 'neutral'}`}>
      {t(kind === 'case' ? `caseStatus.${status}` : `applicationStatus.${status}`)}
    </span>
  );
}
