// The working-day calendar: the years loaded with their source notice; a loaded year previewed as twelve month
// grids (holidays, adjusted working days, the count of working days); and loading (or correcting) a year from the
// State Council's holiday notice as a JSON file, previewed in the same grid before it is loaded. The server
// checks the file and names what is wrong.
import { useEffect, useState } from 'react';
import { Alert, Button, Card, InputNumber, Select, Table, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../lib/api';
import { ProblemAlert } from '../../app/ProblemAlert';
import { readJsonFile } from '../../lib/files';
import { useCalendarYears, useLoadYear, type CalendarYear } from '../../features/calendar/admin';
import { isYearFile, type YearFile } from '../../features/calendar/yearGrid';
import { calendarKeys } from '../../features/calendar/keys';
import { YearGrid } from './YearGrid';

export default function CalendarPage() {
  const { t } = useTranslation();
  const years = useCalendarYears();
  const load = useLoadYear();
  const [year, setYear] = useState<number | null>(new Date().getFullYear() + 1);
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<YearFile | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [shown, setShown] = useState<number | null>(null);
  const loadedYear = useQuery({
    queryKey: calendarKeys.year(shown),
    queryFn: async () => (await api<{ file: YearFile }>(`/api/v1/calendar/years/${shown}`)).file,
    enabled: shown !== null,
  });
  useEffect(() => {
    if (shown === null && years.data?.length)
      setShown(
        years.data.map((y) => y.year).includes(new Date().getFullYear())
          ? new Date().getFullYear()
          : years.data[years.data.length - 1]!.year,
      );
  }, [years.data, shown]);

  const choose = async (f: File | null) => {
    setFile(f);
    setPreview(null);
    setFileError(null);
    load.reset();
    if (!f) return;
    let parsed: unknown;
    try {
      parsed = await readJsonFile(f);
    } catch {
      setFileError(t('admin.notJson', { name: f.name }));
      return;
    }
    if (!isYearFile(parsed)) {
      setFileError(t('admin.calendar.notYearFile', { name: f.name }));
      return;
    }
    setPreview(parsed);
    setYear(parsed.year);
  };
  const submit = () => {
    if (!preview || !year) return;
    load.mutate({ year, file: preview }, { onSuccess: () => setShown(year) });
  };
  return (
    <>
      <Typography.Title level={1}>{t('admin.calendar.title')}</Typography.Title>
      <Card title={<h2 className="card-title">{t('admin.calendar.years')}</h2>}>
        <ProblemAlert error={years.error} />
        <Table<CalendarYear>
          rowKey="year"
          size="small"
          pagination={false}
          loading={years.isPending}
          dataSource={years.data ?? []}
          data-testid="calendar-years"
          columns={[
            { title: t('admin.calendar.year'), dataIndex: 'year', key: 'y' },
            {
              title: t('admin.calendar.source'),
              key: 's',
              render: (_, y) =>
                y.source.url ? (
                  <a href={y.source.url} target="_blank" rel="noreferrer">
                    {y.source.title}
                  </a>
                ) : (
                  y.source.title
                ),
            },
            { title: t('admin.calendar.holidays'), dataIndex: 'holidays', key: 'h' },
            {
              title: t('admin.calendar.loadedAt'),
              dataIndex: 'loadedAt',
              key: 'l',
              render: (d: string) => d.slice(0, 10),
            },
          ]}
        />
      </Card>
      <Card
        title={<h2 className="card-title">{t('admin.calendar.preview')}</h2>}
        extra={
          <label className="admin-tools">
            <span>{t('admin.calendar.previewYear')}</span>
            <Select
              aria-label={t('admin.calendar.previewYear')}
              style={{ width: 120 }}
              value={shown ?? undefined}
              onChange={(v: number) => setShown(v)}
              options={(years.data ?? []).map((y) => ({ value: y.year, label: String(y.year) }))}
              data-testid="calendar-preview-year"
            />
          </label>
        }
      >
        <ProblemAlert error={loadedYear.error} />
        {loadedYear.data && <YearGrid file={loadedYear.data} testId="calendar-grid" />}
      </Card>
      <Card title={<h2 className="card-title">{t('admin.calendar.load')}</h2>}>
        <p className="muted">{t('admin.calendar.loadHelp')}</p>
        <div className="admin-tools">
          <label className="admin-tools">
            <span>{t('admin.calendar.file')}</span>
            <input
              type="file"
              accept="application/json,.json"
              data-testid="calendar-file"
              onChange={(e) => void choose(e.target.files?.[0] ?? null)}
            />
          </label>
          <label className="admin-tools">
            <span>{t('admin.calendar.year')}</span>
            <InputNumber
              aria-label={t('admin.calendar.year')}
              min={2000}
              max={2100}
              value={year}
              onChange={(v) => setYear(v)}
            />
          </label>
        </div>
        {fileError && <Alert type="error" showIcon title={fileError} style={{ marginTop: 12 }} />}
        {preview && file && (
          <div className="calendar-file-preview">
            <Alert
              type="info"
              showIcon
              style={{ margin: '12px 0' }}
              title={t('admin.calendar.previewFile', { name: file.name, title: preview.source?.title ?? '—' })}
            />
            <YearGrid file={preview} testId="calendar-file-grid" />
            <div className="admin-tools" style={{ marginTop: 12 }}>
              <Button type="primary" disabled={!year} loading={load.isPending} onClick={submit}>
                {t('admin.calendar.submit')}
              </Button>
              <span className="muted">{t('admin.calendar.confirmHelp', { year: year ?? '—' })}</span>
            </div>
          </div>
        )}
        <ProblemAlert error={load.error} />
        {load.data && (
          <Alert
            type="success"
            showIcon
            style={{ marginTop: 12 }}
            data-testid="calendar-loaded"
            title={t('admin.calendar.loaded', { year: load.data.year, holidays: load.data.holidays })}
          />
        )}
      </Card>
    </>
  );
}
