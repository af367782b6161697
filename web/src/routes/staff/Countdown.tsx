// Working days left until a due date, counted on the official calendar (holidays and 调休), in China's day.
import { useTranslation } from 'react-i18next';
import type { Workdays } from '@onething/shared/calendar';

export function Countdown({
  due,
  today,
  calendar,
  paused,
}: {
  due: string | null;
  today: string;
  calendar: Workdays | null;
  paused?: boolean;
}) {
  const { t } = useTranslation();
  if (paused) return <span className="status-tag tone-warn">{t('staff.countdown.paused')}</span>;
  if (!due) return <span className="muted">{t('staff.countdown.notStarted')}</span>;
  if (!calendar) return <span className="muted">…</span>;
  const counted = calendar.countWorkdays(today, due);
  if (!counted.ok) return <span className="muted">…</span>;
  const left = counted.value;
  if (left < 0) return <span className="status-tag tone-bad">{t('staff.countdown.overdue', { count: -left })}</span>;
  if (left === 0) return <span className="status-tag tone-warn">{t('staff.countdown.today')}</span>;
  return (
    <span className={`status-tag ${left <= 1 ? 'tone-warn' : 'tone-info'}`}>
      {t('staff.countdown.left', { count: left })}
    </span>
  );
}

export function yearsOf(today: string, days: Array<string | null | undefined>): number[] {
  return [...new Set([today, ...days].filter((d): d is string => !!d).map((d) => Number(d.slice(0, 4))))];
}
