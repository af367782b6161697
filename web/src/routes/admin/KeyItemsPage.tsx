// 重点事项清单: the State Council's yearly key "one things" and how the province delivers each — the bundle that
// does, whether it is published, its use over the last 30 days within the administrator's jurisdiction, and a target
// date. What the sources do not confirm is marked (未核实, 推断) with the source linked; nothing here is presented
// as more certain than the list's data says.
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { Button, Card, Form, Input, Modal, Select, Table, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../../app/ProblemAlert';
import { useLang } from '../../lib/preferences';
import { pick } from '../../lib/text';
import type { KeyItem, KeyItemStatus } from '@onething/shared/keyitems';
import { useBundles } from '../../features/catalogue/api';
import { downloadFile } from '../../lib/files';
import { showFieldProblems } from '../../lib/forms';
import { defaultYear, formatShare, toChange, useKeyItems, useUpdateKeyItem } from '../../features/keyitems/keyItems';

const STATUS_COLOR: Record<KeyItemStatus, string> = { not_linked: 'default', draft_only: 'gold', published: 'green' };
const FIELDS = ['bundleCode', 'targetDate', 'note'];

/** "2024-1" → 2024年第1批; a batch of items whose batch is not known says so. The full label is its tooltip. */
function shortBatch(id: string, t: (key: string, options?: Record<string, unknown>) => string): string {
  const m = /^(\d{4})-(\d+)$/.exec(id);
  return m ? t('admin.keyItems.batchShort', { year: m[1], n: m[2] }) : t('admin.keyItems.batchUnplaced');
}

export default function KeyItemsPage() {
  const { t } = useTranslation();
  const lang = useLang();
  const [year, setYear] = useState<number | null>(null);
  const list = useKeyItems(year);
  const [editing, setEditing] = useState<KeyItem | null>(null);
  const [exportError, setExportError] = useState<unknown>(null);
  useEffect(() => {
    if (year === null && list.data) setYear(defaultYear(list.data.years));
  }, [list.data, year]);
  const data = year !== null ? list.data : undefined;
  const batchLabel = new Map((data?.batches ?? []).map((b) => [b.id, pick(b.label, lang)]));
  const inferred = (i: KeyItem, field: string) =>
    i.inferred.includes(field) ? (
      <Tooltip title={t('admin.keyItems.inferredHelp')}>
        <Tag className="key-inferred">{t('admin.keyItems.inferred')}</Tag>
      </Tooltip>
    ) : null;
  const exportAs = async (kind: 'json' | 'xlsx') => {
    setExportError(null);
    try {
      await downloadFile(
        `/api/v1/admin/key-items/export${kind === 'xlsx' ? '.xlsx' : ''}?year=${year ?? ''}`,
        `key-items-${year}.${kind}`,
      );
    } catch (err) {
      setExportError(err);
    }
  };

  return (
    <>
      <Typography.Title level={1}>{t('admin.keyItems.title')}</Typography.Title>
      <Typography.Paragraph className="muted">{t('admin.keyItems.intro')}</Typography.Paragraph>
      <Card
        title={<h2 className="card-title">{t('admin.keyItems.batches')}</h2>}
        extra={
          <div className="admin-tools">
            <label className="admin-tools">
              {t('admin.keyItems.year')}
              <Select
                value={year ?? undefined}
                onChange={(y: number) => setYear(y)}
                options={(list.data?.years ?? []).map((y) => ({ value: y, label: String(y) }))}
                style={{ width: 110 }}
                aria-label={t('admin.keyItems.year')}
                data-testid="key-items-year"
              />
            </label>
            <Button onClick={() => void exportAs('json')} disabled={!year}>
              {t('admin.keyItems.exportJson')}
            </Button>
            <Button onClick={() => void exportAs('xlsx')} disabled={!year}>
              {t('admin.keyItems.exportXlsx')}
            </Button>
          </div>
        }
      >
        <ProblemAlert error={list.error} />
        <ProblemAlert error={exportError} />
        <ul className="key-batches" data-testid="key-batches">
          {(data?.batches ?? []).map((b) => (
            <li key={b.id}>
              <strong>{pick(b.label, lang)}</strong>
              <span>
                {b.itemCount === null
                  ? t('admin.keyItems.countUnknown')
                  : t('admin.keyItems.count', { count: b.itemCount })}
                {b.countInferred ? <Tag className="key-inferred">{t('admin.keyItems.inferred')}</Tag> : null}
                {' · '}
                {t('admin.keyItems.namesKnown', { count: b.namesKnown })}
                {' · '}
                <a href={b.sourceUrl} target="_blank" rel="noreferrer">
                  {t('admin.keyItems.source')}
                </a>
              </span>
              {b.note ? <span className="muted">{pick(b.note, lang)}</span> : null}
            </li>
          ))}
        </ul>
      </Card>
      <Card title={<h2 className="card-title">{t('admin.keyItems.items')}</h2>}>
        {data ? (
          <p className="key-summary" data-testid="key-items-summary">
            {t('admin.keyItems.summary', {
              linked: data.summary.linked,
              total: data.summary.total,
              published: data.summary.published,
            })}
            <span className="muted">
              {' '}
              ·{' '}
              {t('admin.keyItems.window', {
                from: data.window.from,
                to: data.window.to,
                jurisdiction: data.jurisdiction ?? '—',
              })}
            </span>
          </p>
        ) : null}
        <Table<KeyItem>
          rowKey="id"
          size="small"
          pagination={false}
          loading={list.isPending}
          dataSource={data?.items ?? []}
          data-testid="key-items-table"
          className="key-table"
          columns={[
            {
              title: t('admin.keyItems.batch'),
              key: 'batch',
              width: 68,
              render: (_, i) => (
                <Tooltip title={batchLabel.get(i.batchId)}>
                  <span>{shortBatch(i.batchId, t)}</span>
                </Tooltip>
              ),
            },
            {
              title: t('admin.keyItems.name'),
              key: 'name',
              width: 150,
              render: (_, i) => (
                <div className="key-name">
                  <span>{pick(i.name, lang)}</span>
                  {i.verified ? null : (
                    <Tooltip title={i.sourceNote ? pick(i.sourceNote, lang) : t('admin.keyItems.unverifiedHelp')}>
                      <Tag color="orange" data-testid="key-unverified">
                        {t('admin.keyItems.unverified')}
                      </Tag>
                    </Tooltip>
                  )}
                  <a
                    href={i.sourceUrl}
                    target="_blank"
                    rel="noreferrer"
                    className="key-source"
                    title={i.sourceNote ? pick(i.sourceNote, lang) : undefined}
                  >
                    {t('admin.keyItems.source')}
                  </a>
                </div>
              ),
            },
            {
              title: t('admin.keyItems.audience'),
              key: 'audience',
              width: 52,
              render: (_, i) => (
                <>
                  {t(`admin.keyItems.audiences.${i.audience}`)}
                  {inferred(i, 'audience')}
                </>
              ),
            },
            {
              title: t('admin.keyItems.lead'),
              key: 'lead',
              width: 100,
              render: (_, i) =>
                i.leadDepartment ? (
                  <>
                    {i.leadDepartment}
                    {inferred(i, 'leadDepartment')}
                  </>
                ) : (
                  <span className="muted">{t('admin.keyItems.notFound')}</span>
                ),
            },
            {
              title: t('admin.keyItems.bundle'),
              key: 'bundle',
              width: 120,
              render: (_, i) =>
                i.bundle ? (
                  <Link to={`/bundles/${i.bundle.code}`}>
                    {i.bundle.name ? pick(i.bundle.name, lang) : i.bundle.code}
                  </Link>
                ) : (
                  <span className="muted">—</span>
                ),
            },
            {
              title: t('admin.keyItems.status'),
              key: 'status',
              width: 84,
              render: (_, i) => (
                <Tag color={STATUS_COLOR[i.status]} data-testid={`key-status-${i.id}`}>
                  {t(`admin.keyItems.statuses.${i.status}`)}
                  {i.published ? ` v${i.published.version}` : ''}
                </Tag>
              ),
            },
            {
              title: t('admin.keyItems.applications'),
              key: 'apps',
              width: 56,
              align: 'right',
              render: (_, i) => (i.usage ? i.usage.applications : '—'),
            },
            {
              title: t('admin.keyItems.onTime'),
              key: 'onTime',
              width: 56,
              align: 'right',
              render: (_, i) =>
                i.usage ? (
                  <Tooltip
                    title={t('admin.keyItems.onTimeHelp', { onTime: i.usage.onTime, concluded: i.usage.concluded })}
                  >
                    {formatShare(i.usage.onTimeShare)}
                  </Tooltip>
                ) : (
                  '—'
                ),
            },
            {
              title: t('admin.keyItems.targetDate'),
              key: 'target',
              width: 84,
              render: (_, i) => <span className="key-date">{i.targetDate ?? '—'}</span>,
            },
            {
              title: t('admin.keyItems.actions'),
              key: 'edit',
              width: 56,
              render: (_, i) => (
                <Button
                  size="small"
                  onClick={() => setEditing(i)}
                  aria-label={`${t('admin.keyItems.edit')} ${pick(i.name, lang)}`}
                  data-testid={`key-edit-${i.id}`}
                >
                  {t('admin.keyItems.edit')}
                </Button>
              ),
            },
          ]}
        />
      </Card>
      {editing ? <EditDialog item={editing} onClose={() => setEditing(null)} /> : null}
    </>
  );
}

function EditDialog({ item, onClose }: { item: KeyItem; onClose: () => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const [form] = Form.useForm<{ bundleCode?: string | null; targetDate?: string; note?: string }>();
  const bundles = useBundles({ limit: 100 });
  const update = useUpdateKeyItem();
  const options = (bundles.data?.items ?? []).map((b) => ({
    value: b.code,
    label: `${pick(b.name, lang)} (${b.code})`,
  }));
  if (item.bundle && !options.some((o) => o.value === item.bundle!.code))
    options.unshift({ value: item.bundle.code, label: item.bundle.code });
  const save = async () => {
    const values = await form.validateFields();
    update.mutate(
      { id: item.id, change: toChange(values) },
      {
        onSuccess: onClose,
        onError: (err) => void showFieldProblems(form, err, FIELDS),
      },
    );
  };
  return (
    <Modal
      open
      title={t('admin.keyItems.editTitle', { name: pick(item.name, lang) })}
      onCancel={onClose}
      onOk={() => void save()}
      okText={t('admin.keyItems.save')}
      cancelText={t('admin.keyItems.cancel')}
      confirmLoading={update.isPending}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{
          bundleCode: item.bundle?.code ?? null,
          targetDate: item.targetDate ?? '',
          note: item.note ?? '',
        }}
      >
        <Form.Item name="bundleCode" label={t('admin.keyItems.bundle')} extra={t('admin.keyItems.bundleHelp')}>
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            options={options}
            loading={bundles.isPending}
            placeholder={t('admin.keyItems.chooseBundle')}
            data-testid="key-bundle"
          />
        </Form.Item>
        <Form.Item name="targetDate" label={t('admin.keyItems.targetDate')}>
          <Input type="date" data-testid="key-target-date" />
        </Form.Item>
        <Form.Item name="note" label={t('admin.keyItems.note')}>
          <Input.TextArea rows={3} maxLength={500} showCount data-testid="key-note" />
        </Form.Item>
      </Form>
      <ProblemAlert error={update.error} />
    </Modal>
  );
}
