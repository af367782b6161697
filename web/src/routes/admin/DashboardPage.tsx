// Dashboards (运行监测): the figures of GET /api/v1/stats/cases, within the viewer's jurisdiction — open, near-due
// and overdue cases, cases by department and by status, submissions per day over the last 30 days.
import { useMemo } from 'react';
import { Card, Skeleton, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../../app/ProblemAlert';
import { useLang } from '../../app/preferences';
import { pick } from '../../app/text';
import { EChart } from '../../components/EChart';
import { useDepartments } from '../../features/catalogue/api';
import { useCaseStats } from '../../features/admin/api';

export default function DashboardPage() {
  const { t } = useTranslation();
  const lang = useLang();
  const stats = useCaseStats();
  const departments = useDepartments();
  const s = stats.data;
  const options = useMemo(() => {
    if (!s) return null;
    const dept = s.byDepartment.map((d) => pick(departments.data?.get(d.departmentCode)?.name, lang) || d.departmentCode);
    return {
      department: {
        tooltip: { trigger: 'axis' },
        legend: { bottom: 0 },
        grid: { left: 200, right: 24, top: 16, bottom: 48 },
        xAxis: { type: 'value', minInterval: 1 },
        yAxis: { type: 'category', data: dept, inverse: true },
        series: [
          { name: t('admin.dashboard.open'), type: 'bar', data: s.byDepartment.map((d) => d.open), label: { show: true, position: 'right' } },
          { name: t('admin.dashboard.nearDue'), type: 'bar', data: s.byDepartment.map((d) => d.nearDue), itemStyle: { color: '#d48806' } },
          { name: t('admin.dashboard.overdue'), type: 'bar', data: s.byDepartment.map((d) => d.overdue), itemStyle: { color: '#cf1322' } },
        ],
      },
      status: {
        tooltip: { trigger: 'item' },
        legend: { bottom: 0 },
        series: [{ type: 'pie', radius: ['35%', '65%'], label: { formatter: '{c}' }, data: s.byStatus.map((b) => ({ name: t(`caseStatus.${b.status}`), value: b.count })) }],
      },
      perDay: {
        tooltip: { trigger: 'axis' },
        grid: { left: 48, right: 24, top: 16, bottom: 32 },
        xAxis: { type: 'category', data: s.submissionsPerDay.map((d) => d.day.slice(5)) },
        yAxis: { type: 'value', minInterval: 1 },
        series: [{ name: t('admin.dashboard.submissions'), type: 'line', data: s.submissionsPerDay.map((d) => d.count), areaStyle: {} }],
      },
    };
  }, [s, departments.data, lang, t]);

  return (
    <>
      <Typography.Title level={1}>{t('admin.dashboard.title')}</Typography.Title>
      <ProblemAlert error={stats.error} />
      {!s || !options ? (
        <Skeleton active />
      ) : (
        <>
          <p className="muted">{t('admin.dashboard.scope', { jurisdiction: s.jurisdiction ?? '—', from: s.from, to: s.to })}</p>
          <div className="admin-figures">
            {(
              [
                ['open', s.open],
                ['nearDue', s.nearDue],
                ['overdue', s.overdue],
                ['submissions', s.submissionsPerDay.reduce((n, d) => n + d.count, 0)],
              ] as const
            ).map(([k, v]) => (
              <div className="admin-figure" key={k} data-testid={`figure-${k}`}>
                <span className="muted">{t(`admin.dashboard.${k}`)}</span>
                <strong>{v}</strong>
              </div>
            ))}
          </div>
          <Card title={<h2 className="card-title">{t('admin.dashboard.byDepartment')}</h2>}>
            <EChart option={options.department} height={Math.max(200, 48 * s.byDepartment.length + 80)} label={t('admin.dashboard.byDepartment')} testId="chart-department" />
          </Card>
          <div className="admin-charts">
            <Card title={<h2 className="card-title">{t('admin.dashboard.byStatus')}</h2>}>
              <EChart option={options.status} height={300} label={t('admin.dashboard.byStatus')} testId="chart-status" />
            </Card>
            <Card title={<h2 className="card-title">{t('admin.dashboard.perDay')}</h2>}>
              <EChart option={options.perDay} height={300} label={t('admin.dashboard.perDay')} testId="chart-per-day" />
            </Card>
          </div>
        </>
      )}
    </>
  );
}
