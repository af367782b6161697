// Excel buttons of the console: download a sheet the server makes, and upload one back (all rows or none). A
// refused upload lists every bad row and column with the reason in the user's language.
import { useRef, useState } from 'react';
import { Alert, Button, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../../app/ProblemAlert';
import { useLang } from '../../lib/preferences';
import { downloadFile } from '../../lib/files';
import { rowProblems, useImportSheet, type RowProblem, type SheetKind } from '../../features/spreadsheets/api';

/** "导出 Excel" for one sheet: staff accounts, departments or service items. */
export function ExportButton({ sheet, label, testId }: { sheet: SheetKind | 'items'; label: string; testId: string }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      await downloadFile(`/api/v1/admin/excel/${sheet}`, `${sheet}.xlsx`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button onClick={() => void run()} loading={busy} data-testid={testId} title={t('admin.excel.exportHelp')}>
        {label}
      </Button>
      {error ? <ProblemAlert error={error} /> : null}
    </>
  );
}

/** "导入 Excel": a file chooser and, below the card's tools, what the import did or every row it refused. */
export function useImportTool(sheet: SheetKind, label: string) {
  const { t } = useTranslation();
  const lang = useLang();
  const input = useRef<HTMLInputElement>(null);
  const mutation = useImportSheet(sheet);
  const button = (
    <>
      <input
        ref={input}
        type="file"
        hidden
        accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        data-testid={`${sheet}-import-file`}
        aria-label={label}
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) mutation.mutate(file);
        }}
      />
      <Button onClick={() => input.current?.click()} loading={mutation.isPending} title={t('admin.excel.importHelp')}>
        {label}
      </Button>
    </>
  );
  const rows = rowProblems(mutation.error);
  const result = (
    <div
      data-testid={`${sheet}-import-result`}
      style={mutation.data || mutation.error ? { marginBottom: 12 } : undefined}
    >
      {mutation.data && (
        <Alert
          type="success"
          showIcon
          closable
          onClose={() => mutation.reset()}
          title={t('admin.excel.imported', {
            created: mutation.data.created,
            updated: mutation.data.updated,
            unchanged: mutation.data.unchanged,
          })}
        />
      )}
      {mutation.error && rows.length === 0 ? <ProblemAlert error={mutation.error} /> : null}
      {rows.length > 0 && (
        <Alert
          type="error"
          showIcon
          role="alert"
          closable
          onClose={() => mutation.reset()}
          title={(mutation.error as Error).message}
          description={
            <Table<RowProblem>
              size="small"
              pagination={rows.length > 20 ? { pageSize: 20 } : false}
              rowKey={(r) => `${r.row}-${r.column}-${r.code}-${rows.indexOf(r)}`}
              dataSource={rows}
              columns={[
                { title: t('admin.excel.row'), dataIndex: 'row', key: 'row', width: 80 },
                { title: t('admin.excel.column'), dataIndex: 'column', key: 'column', width: 200 },
                {
                  title: t('admin.excel.reason'),
                  key: 'reason',
                  render: (_, r) => (lang === 'en' ? r.detail.en : r.detail.zh),
                },
              ]}
            />
          }
        />
      )}
    </div>
  );
  return { button, result };
}
