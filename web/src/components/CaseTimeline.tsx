// One case's history as the applicant sees it: each step with its day and, where there is one, the reason.
import { Timeline } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CaseTimelineEvent } from '@onething/shared/applications';

export function CaseTimeline({ events }: { events: CaseTimelineEvent[] }) {
  const { t } = useTranslation();
  return (
    <Timeline
      className="case-timeline"
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
        content: (
          <div>
            <span className="timeline-action">{t(`caseAction.${e.action}`, { defaultValue: e.action })}</span>
            <span className="timeline-day">
              <time dateTime={e.at}>{e.day}</time>
            </span>
            {e.reason && <div className="timeline-reason">{e.reason}</div>}
          </div>
        ),
      }))}
    />
  );
}
