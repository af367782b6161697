// What changed between two versions of a bundle or a service item (a draft included): each changed part by its
// path, with the value before and after. Items, materials and questions are matched by their codes or ids
// (designer.ts diffContent).
import { useMemo, useState } from 'react';
import { Card, Select, Space, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../../app/ProblemAlert';
import type { VersionMeta } from '@onething/shared/catalogue';
import { useVersionContent, useVersions, type CatalogueKind } from '../../features/catalogue/admin';
import { diffContent, type Change } from '../../features/catalogue/designer';

const short = (v: unknown) => {
  if (v === undefined) return '—';
  const s = JSON.stringify(v);
  return s.length > 160 ? `${s.slice(0, 157)}…` : s;
};

export function VersionDiff({
  kind,
  code,
  testId = 'designer-diff',
}: {
  kind: CatalogueKind;
  code: string;
  testId?: string;
}) {
  const { t } = useTranslation();
  const versions = useVersions(kind, code);
  const list = versions.data ?? [];
  const [from, setFrom] = useState<number | undefined>();
  const [to, setTo] = useState<number | undefined>();
  const newest = list[list.length - 1];
  const toV = list.find((v) => v.version === to) ?? newest;
  const fromV = list.find((v) => v.version === from) ?? list.filter((v) => toV && v.version < toV.version).pop();
  const before = useVersionContent(kind, code, fromV);
  const after = useVersionContent(kind, code, toV);
  const changes = useMemo(
    () => (before.data && after.data ? diffContent(before.data, after.data) : []),
    [before.data, after.data],
  );
  const label = (v: VersionMeta) =>
    `${t('admin.designer.versionN', { version: v.version })} · ${t(`admin.catalogue.${v.status}`)}`;
  if (list.length < 2) return null;
  return (
    <Card title={<h2 className="card-title">{t('admin.designer.diff')}</h2>} data-testid={testId}>
      <Space wrap>
        <span id="diff-from">{t('admin.designer.diffFrom')}</span>
        <Select<number>
          aria-labelledby="diff-from"
          style={{ width: 200 }}
          value={fromV?.version}
          onChange={setFrom}
          options={list.map((v) => ({ value: v.version, label: label(v) }))}
        />
        <span id="diff-to">{t('admin.designer.diffTo')}</span>
        <Select<number>
          aria-labelledby="diff-to"
          style={{ width: 200 }}
          value={toV?.version}
          onChange={setTo}
          options={list.map((v) => ({ value: v.version, label: label(v) }))}
        />
      </Space>
      <ProblemAlert error={before.error ?? after.error ?? versions.error} />
      <Table<Change>
        rowKey="path"
        size="small"
        style={{ marginTop: 12 }}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        loading={before.isPending || after.isPending}
        dataSource={changes}
        locale={{ emptyText: t('admin.designer.noChanges') }}
        columns={[
          {
            title: t('admin.designer.diffPath'),
            dataIndex: 'path',
            key: 'p',
            render: (p: string) => <span className="mono">{p}</span>,
          },
          {
            title: t('admin.designer.diffKind'),
            dataIndex: 'kind',
            key: 'k',
            render: (k: Change['kind']) => (
              <Tag color={k === 'added' ? 'green' : k === 'removed' ? 'red' : 'orange'}>{t(`admin.designer.${k}`)}</Tag>
            ),
          },
          {
            title: t('admin.designer.before'),
            key: 'b',
            render: (_, c) => <span className="mono">{short(c.before)}</span>,
          },
          {
            title: t('admin.designer.after2'),
            key: 'a',
            render: (_, c) => <span className="mono">{short(c.after)}</span>,
          },
        ]}
      />
    </Card>
  );
}
