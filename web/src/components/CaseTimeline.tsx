// One case's history, each step with its day and, where there is one, the reason. The applicant sees the steps
// alone; the reviewer also sees the status each step moved the case from and to.
import { Timeline } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CaseTimelineEvent } from '@onething/shared/applications';

type Step = Pick<CaseTimelineEvent, 'at' | 'day' | 'action' | 'from' | 'to' | 'reason'>;

export function CaseTimeline({ events, audience = 'applicant' }: { events: Step[]; audience?: 'applicant' | 'staff' }) {
  const { t } = useTranslation();
  const action = (e: Step) => t(`caseAction.${e.action}`, { defaultValue: e.action });
  return (
    <Timeline
      className={audience === 'applicant' ? 'case-timeline' : undefined}
      items={events.map((e, i) => ({
        key: `${e.at}-${i}`,
        color:
          e.action === 'request_correction'
            ? 'orange'
            : e.to === 'concluded'
              ? 'green'
              : e.to === 'refused' || e.to === 'terminated'
                ? 'red'
                : 'blue',
        content:
          audience === 'applicant' ? (
            <div>
              <span className="timeline-action">{action(e)}</span>
              <span className="timeline-day">
                <time dateTime={e.at}>{e.day}</time>
              </span>
              {e.reason && <div className="timeline-reason">{e.reason}</div>}
            </div>
          ) : (
            <div>
              <strong>{action(e)}</strong> <time dateTime={e.at}>{e.day}</time>
              <div className="muted">
                {e.from ? `${t(`caseStatus.${e.from}`)} → ` : ''}
                {t(`caseStatus.${e.to}`)}
              </div>
              {e.reason && <div>{e.reason}</div>}
            </div>
          ),
      }))}
    />
  );
}
