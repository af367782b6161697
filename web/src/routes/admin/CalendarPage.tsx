// The working-day calendar: the years loaded with their source notice, and loading (or correcting) a year from
// the State Council's holiday notice as a JSON file; the server checks it and names what is wrong.
import { useState } from 'react';
import { Alert, Button, Card, InputNumber, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../../app/ProblemAlert';
import { readJsonFile, useCalendarYears, useLoadYear, type CalendarYear } from '../../features/admin/api';

export default function CalendarPage() {
  const { t } = useTranslation();
  const years = useCalendarYears();
  const load = useLoadYear();
  const [year, setYear] = useState<number | null>(new Date().getFullYear() + 1);
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const submit = async () => {
    setFileError(null);
    if (!file || !year) return;
    let parsed: unknown;
    try {
      parsed = await readJsonFile(file);
    } catch {
      setFileError(t('admin.notJson', { name: file.name }));
      return;
    }
    load.mutate({ year, file: parsed });
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
            { title: t('admin.calendar.source'), key: 's', render: (_, y) => (y.source.url ? <a href={y.source.url} target="_blank" rel="noreferrer">{y.source.title}</a> : y.source.title) },
            { title: t('admin.calendar.holidays'), dataIndex: 'holidays', key: 'h' },
            { title: t('admin.calendar.loadedAt'), dataIndex: 'loadedAt', key: 'l', render: (d: string) => d.slice(0, 10) },
          ]}
        />
      </Card>
      <Card title={<h2 className="card-title">{t('admin.calendar.load')}</h2>}>
        <p className="muted">{t('admin.calendar.loadHelp')}</p>
        <div className="admin-tools">
          <label className="admin-tools">
            <span>{t('admin.calendar.year')}</span>
            <InputNumber aria-label={t('admin.calendar.year')} min={2000} max={2100} value={year} onChange={(v) => setYear(v)} />
          </label>
          <label className="admin-tools">
            <span>{t('admin.calendar.file')}</span>
            <input type="file" accept="application/json,.json" data-testid="calendar-file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
          </label>
          <Button type="primary" disabled={!file || !year} loading={load.isPending} onClick={() => void submit()}>
            {t('admin.calendar.submit')}
          </Button>
        </div>
        {fileError && <Alert type="error" showIcon title={fileError} style={{ marginTop: 12 }} />}
        <ProblemAlert error={load.error} />
        {load.data && <Alert type="success" showIcon style={{ marginTop: 12 }} data-testid="calendar-loaded" title={t('admin.calendar.loaded', { year: load.data.year, holidays: load.data.holidays })} />}
      </Card>
    </>
  );
}
