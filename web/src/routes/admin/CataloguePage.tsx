// The catalogue: one-thing bundles with their versions (drafts included), a bundle's items drawn as their
// dependency graph, publishing a bundle's draft, the service items, and the whole catalogue as a JSON file out
// (export) and in (import: all of it or nothing).
import { useMemo, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Alert, Button, Card, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../../app/ProblemAlert';
import { useLang } from '../../lib/preferences';
import { pick } from '../../lib/text';
import { EChart } from '../../components/EChart';
import type { ImportResult, ItemSummary, VersionMeta } from '@onething/shared/catalogue';
import { useBundle, useBundles, useDepartments } from '../../features/catalogue/api';
import { downloadJson, readJsonFile } from '../../lib/files';
import {
  exportCatalogue,
  useBundleVersions,
  useImportCatalogue,
  useItemList,
  usePublish,
} from '../../features/catalogue/admin';
import { itemGraphOption } from '../../features/catalogue/graph';
import { ApiError } from '../../lib/api';
import { ExportButton } from './ExcelTools';

export default function CataloguePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const lang = useLang();
  const bundles = useBundles({ limit: 100 });
  const [code, setCode] = useState<string | undefined>();
  const selected = code ?? bundles.data?.items[0]?.code;
  return (
    <>
      <Typography.Title level={1}>{t('admin.catalogue.title')}</Typography.Title>
      <div className="admin-tools">
        <Button type="primary" onClick={() => navigate('/admin/catalogue/new')}>
          {t('admin.designer.newBundle')}
        </Button>
        <span className="muted">{t('admin.designer.newBundleHelp')}</span>
      </div>
      <ImportExport />
      <Card title={<h2 className="card-title">{t('admin.catalogue.bundles')}</h2>}>
        <ProblemAlert error={bundles.error} />
        <label className="admin-tools">
          <span id="pick-bundle">{t('admin.catalogue.bundle')}</span>
          <Select<string>
            aria-labelledby="pick-bundle"
            style={{ width: 320 }}
            value={selected}
            onChange={setCode}
            options={(bundles.data?.items ?? []).map((b) => ({ value: b.code, label: pick(b.name, lang) }))}
          />
        </label>
        {selected && <BundleDetail code={selected} />}
      </Card>
      <Items />
    </>
  );
}

function BundleDetail({ code }: { code: string }) {
  const { t } = useTranslation();
  const lang = useLang();
  const versions = useBundleVersions(code);
  const bundle = useBundle(code);
  const departments = useDepartments();
  const publish = usePublish('bundles');
  const draft = versions.data?.find((v) => v.status === 'draft');
  const names = useMemo(
    () => new Map((bundle.data?.items ?? []).map((i) => [i.code, pick(i.name, lang)])),
    [bundle.data, lang],
  );
  const deptOf = useMemo(
    () => new Map((bundle.data?.items ?? []).map((i) => [i.code, i.departmentCode])),
    [bundle.data],
  );
  const graph = useMemo(() => {
    const content = bundle.data?.content as { items?: Array<{ item: string; after?: string[] }> } | undefined;
    const items = content?.items ?? [];
    const depts = [...new Set(items.map((i) => deptOf.get(i.item) ?? ''))];
    return itemGraphOption(items, (c) => names.get(c) ?? c, {
      names: depts.map((d) => pick(departments.data?.get(d)?.name, lang) || d),
      of: (c) => depts.indexOf(deptOf.get(c) ?? ''),
    });
  }, [bundle.data, names, deptOf, departments.data, lang]);

  return (
    <div className="admin-bundle">
      <ProblemAlert error={versions.error ?? bundle.error} />
      <Table<VersionMeta>
        rowKey="version"
        size="small"
        pagination={false}
        dataSource={versions.data ?? []}
        loading={versions.isPending}
        data-testid="bundle-versions"
        style={{ margin: '12px 0' }}
        columns={[
          { title: t('admin.catalogue.version'), dataIndex: 'version', key: 'v' },
          {
            title: t('admin.catalogue.status'),
            dataIndex: 'status',
            key: 's',
            render: (s: string) => <Tag color={s === 'draft' ? 'orange' : 'green'}>{t(`admin.catalogue.${s}`)}</Tag>,
          },
          {
            title: t('admin.catalogue.created'),
            dataIndex: 'createdAt',
            key: 'c',
            render: (d: string) => d.slice(0, 10),
          },
          {
            title: t('admin.catalogue.published'),
            dataIndex: 'publishedAt',
            key: 'p',
            render: (d: string | null) => d?.slice(0, 10) ?? '—',
          },
          {
            title: 'SHA-256',
            dataIndex: 'contentSha256',
            key: 'h',
            render: (h: string) => <span className="mono">{h.slice(0, 12)}</span>,
          },
        ]}
      />
      <Space style={{ marginBottom: 12 }}>
        <Link to={`/admin/catalogue/design/${encodeURIComponent(code)}`}>
          {draft ? t('admin.designer.continueDraft') : t('admin.designer.editInDesigner')}
        </Link>
      </Space>
      {draft && (
        <Space style={{ marginBottom: 12, marginLeft: 16 }}>
          <Button type="primary" loading={publish.isPending} onClick={() => publish.mutate(code)}>
            {t('admin.catalogue.publishDraft', { version: draft.version })}
          </Button>
        </Space>
      )}
      {publish.data && (
        <Alert type="success" showIcon title={t('admin.catalogue.publishedOk', { version: publish.data.version })} />
      )}
      <ProblemAlert error={publish.error} />
      <h3>{t('admin.catalogue.graph')}</h3>
      <p className="muted">{t('admin.catalogue.graphHelp')}</p>
      {bundle.data && (
        <EChart option={graph.option} height={graph.height} label={t('admin.catalogue.graph')} testId="bundle-graph" />
      )}
    </div>
  );
}

function Items() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const lang = useLang();
  const items = useItemList();
  const departments = useDepartments();
  const [filter, setFilter] = useState('');
  const shown = useMemo(() => {
    const q = filter.trim().toLowerCase();
    return (items.data ?? []).filter(
      (i) => !q || i.code.toLowerCase().includes(q) || i.name.zh.includes(q) || i.name.en.toLowerCase().includes(q),
    );
  }, [items.data, filter]);
  return (
    <Card
      title={<h2 className="card-title">{t('admin.catalogue.items', { count: items.data?.length ?? 0 })}</h2>}
      extra={
        <Space>
          <ExportButton sheet="items" label={t('admin.excel.exportItems')} testId="items-export" />
          <Button onClick={() => navigate('/admin/catalogue/items/new')}>{t('admin.itemEditor.newItem')}</Button>
        </Space>
      }
      data-testid="catalogue-items"
    >
      <div className="admin-tools" style={{ marginBottom: 12 }}>
        <Input
          allowClear
          aria-label={t('admin.itemEditor.filter')}
          placeholder={t('admin.itemEditor.filter')}
          style={{ width: 320 }}
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
        <span className="muted">{t('admin.itemEditor.listHelp')}</span>
      </div>
      <ProblemAlert error={items.error} />
      <Table<ItemSummary>
        rowKey="code"
        size="small"
        pagination={{ pageSize: 10 }}
        dataSource={shown}
        loading={items.isPending}
        columns={[
          {
            title: t('admin.people.code'),
            dataIndex: 'code',
            key: 'code',
            render: (c: string) => <span className="mono">{c}</span>,
          },
          { title: t('admin.people.name'), key: 'name', render: (_, i) => pick(i.name, lang) },
          {
            title: t('admin.people.department'),
            dataIndex: 'departmentCode',
            key: 'd',
            render: (c: string) => pick(departments.data?.get(c)?.name, lang) || c,
          },
          { title: t('admin.catalogue.version'), dataIndex: 'version', key: 'v' },
          { title: t('admin.catalogue.promisedDays'), dataIndex: 'promisedDays', key: 'p' },
          {
            title: t('admin.designer.actions'),
            key: 'edit',
            render: (_, i) => (
              <Link
                to={`/admin/catalogue/items/${encodeURIComponent(i.code)}`}
                aria-label={t('admin.itemEditor.editOf', { name: pick(i.name, lang) })}
              >
                {t('admin.itemEditor.edit')}
              </Link>
            ),
          },
        ]}
      />
    </Card>
  );
}

function ImportExport() {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const importer = useImportCatalogue();
  const [exportError, setExportError] = useState<unknown>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const onFile = async (file: File | undefined) => {
    setFileError(null);
    setResult(null);
    if (!file) return;
    let parsed: unknown;
    try {
      parsed = await readJsonFile(file);
    } catch {
      setFileError(t('admin.notJson', { name: file.name }));
      return;
    }
    importer.mutate(parsed, { onSuccess: setResult });
  };
  return (
    <Card title={<h2 className="card-title">{t('admin.catalogue.importExport')}</h2>}>
      <div className="admin-tools">
        <Button
          onClick={() =>
            exportCatalogue()
              .then((file) => downloadJson(`onething-catalogue-${new Date().toISOString().slice(0, 10)}.json`, file))
              .catch(setExportError)
          }
        >
          {t('admin.catalogue.export')}
        </Button>
        <Button onClick={() => input.current?.click()} loading={importer.isPending}>
          {t('admin.catalogue.import')}
        </Button>
        <input
          ref={input}
          type="file"
          accept="application/json,.json"
          hidden
          aria-label={t('admin.catalogue.import')}
          data-testid="catalogue-file"
          onChange={(e) => void onFile(e.target.files?.[0]).finally(() => (e.target.value = ''))}
        />
        <span className="muted">{t('admin.catalogue.importHelp')}</span>
      </div>
      {fileError && <Alert type="error" showIcon title={fileError} style={{ marginTop: 12 }} />}
      <ProblemAlert error={importer.error ?? (exportError instanceof ApiError ? exportError : null)} />
      {result && (
        <Alert
          type="success"
          showIcon
          style={{ marginTop: 12 }}
          data-testid="import-result"
          title={t('admin.catalogue.imported', {
            departments: result.departments,
            items: result.items.published,
            itemsSame: result.items.unchanged,
            bundles: result.bundles.published,
            bundlesSame: result.bundles.unchanged,
          })}
        />
      )}
    </Card>
  );
}
