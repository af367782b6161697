// Dashboards (运行监测): the figures of GET /api/v1/stats/cases, within the viewer's jurisdiction — open, near-due
// and overdue cases now, by department, status and region; over the window (the last 30 days) submissions per day
// and per bundle, the on-time rate overall and per department, average working days per item and the slowest
// steps (堵点). Every number shown is the API's, formatted only (rates as percentages to one decimal).
import { useMemo, type ReactNode } from 'react';
import { Card, Empty, Skeleton, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../../app/ProblemAlert';
import { useLang } from '../../lib/preferences';
import { pick } from '../../lib/text';
import { EChart } from '../../components/EChart';
import { useBundles, useDepartments, useItemNames } from '../../features/catalogue/api';
import type { CaseStats } from '@onething/shared/analytics';
import { useCaseStats } from '../../features/analytics/api';

/** A share in [0, 1] as the page shows it: "75.0%"; no share (nothing concluded) is "—". */
export function percent(rate: number | null): string {
  return rate === null ? '—' : `${(rate * 100).toFixed(1)}%`;
}

/** A horizontal bar chart of one series: categories down the side, longest labels given room. */
function bars(names: string[], values: number[], series: string, opts: { color?: string; percent?: boolean } = {}) {
  return {
    tooltip: { trigger: 'axis' },
    grid: { left: 8, right: 56, top: 8, bottom: 8, containLabel: true },
    xAxis: {
      type: 'value',
      minInterval: 1,
      ...(opts.percent ? { max: 100, axisLabel: { formatter: '{value}%' } } : {}),
    },
    yAxis: { type: 'category', data: names, inverse: true, axisLabel: { width: 180, overflow: 'truncate' } },
    series: [
      {
        name: series,
        type: 'bar',
        data: values,
        barMaxWidth: 28,
        label: {
          show: true,
          position: 'right',
          ...(opts.percent ? { formatter: (p: { value: number }) => `${p.value.toFixed(1)}%` } : {}),
        },
        ...(opts.color ? { itemStyle: { color: opts.color } } : {}),
      },
    ],
  };
}
const barsHeight = (n: number) => Math.max(160, 40 * n + 40);

function ChartCard({
  title,
  note,
  empty,
  children,
  testId,
}: {
  title: string;
  note?: string;
  empty: boolean;
  children: ReactNode;
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <Card title={<h2 className="card-title">{title}</h2>} data-testid={`card-${testId}`}>
      {note && (
        <p className="muted" style={{ marginTop: 0 }}>
          {note}
        </p>
      )}
      {empty ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('admin.dashboard.none')} /> : children}
    </Card>
  );
}

export default function DashboardPage() {
  const { t } = useTranslation();
  const lang = useLang();
  const stats = useCaseStats();
  const departments = useDepartments();
  const items = useItemNames();
  const bundles = useBundles({ limit: 100 });
  const s: CaseStats | undefined = stats.data;
  const deptName = (code: string) => pick(departments.data?.get(code)?.name, lang) || code;
  const itemName = (code: string) => pick(items.data?.get(code), lang) || code;
  const bundleName = (code: string) => pick(bundles.data?.items.find((b) => b.code === code)?.name, lang) || code;
  const options = useMemo(() => {
    if (!s) return null;
    const dept = s.byDepartment.map((d) => deptName(d.departmentCode));
    return {
      department: {
        tooltip: { trigger: 'axis' },
        legend: { bottom: 0 },
        grid: { left: 200, right: 24, top: 16, bottom: 48 },
        xAxis: { type: 'value', minInterval: 1 },
        yAxis: { type: 'category', data: dept, inverse: true },
        series: [
          {
            name: t('admin.dashboard.open'),
            type: 'bar',
            data: s.byDepartment.map((d) => d.open),
            label: { show: true, position: 'right' },
          },
          {
            name: t('admin.dashboard.nearDue'),
            type: 'bar',
            data: s.byDepartment.map((d) => d.nearDue),
            itemStyle: { color: '#d48806' },
          },
          {
            name: t('admin.dashboard.overdue'),
            type: 'bar',
            data: s.byDepartment.map((d) => d.overdue),
            itemStyle: { color: '#cf1322' },
          },
        ],
      },
      status: {
        tooltip: { trigger: 'item' },
        legend: { bottom: 0 },
        series: [
          {
            type: 'pie',
            radius: ['35%', '65%'],
            label: { formatter: '{c}' },
            data: s.byStatus.map((b) => ({ name: t(`caseStatus.${b.status}`), value: b.count })),
          },
        ],
      },
      perDay: {
        tooltip: { trigger: 'axis' },
        grid: { left: 48, right: 24, top: 16, bottom: 32 },
        xAxis: { type: 'category', data: s.submissionsPerDay.map((d) => d.day.slice(5)) },
        yAxis: { type: 'value', minInterval: 1 },
        series: [
          {
            name: t('admin.dashboard.submissions'),
            type: 'line',
            data: s.submissionsPerDay.map((d) => d.count),
            areaStyle: {},
          },
        ],
      },
      perBundle: bars(
        s.perBundle.map((b) => bundleName(b.bundleCode)),
        s.perBundle.map((b) => b.count),
        t('admin.dashboard.perBundle'),
      ),
      // Percent to one decimal, as the figure above shows it; a department with nothing concluded has no bar.
      onTime: bars(
        s.onTime.byDepartment.map((d) => deptName(d.departmentCode)),
        s.onTime.byDepartment.map((d) => (d.rate === null ? 0 : Number((d.rate * 100).toFixed(1)))),
        t('admin.dashboard.rate'),
        { color: '#389e0d', percent: true },
      ),
      overdueByRegion: bars(
        s.overdueByRegion.map((r) => r.regionName ?? r.regionCode),
        s.overdueByRegion.map((r) => r.overdue),
        t('admin.dashboard.overdue'),
        { color: '#cf1322' },
      ),
      workdays: bars(
        s.workdaysPerItem.map((i) => itemName(i.itemCode)),
        s.workdaysPerItem.map((i) => i.avgWorkdays),
        t('admin.dashboard.avgWorkdays'),
        { color: '#1d39c4' },
      ),
    };
  }, [s, departments.data, items.data, bundles.data, lang, t]);

  return (
    <>
      <Typography.Title level={1}>{t('admin.dashboard.title')}</Typography.Title>
      <ProblemAlert error={stats.error} />
      {!s || !options ? (
        <Skeleton active />
      ) : (
        <>
          <p className="muted">
            {t('admin.dashboard.scope', { jurisdiction: s.jurisdiction ?? '—', from: s.from, to: s.to })}
          </p>
          {/* Five figures in one row at the console's width (admin.css's columns fit four). */}
          <div className="admin-figures" style={{ gridTemplateColumns: 'repeat(auto-fill, minmax(150px, 1fr))' }}>
            {(
              [
                ['open', String(s.open)],
                ['nearDue', String(s.nearDue)],
                ['overdue', String(s.overdue)],
                ['submissions', String(s.submissionsPerDay.reduce((n, d) => n + d.count, 0))],
                ['onTimeRate', percent(s.onTime.rate)],
              ] as const
            ).map(([k, v]) => (
              <div className="admin-figure" key={k} data-testid={`figure-${k}`}>
                <span className="muted">{t(`admin.dashboard.${k}`)}</span>
                <strong>{v}</strong>
                {k === 'onTimeRate' && (
                  <span className="muted">
                    {t('admin.dashboard.onTimeOf', { onTime: s.onTime.onTime, concluded: s.onTime.concluded })}
                  </span>
                )}
              </div>
            ))}
          </div>
          <Card title={<h2 className="card-title">{t('admin.dashboard.byDepartment')}</h2>}>
            <EChart
              option={options.department}
              height={Math.max(200, 48 * s.byDepartment.length + 80)}
              label={t('admin.dashboard.byDepartment')}
              testId="chart-department"
            />
          </Card>
          <div className="admin-charts">
            <Card title={<h2 className="card-title">{t('admin.dashboard.byStatus')}</h2>}>
              <EChart
                option={options.status}
                height={300}
                label={t('admin.dashboard.byStatus')}
                testId="chart-status"
              />
            </Card>
            <Card title={<h2 className="card-title">{t('admin.dashboard.perDay')}</h2>}>
              <EChart option={options.perDay} height={300} label={t('admin.dashboard.perDay')} testId="chart-per-day" />
            </Card>
          </div>
          <div className="admin-charts">
            <ChartCard title={t('admin.dashboard.perBundle')} empty={s.perBundle.length === 0} testId="per-bundle">
              <EChart
                option={options.perBundle}
                height={barsHeight(s.perBundle.length)}
                label={t('admin.dashboard.perBundle')}
                testId="chart-per-bundle"
              />
            </ChartCard>
            <ChartCard
              title={t('admin.dashboard.onTimeByDepartment')}
              empty={s.onTime.byDepartment.length === 0}
              testId="on-time"
            >
              <EChart
                option={options.onTime}
                height={barsHeight(s.onTime.byDepartment.length)}
                label={t('admin.dashboard.onTimeByDepartment')}
                testId="chart-on-time"
              />
            </ChartCard>
          </div>
          <div className="admin-charts">
            <ChartCard
              title={t('admin.dashboard.overdueByRegion')}
              empty={s.overdueByRegion.length === 0}
              testId="overdue-region"
            >
              <EChart
                option={options.overdueByRegion}
                height={barsHeight(s.overdueByRegion.length)}
                label={t('admin.dashboard.overdueByRegion')}
                testId="chart-overdue-region"
              />
            </ChartCard>
            <ChartCard
              title={t('admin.dashboard.workdaysPerItem')}
              note={t('admin.dashboard.workdaysPerItemNote')}
              empty={s.workdaysPerItem.length === 0}
              testId="workdays"
            >
              <EChart
                option={options.workdays}
                height={barsHeight(s.workdaysPerItem.length)}
                label={t('admin.dashboard.workdaysPerItem')}
                testId="chart-workdays"
              />
            </ChartCard>
          </div>
          <Card title={<h2 className="card-title">{t('admin.dashboard.slowestSteps')}</h2>} data-testid="card-slowest">
            <p className="muted" style={{ marginTop: 0 }}>
              {t('admin.dashboard.slowestStepsNote')}
            </p>
            <Table
              size="small"
              pagination={false}
              data-testid="table-slowest"
              rowKey={(r) => `${r.itemCode}/${r.status}`}
              dataSource={s.slowestSteps}
              locale={{ emptyText: t('admin.dashboard.none') }}
              columns={[
                { title: t('admin.dashboard.item'), key: 'item', render: (_: unknown, r) => itemName(r.itemCode) },
                {
                  title: t('admin.dashboard.step'),
                  key: 'step',
                  render: (_: unknown, r) => t(`caseStatus.${r.status}`),
                },
                { title: t('admin.dashboard.stays'), dataIndex: 'stays', align: 'right' },
                { title: t('admin.dashboard.avgWorkdays'), dataIndex: 'avgWorkdays', align: 'right' },
              ]}
            />
          </Card>
        </>
      )}
    </>
  );
}
