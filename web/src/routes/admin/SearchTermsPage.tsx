// 搜索词: what people type and what it means in the catalogue's words (开餐馆 → 开办 餐饮店). The portal's search
// uses the saved list from its next query on. The whole list is edited here and saved at once; a problem the
// server names (a phrase given twice) is shown on its row.
import { useEffect, useMemo, useState } from 'react';
import { Alert, Button, Card, Input, Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../../app/ProblemAlert';
import { ApiError } from '../../lib/api';
import {
  emptyFields,
  filterRows,
  newRow,
  toBody,
  toRows,
  useSaveSearchTerms,
  useSearchTerms,
  type TermRow,
} from '../../features/catalogue/searchTerms';

export default function SearchTermsPage() {
  const { t } = useTranslation();
  const list = useSearchTerms();
  const save = useSaveSearchTerms();
  const [rows, setRows] = useState<TermRow[] | null>(null);
  const [filter, setFilter] = useState('');
  const [empty, setEmpty] = useState<string[]>([]);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (rows === null && list.data) setRows(toRows(list.data.terms));
  }, [list.data, rows]);

  // The server's field problems by pointer (/terms/3/phrase), and the empty fields found before sending.
  const problems = useMemo(() => {
    const m = new Map<string, string>();
    const err = save.error;
    if (err instanceof ApiError) for (const p of err.problem?.errors ?? []) m.set(p.pointer, p.detail);
    for (const pointer of empty) m.set(pointer, t('admin.searchTerms.required'));
    return m;
  }, [save.error, empty, t]);

  const edit = (key: string, field: 'phrase' | 'means', value: string) => {
    setSaved(false);
    setRows((rs) => (rs ?? []).map((r) => (r.key === key ? { ...r, [field]: value } : r)));
  };
  const submit = () => {
    if (!rows) return;
    const missing = emptyFields(rows);
    setEmpty(missing);
    if (missing.length) return;
    save.reset();
    save.mutate(toBody(rows), {
      onSuccess: (list) => {
        setRows(toRows(list.terms));
        setSaved(true);
      },
    });
  };

  const cell = (r: TermRow & { index: number }, field: 'phrase' | 'means') => {
    const problem = problems.get(`/terms/${r.index}/${field}`);
    return (
      <>
        <Input
          value={r[field]}
          status={problem ? 'error' : undefined}
          maxLength={field === 'phrase' ? 30 : 200}
          aria-label={`${t(`admin.searchTerms.${field}`)} ${r.index + 1}`}
          aria-invalid={problem ? true : undefined}
          onChange={(e) => edit(r.key, field, e.target.value)}
        />
        {problem && (
          <div className="field-problem" role="alert">
            {problem}
          </div>
        )}
      </>
    );
  };

  return (
    <>
      <Typography.Title level={1}>{t('admin.searchTerms.title')}</Typography.Title>
      <Typography.Paragraph className="muted">{t('admin.searchTerms.intro')}</Typography.Paragraph>
      {list.error ? <ProblemAlert error={list.error} /> : null}
      <Card>
        <Space wrap className="search-terms-bar">
          <Input.Search
            allowClear
            placeholder={t('admin.searchTerms.filter')}
            aria-label={t('admin.searchTerms.filter')}
            onChange={(e) => setFilter(e.target.value)}
            style={{ width: 260 }}
          />
          <Button
            onClick={() => {
              setSaved(false);
              setFilter('');
              setRows((rs) => [newRow(), ...(rs ?? [])]);
            }}
          >
            {t('admin.searchTerms.add')}
          </Button>
          <Button type="primary" onClick={submit} loading={save.isPending} disabled={!rows}>
            {t('admin.searchTerms.save')}
          </Button>
          <span className="muted">{t('admin.searchTerms.count', { count: rows?.length ?? 0 })}</span>
        </Space>
        {saved && (
          <Alert type="success" showIcon message={t('admin.searchTerms.saved')} className="search-terms-note" />
        )}
        {save.error && !(save.error instanceof ApiError && save.error.problem?.errors?.length) ? (
          <ProblemAlert error={save.error} />
        ) : null}
        <Table<TermRow & { index: number }>
          rowKey="key"
          size="small"
          loading={list.isPending}
          dataSource={filterRows(rows ?? [], filter)}
          pagination={{ pageSize: 50, showSizeChanger: false }}
          columns={[
            { title: t('admin.searchTerms.phrase'), key: 'phrase', width: '30%', render: (_, r) => cell(r, 'phrase') },
            { title: t('admin.searchTerms.means'), key: 'means', render: (_, r) => cell(r, 'means') },
            {
              title: t('admin.searchTerms.actions'),
              key: 'actions',
              width: 90,
              render: (_, r) => (
                <Button
                  type="link"
                  danger
                  onClick={() => {
                    setSaved(false);
                    setRows((rs) => (rs ?? []).filter((x) => x.key !== r.key));
                  }}
                >
                  {t('admin.searchTerms.remove')}
                </Button>
              ),
            },
          ]}
        />
      </Card>
    </>
  );
}
