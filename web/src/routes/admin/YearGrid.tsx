// Twelve month grids of one year of the official calendar. Each day says what it is in words (its accessible
// name, its tooltip, and a one-character mark: 休 for a holiday, 班 for an adjusted working day), not by colour
// alone; a legend and the year's count of working days above.
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useLang } from '../../lib/preferences';
import { pick } from '../../lib/text';
import { yearGrid, type GridDay, type YearFile } from '../../features/calendar/yearGrid';
import './calendar.css';

export function YearGrid({ file, testId }: { file: YearFile; testId?: string }) {
  const { t } = useTranslation();
  const lang = useLang();
  const grid = useMemo(() => yearGrid(file), [file]);
  const weekdays = t('admin.calendar.weekdays').split(',');
  const label = (d: GridDay) =>
    [
      t('admin.calendar.dayLabel', { month: Number(d.date.slice(5, 7)), day: d.day }),
      d.holiday ? pick(d.holiday, lang) : null,
      t(`admin.calendar.kind.${d.kind}`),
    ]
      .filter(Boolean)
      .join(' ');
  return (
    <div className="year-grid" data-testid={testId}>
      <div className="year-grid-summary">
        <strong data-testid={testId ? `${testId}-workdays` : undefined}>
          {t('admin.calendar.workdays', { year: file.year, count: grid.workdays })}
        </strong>
        <span className="muted">
          {t('admin.calendar.counts', { holidays: grid.holidays, adjusted: grid.adjusted })}
        </span>
        <ul className="year-grid-legend" aria-label={t('admin.calendar.legend')}>
          <li>
            <span className="yg-swatch yg-holiday" aria-hidden="true">
              {t('admin.calendar.mark.holiday')}
            </span>
            {t('admin.calendar.kind.holiday')}
          </li>
          <li>
            <span className="yg-swatch yg-adjusted" aria-hidden="true">
              {t('admin.calendar.mark.adjusted')}
            </span>
            {t('admin.calendar.kind.adjusted')}
          </li>
          <li>
            <span className="yg-swatch yg-weekend" aria-hidden="true" />
            {t('admin.calendar.kind.weekend')}
          </li>
          <li>
            <span className="yg-swatch yg-workday" aria-hidden="true" />
            {t('admin.calendar.kind.workday')}
          </li>
        </ul>
      </div>
      <div className="year-grid-months">
        {grid.months.map((m) => (
          <table key={m.month} className="year-grid-month">
            <caption>{t('admin.calendar.month', { year: file.year, month: m.month })}</caption>
            <thead>
              <tr>
                {weekdays.map((w) => (
                  <th key={w} scope="col">
                    {w}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {m.weeks.map((week, i) => (
                <tr key={i}>
                  {week.map((d, j) =>
                    d ? (
                      <td
                        key={j}
                        className={`yg-day yg-${d.kind}`}
                        data-date={d.date}
                        data-kind={d.kind}
                        title={label(d)}
                        aria-label={label(d)}
                      >
                        <span aria-hidden="true" className="yg-num">
                          {d.day}
                        </span>
                        {(d.kind === 'holiday' || d.kind === 'adjusted') && (
                          <span aria-hidden="true" className="yg-mark">
                            {t(`admin.calendar.mark.${d.kind}`)}
                          </span>
                        )}
                      </td>
                    ) : (
                      <td key={j} className="yg-pad" />
                    ),
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      </div>
    </div>
  );
}
