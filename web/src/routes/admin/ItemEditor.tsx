// The service item editor (事项编辑器): an administrator writes every standard element of a service item — the
// basics, acceptance conditions, materials (容缺, 告知承诺, e-certificates), statutory and promised limits with the
// process stages, the fee, the legal basis, the item's own data fields (the targets of a bundle's mappings), its
// outputs, offline handling and sources — and saves a draft or publishes a new version. "Check" finds the obvious
// problems in the browser; the server checks everything at save and at publish, and each problem it names is
// shown next to the section it concerns, in the editor's words. The model is features/catalogue/itemEditor.ts.
import { useState, type ReactNode } from 'react';
import { useParams } from 'react-router';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Empty,
  Form,
  Input,
  InputNumber,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../lib/api';
import { ProblemAlert } from '../../app/ProblemAlert';
import { useLang } from '../../lib/preferences';
import { pick, type LocalText } from '../../lib/text';
import { useDepartments } from '../../features/catalogue/api';
import { loadForEditing, usePublish, useSaveItemDraft } from '../../features/catalogue/admin';
import { SECTION_KEY, type FieldKind } from '../../features/catalogue/designer';
import { catalogueKeys } from '../../features/catalogue/keys';
import {
  addItemField,
  addMaterial,
  addOutput,
  addSource,
  addStage,
  addText,
  emptyText,
  ITEM_FIELD_KINDS,
  ITEM_TYPES,
  itemFields,
  localProblems,
  MATERIAL_FORMS,
  newItem,
  openItem,
  pointerParts,
  removeAt,
  removeItemField,
  sectionOf,
  setSource,
  setStatutoryDays,
  setText,
  STAGE_CODES,
  toContent,
  updateItemField,
  updateMaterial,
  updateOutput,
  updateStage,
  type EditItem,
  type ItemSection,
  type LocalProblem,
  type TextList,
} from '../../features/catalogue/itemEditor';
import { useSession } from '../../features/identity/api';
import { VersionDiff } from './VersionDiff';
import { PageSpinner } from '../../app/PageSpinner';

type T = ReturnType<typeof useTranslation>['t'];
type Edit = (next: EditItem) => void;
/** A problem to show: where it is, what the field is called and what is wrong, in the user's language. */
interface Shown {
  pointer: string;
  label: string;
  detail: string;
}

export default function ItemEditor() {
  const { t } = useTranslation();
  const { code } = useParams();
  const session = useSession();
  const loaded = useQuery({
    queryKey: catalogueKeys.itemEdit(code),
    queryFn: () => (code ? loadForEditing('items', code) : Promise.resolve(null)),
    staleTime: Infinity,
    gcTime: 0,
  });
  if (loaded.isPending || session.isPending) return <PageSpinner />;
  if (loaded.error) return <ProblemAlert error={loaded.error} />;
  if (code && !loaded.data) return <Alert type="warning" showIcon title={t('admin.itemEditor.notFound', { code })} />;
  const initial = loaded.data ? openItem(loaded.data.content) : newItem(session.data?.regionCode ?? '320000');
  return <Editor key={code ?? 'new'} initial={initial} existing={!!code} fromDraft={loaded.data?.draft ?? false} />;
}

function Editor({
  initial,
  existing: opened,
  fromDraft,
}: {
  initial: EditItem;
  existing: boolean;
  fromDraft: boolean;
}) {
  const { t } = useTranslation();
  const lang = useLang();
  const [item, setItem] = useState<EditItem>(initial);
  // A new item becomes an existing one at its first save: its code is fixed from then on.
  const [existing, setExisting] = useState(opened);
  const [checked, setChecked] = useState<LocalProblem[] | null>(null);
  const [saved, setSaved] = useState<number | null>(null);
  const save = useSaveItemDraft();
  const publish = usePublish('items');

  const edit: Edit = (next) => {
    setItem(next);
    setChecked(null);
    setSaved(null);
    publish.reset();
  };
  const label = (pointer: string) => fieldLabel(pointer, item, t);
  const saveDraft = async () => {
    publish.reset();
    const r = await save.mutateAsync(toContent(item));
    setSaved(r.version);
    setExisting(true);
    return r;
  };
  const saveAndPublish = async () => {
    setChecked(null);
    await saveDraft();
    await publish.mutateAsync(item.code);
  };
  const busy = save.isPending || publish.isPending;
  const problem = save.error ?? publish.error;
  const serverFields = problem instanceof ApiError ? (problem.problem?.errors ?? []) : [];
  const shown: Shown[] = [
    ...(checked ?? []).map((p) => ({
      pointer: p.pointer,
      label: label(p.pointer),
      detail: t(`admin.itemEditor.problems.${p.key}`, p.params),
    })),
    ...serverFields.map((e) => ({ pointer: e.pointer, label: label(e.pointer), detail: e.detail })),
  ];
  const at = (section: ItemSection) => shown.filter((s) => sectionOf(s.pointer) === section);
  const props = { item, edit };

  return (
    <>
      <Typography.Title level={1}>
        {existing
          ? t('admin.itemEditor.editTitle', { name: pick(item.name, lang) || item.code })
          : t('admin.itemEditor.newTitle')}
      </Typography.Title>
      <p className="muted">{t('admin.itemEditor.intro')}</p>
      {existing && fromDraft && <Alert type="info" showIcon title={t('admin.itemEditor.openedDraft')} />}

      <Basics {...props} existing={existing} problems={at('basics')} />
      <Texts {...props} list="acceptanceConditions" section="conditions" problems={at('conditions')} />
      <Materials {...props} problems={at('materials')} />
      <Time {...props} problems={at('time')} />
      <Fee {...props} problems={at('fee')} />
      <Texts {...props} list="legalBasis" section="legal" problems={at('legal')} />
      <Fields {...props} problems={at('fields')} />
      <Outputs {...props} problems={at('outputs')} />
      <Other {...props} problems={at('other')} />

      <Card title={<h2 className="card-title">{t('admin.itemEditor.publishTitle')}</h2>} data-testid="item-actions">
        <p className="muted">{t('admin.itemEditor.publishHelp')}</p>
        <Space wrap>
          <Button onClick={() => setChecked(localProblems(item))} disabled={busy}>
            {t('admin.itemEditor.check')}
          </Button>
          <Button
            onClick={() => void saveDraft().catch(() => undefined)}
            loading={save.isPending && !publish.isPending}
            disabled={busy}
          >
            {t('admin.itemEditor.saveDraft')}
          </Button>
          <Button
            type="primary"
            onClick={() => void saveAndPublish().catch(() => undefined)}
            loading={busy}
            disabled={busy}
          >
            {t('admin.itemEditor.publish')}
          </Button>
        </Space>
        <div className="designer-result" aria-live="polite">
          {checked &&
            (checked.length === 0 ? (
              <Alert type="success" showIcon title={t('admin.itemEditor.checkedOk')} />
            ) : (
              <Alert
                type="error"
                showIcon
                role="alert"
                data-testid="item-check"
                title={t('admin.itemEditor.checkedProblems', { count: checked.length })}
                description={
                  <ProblemList problems={shown.filter((s) => checked.some((c) => c.pointer === s.pointer))} />
                }
              />
            ))}
          {saved !== null && !publish.data && !publish.isPending && !publish.error && (
            <Alert type="success" showIcon title={t('admin.itemEditor.saved', { version: saved })} />
          )}
          {publish.data && (
            <Alert
              type="success"
              showIcon
              data-testid="item-published"
              title={t('admin.catalogue.publishedOk', { version: publish.data.version })}
            />
          )}
          <div data-testid="item-problem">
            <ProblemAlert error={problem} fieldName={label} />
          </div>
        </div>
      </Card>
      {existing && <VersionDiff kind="items" code={item.code} testId="item-diff" />}
    </>
  );
}

/** A pointer in the editor's words, e.g. "/materials/0/name/en" → "材料 birth-cert · 名称 · 英文". */
function fieldLabel(pointer: string, item: EditItem, t: T): string {
  return pointerParts(pointer, item)
    .map((p) => ('key' in p ? t(`admin.itemEditor.${p.key}`, p.params) : p.text))
    .join(' · ');
}

function ProblemList({ problems }: { problems: Shown[] }) {
  return (
    <ul className="problem-list">
      {problems.map((p, i) => (
        <li key={i}>
          <strong>{p.label}</strong>: {p.detail}
        </li>
      ))}
    </ul>
  );
}

function Section({
  id,
  title,
  help,
  problems,
  children,
}: {
  id: ItemSection;
  title: string;
  help?: string;
  problems: Shown[];
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Card title={<h2 className="card-title">{title}</h2>} data-testid={`item-${id}`}>
      {help && <p className="muted">{help}</p>}
      {problems.length > 0 && (
        <Alert
          type="error"
          showIcon
          role="alert"
          style={{ marginBottom: 12 }}
          data-testid={`item-${id}-problems`}
          title={t('admin.itemEditor.sectionProblems', { count: problems.length })}
          description={<ProblemList problems={problems} />}
        />
      )}
      {children}
    </Card>
  );
}

/** Two inputs side by side: the Chinese and the English text of one element. */
function Bilingual({
  id,
  label,
  value,
  onChange,
  rows,
  max = 4000,
}: {
  id: string;
  label: string;
  value: LocalText | undefined;
  onChange: (v: LocalText) => void;
  rows?: number;
  max?: number;
}) {
  const { t } = useTranslation();
  const v = value ?? emptyText();
  const input = (l: 'zh' | 'en') => {
    const props = {
      id: `${id}-${l}`,
      value: v[l],
      maxLength: max,
      onChange: (e: { target: { value: string } }) => onChange({ ...v, [l]: e.target.value }),
    };
    return rows ? <Input.TextArea {...props} rows={rows} /> : <Input {...props} />;
  };
  return (
    <>
      <Form.Item label={t('admin.itemEditor.inZh', { label })} htmlFor={`${id}-zh`}>
        {input('zh')}
      </Form.Item>
      <Form.Item label={t('admin.itemEditor.inEn', { label })} htmlFor={`${id}-en`}>
        {input('en')}
      </Form.Item>
    </>
  );
}

function Basics({
  item,
  edit,
  existing,
  problems,
}: {
  item: EditItem;
  edit: Edit;
  existing: boolean;
  problems: Shown[];
}) {
  const { t } = useTranslation();
  const lang = useLang();
  const departments = useDepartments();
  return (
    <Section id="basics" title={t('admin.itemEditor.basics')} problems={problems}>
      <Form layout="vertical" component="div" className="designer-grid">
        <Form.Item
          label={t('admin.itemEditor.labels.code')}
          htmlFor="i-code"
          help={existing ? t('admin.itemEditor.codeFixed') : t('admin.itemEditor.codeHelp')}
        >
          <Input
            id="i-code"
            className="mono"
            value={item.code}
            disabled={existing}
            maxLength={64}
            onChange={(e) => edit({ ...item, code: e.target.value.trim() })}
          />
        </Form.Item>
        <Form.Item label={t('admin.itemEditor.labels.regionCode')} htmlFor="i-region">
          <Input
            id="i-region"
            className="mono"
            value={item.regionCode}
            maxLength={6}
            onChange={(e) => edit({ ...item, regionCode: e.target.value.trim() })}
          />
        </Form.Item>
        <Bilingual
          id="i-name"
          label={t('admin.itemEditor.labels.name')}
          value={item.name}
          max={200}
          onChange={(name) => edit({ ...item, name })}
        />
        <Bilingual
          id="i-short"
          label={t('admin.itemEditor.labels.shortName')}
          value={item.shortName}
          max={100}
          onChange={(shortName) => edit({ ...item, shortName })}
        />
        <Form.Item label={t('admin.itemEditor.labels.departmentCode')} htmlFor="i-dept">
          <Select
            id="i-dept"
            showSearch={{ optionFilterProp: 'label' }}
            value={item.departmentCode || undefined}
            placeholder={t('admin.itemEditor.departmentPlaceholder')}
            onChange={(departmentCode: string) => edit({ ...item, departmentCode })}
            options={[...(departments.data?.values() ?? [])].map((d) => ({ value: d.code, label: pick(d.name, lang) }))}
          />
        </Form.Item>
        <Form.Item label={t('admin.itemEditor.labels.itemType')} htmlFor="i-type">
          <Select
            id="i-type"
            value={item.itemType}
            onChange={(itemType) => edit({ ...item, itemType })}
            options={ITEM_TYPES.map((k) => ({ value: k, label: t(`admin.itemEditor.types.${k}`) }))}
          />
        </Form.Item>
        <Form.Item label={t('admin.itemEditor.labels.serviceObjects')}>
          <Checkbox.Group
            value={item.serviceObjects}
            onChange={(v) =>
              edit({ ...item, serviceObjects: (['person', 'enterprise'] as const).filter((o) => v.includes(o)) })
            }
            options={[
              { value: 'person', label: t('admin.designer.person') },
              { value: 'enterprise', label: t('admin.designer.enterprise') },
            ]}
          />
        </Form.Item>
        <div />
        <Bilingual
          id="i-desc"
          label={t('admin.itemEditor.labels.description')}
          value={item.description}
          rows={3}
          onChange={(description) => edit({ ...item, description })}
        />
      </Form>
    </Section>
  );
}

/** A list of bilingual texts: acceptance conditions or legal bases. */
function Texts({
  item,
  edit,
  list,
  section,
  problems,
}: {
  item: EditItem;
  edit: Edit;
  list: TextList;
  section: ItemSection;
  problems: Shown[];
}) {
  const { t } = useTranslation();
  const rows = item[list];
  return (
    <Section
      id={section}
      title={t(`admin.itemEditor.labels.${list}`)}
      help={t(`admin.itemEditor.${list}Help`)}
      problems={problems}
    >
      {rows.length === 0 && <p className="muted">{t('admin.itemEditor.none')}</p>}
      {rows.map((row, n) => (
        <div key={n} className="item-text-row">
          <span className="item-text-n">{n + 1}.</span>
          <Input.TextArea
            rows={2}
            aria-label={t('admin.itemEditor.inZh', { label: t(`admin.itemEditor.labels.${list}N`, { n: n + 1 }) })}
            value={row.zh}
            maxLength={4000}
            onChange={(e) => edit(setText(item, list, n, 'zh', e.target.value))}
          />
          <Input.TextArea
            rows={2}
            aria-label={t('admin.itemEditor.inEn', { label: t(`admin.itemEditor.labels.${list}N`, { n: n + 1 }) })}
            value={row.en}
            maxLength={4000}
            onChange={(e) => edit(setText(item, list, n, 'en', e.target.value))}
          />
          <Button
            type="link"
            danger
            onClick={() => edit(removeAt(item, list, n))}
            aria-label={t('admin.itemEditor.removeOf', { what: t(`admin.itemEditor.labels.${list}N`, { n: n + 1 }) })}
          >
            {t('admin.designer.remove')}
          </Button>
        </div>
      ))}
      <Button onClick={() => edit(addText(item, list))}>{t(`admin.itemEditor.add.${list}`)}</Button>
    </Section>
  );
}

function Materials({ item, edit, problems }: { item: EditItem; edit: Edit; problems: Shown[] }) {
  const { t } = useTranslation();
  const rows = item.materials.map((m, n) => ({ m, n }));
  const of = (n: number, what: string) =>
    t('admin.itemEditor.materialField', { n: n + 1, field: t(`admin.itemEditor.material.${what}`) });
  const set = (n: number, change: Parameters<typeof updateMaterial>[2]) => edit(updateMaterial(item, n, change));
  return (
    <Section
      id="materials"
      title={t('admin.itemEditor.labels.materials')}
      help={t('admin.itemEditor.materialsHelp')}
      problems={problems}
    >
      <Table
        rowKey="n"
        size="small"
        pagination={false}
        dataSource={rows}
        scroll={{ x: 1240 }}
        data-testid="item-materials-table"
        locale={{ emptyText: <Empty description={t('admin.itemEditor.noMaterials')} /> }}
        columns={[
          {
            title: t('admin.itemEditor.material.id'),
            key: 'id',
            width: 160,
            fixed: 'left',
            render: (_, { m, n }) => (
              <Input
                size="small"
                className="mono"
                aria-label={of(n, 'id')}
                value={m.id}
                maxLength={64}
                onChange={(e) => set(n, { id: e.target.value.trim() })}
              />
            ),
          },
          {
            title: t('admin.itemEditor.material.name'),
            key: 'name',
            width: 210,
            render: (_, { m, n }) => (
              <div className="item-stack">
                <Input
                  size="small"
                  aria-label={t('admin.itemEditor.inZh', { label: of(n, 'name') })}
                  placeholder={t('admin.itemEditor.langZh')}
                  value={m.name.zh}
                  onChange={(e) => set(n, { name: { ...m.name, zh: e.target.value } })}
                />
                <Input
                  size="small"
                  aria-label={t('admin.itemEditor.inEn', { label: of(n, 'name') })}
                  placeholder={t('admin.itemEditor.langEn')}
                  value={m.name.en}
                  onChange={(e) => set(n, { name: { ...m.name, en: e.target.value } })}
                />
              </div>
            ),
          },
          {
            title: t('admin.itemEditor.material.required'),
            key: 'required',
            width: 60,
            align: 'center',
            render: (_, { m, n }) => (
              <Checkbox
                aria-label={of(n, 'required')}
                checked={m.required}
                onChange={(e) => set(n, { required: e.target.checked })}
              />
            ),
          },
          {
            title: t('admin.itemEditor.material.toleratedGapAllowed'),
            key: 'gap',
            width: 60,
            align: 'center',
            render: (_, { m, n }) => (
              <Checkbox
                aria-label={of(n, 'toleratedGapAllowed')}
                checked={m.toleratedGapAllowed}
                disabled={!m.required}
                onChange={(e) => set(n, { toleratedGapAllowed: e.target.checked })}
              />
            ),
          },
          {
            title: t('admin.itemEditor.material.commitmentAllowed'),
            key: 'commit',
            width: 84,
            align: 'center',
            render: (_, { m, n }) => (
              <Checkbox
                aria-label={of(n, 'commitmentAllowed')}
                checked={m.commitmentAllowed}
                onChange={(e) => set(n, { commitmentAllowed: e.target.checked })}
              />
            ),
          },
          {
            title: t('admin.itemEditor.material.certificateType'),
            key: 'cert',
            width: 170,
            render: (_, { m, n }) => (
              <Input
                size="small"
                className="mono"
                aria-label={of(n, 'certificateType')}
                placeholder={t('admin.itemEditor.certificatePlaceholder')}
                value={m.certificateType ?? ''}
                maxLength={64}
                onChange={(e) => set(n, { certificateType: e.target.value.trim() || undefined })}
              />
            ),
          },
          {
            title: t('admin.itemEditor.material.form'),
            key: 'form',
            width: 116,
            render: (_, { m, n }) => (
              <Select
                size="small"
                style={{ width: '100%' }}
                aria-label={of(n, 'form')}
                value={m.form}
                onChange={(form) => set(n, { form })}
                options={MATERIAL_FORMS.map((f) => ({ value: f, label: t(`admin.itemEditor.forms.${f}`) }))}
              />
            ),
          },
          {
            title: t('admin.itemEditor.material.copies'),
            key: 'copies',
            width: 72,
            render: (_, { m, n }) => (
              <InputNumber
                size="small"
                style={{ width: '100%' }}
                aria-label={of(n, 'copies')}
                min={1}
                max={20}
                precision={0}
                value={m.copies}
                onChange={(v) => set(n, { copies: v ?? 1 })}
              />
            ),
          },
          {
            title: t('admin.itemEditor.material.note'),
            key: 'note',
            width: 220,
            render: (_, { m, n }) => (
              <div className="item-stack">
                <Input
                  size="small"
                  aria-label={t('admin.itemEditor.inZh', { label: of(n, 'note') })}
                  placeholder={t('admin.itemEditor.langZh')}
                  value={m.note?.zh ?? ''}
                  onChange={(e) => set(n, { note: { ...(m.note ?? emptyText()), zh: e.target.value } })}
                />
                <Input
                  size="small"
                  aria-label={t('admin.itemEditor.inEn', { label: of(n, 'note') })}
                  placeholder={t('admin.itemEditor.langEn')}
                  value={m.note?.en ?? ''}
                  onChange={(e) => set(n, { note: { ...(m.note ?? emptyText()), en: e.target.value } })}
                />
              </div>
            ),
          },
          {
            title: '',
            key: 'x',
            width: 80,
            fixed: 'right',
            render: (_, { n }) => (
              <Button
                type="link"
                danger
                size="small"
                onClick={() => edit(removeAt(item, 'materials', n))}
                aria-label={t('admin.itemEditor.removeOf', {
                  what: t('admin.itemEditor.labels.materialN', { id: item.materials[n]?.id || n + 1 }),
                })}
              >
                {t('admin.designer.remove')}
              </Button>
            ),
          },
        ]}
      />
      <Button style={{ marginTop: 12 }} onClick={() => edit(addMaterial(item))}>
        {t('admin.itemEditor.add.materials')}
      </Button>
    </Section>
  );
}

function Time({ item, edit, problems }: { item: EditItem; edit: Edit; problems: Shown[] }) {
  const { t } = useTranslation();
  const noLimit = item.statutoryDays === null;
  const rows = item.stages.map((s, n) => ({ s, n }));
  const of = (n: number, what: string) =>
    t('admin.itemEditor.stageField', { n: n + 1, field: t(`admin.itemEditor.stage.${what}`) });
  return (
    <Section id="time" title={t('admin.itemEditor.time')} help={t('admin.itemEditor.timeHelp')} problems={problems}>
      <Form layout="vertical" component="div" className="designer-grid">
        <Form.Item label={t('admin.itemEditor.labels.statutoryDays')} htmlFor="i-statutory">
          <Space wrap>
            <InputNumber
              id="i-statutory"
              min={0}
              max={365}
              precision={0}
              disabled={noLimit}
              value={item.statutoryDays}
              onChange={(v) => edit(setStatutoryDays(item, v ?? 0))}
            />
            <Checkbox
              checked={noLimit}
              onChange={(e) => edit(setStatutoryDays(item, e.target.checked ? null : Math.max(item.promisedDays, 1)))}
            >
              {t('admin.itemEditor.noStatutory')}
            </Checkbox>
          </Space>
        </Form.Item>
        <Form.Item label={t('admin.itemEditor.labels.promisedDays')} htmlFor="i-promised">
          <InputNumber
            id="i-promised"
            min={0}
            max={365}
            precision={0}
            value={item.promisedDays}
            onChange={(v) => edit({ ...item, promisedDays: v ?? 0 })}
          />
        </Form.Item>
      </Form>
      <h3 className="item-subtitle">{t('admin.itemEditor.labels.stages')}</h3>
      <Table
        rowKey="n"
        size="small"
        pagination={false}
        dataSource={rows}
        data-testid="item-stages-table"
        locale={{ emptyText: t('admin.itemEditor.noStages') }}
        columns={[
          {
            title: t('admin.itemEditor.stage.code'),
            key: 'code',
            width: 150,
            render: (_, { s, n }) => (
              <Select
                size="small"
                style={{ width: '100%' }}
                aria-label={of(n, 'code')}
                value={s.code}
                onChange={(code) => edit(updateStage(item, n, { code }))}
                options={STAGE_CODES.map((c) => ({ value: c, label: t(`admin.itemEditor.stages.${c}`) }))}
              />
            ),
          },
          {
            title: t('admin.itemEditor.inZh', { label: t('admin.itemEditor.stage.name') }),
            key: 'zh',
            render: (_, { s, n }) => (
              <Input
                size="small"
                aria-label={t('admin.itemEditor.inZh', { label: of(n, 'name') })}
                value={s.name.zh}
                onChange={(e) => edit(updateStage(item, n, { name: { ...s.name, zh: e.target.value } }))}
              />
            ),
          },
          {
            title: t('admin.itemEditor.inEn', { label: t('admin.itemEditor.stage.name') }),
            key: 'en',
            render: (_, { s, n }) => (
              <Input
                size="small"
                aria-label={t('admin.itemEditor.inEn', { label: of(n, 'name') })}
                value={s.name.en}
                onChange={(e) => edit(updateStage(item, n, { name: { ...s.name, en: e.target.value } }))}
              />
            ),
          },
          {
            title: t('admin.itemEditor.stage.excludedFromLimit'),
            key: 'ex',
            width: 130,
            align: 'center',
            render: (_, { s, n }) => (
              <Checkbox
                aria-label={of(n, 'excludedFromLimit')}
                checked={s.excludedFromLimit}
                onChange={(e) => edit(updateStage(item, n, { excludedFromLimit: e.target.checked }))}
              />
            ),
          },
          {
            title: t('admin.itemEditor.stage.days'),
            key: 'days',
            width: 110,
            render: (_, { s, n }) => (
              <InputNumber
                size="small"
                style={{ width: '100%' }}
                aria-label={of(n, 'days')}
                min={0}
                max={365}
                precision={0}
                value={s.days ?? null}
                onChange={(v) => edit(updateStage(item, n, { days: v ?? undefined }))}
              />
            ),
          },
          {
            title: '',
            key: 'x',
            width: 80,
            render: (_, { n }) => (
              <Button
                type="link"
                danger
                size="small"
                onClick={() => edit(removeAt(item, 'stages', n))}
                aria-label={t('admin.itemEditor.removeOf', { what: t('admin.itemEditor.labels.stageN', { n: n + 1 }) })}
              >
                {t('admin.designer.remove')}
              </Button>
            ),
          },
        ]}
      />
      <Button style={{ marginTop: 12 }} onClick={() => edit(addStage(item))}>
        {t('admin.itemEditor.add.stages')}
      </Button>
    </Section>
  );
}

function Fee({ item, edit, problems }: { item: EditItem; edit: Edit; problems: Shown[] }) {
  const { t } = useTranslation();
  return (
    <Section id="fee" title={t('admin.itemEditor.labels.fee')} problems={problems}>
      <Checkbox
        checked={item.fee.charged}
        onChange={(e) => edit({ ...item, fee: { ...item.fee, charged: e.target.checked } })}
      >
        {t('admin.itemEditor.charged')}
      </Checkbox>
      <Form layout="vertical" component="div" className="designer-grid" style={{ marginTop: 12 }}>
        <Bilingual
          id="i-fee"
          label={t('admin.itemEditor.labels.feeDescription')}
          value={item.fee.description}
          rows={2}
          onChange={(description) => edit({ ...item, fee: { ...item.fee, description } })}
        />
      </Form>
    </Section>
  );
}

const KIND_FIELD = { key: '', zh: '', en: '', kind: 'text' as FieldKind, required: true };

function Fields({ item, edit, problems }: { item: EditItem; edit: Edit; problems: Shown[] }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState(KIND_FIELD);
  const fields = itemFields(item);
  const keyOk = SECTION_KEY.test(draft.key) && !item.fields.properties?.[draft.key];
  const kindOptions = ITEM_FIELD_KINDS.map((k) => ({ value: k, label: t(`admin.designer.kinds.${k}`) }));
  return (
    <Section
      id="fields"
      title={t('admin.itemEditor.labels.fields')}
      help={t('admin.itemEditor.fieldsHelp')}
      problems={problems}
    >
      <Table
        rowKey="key"
        size="small"
        pagination={false}
        dataSource={fields}
        data-testid="item-fields-table"
        locale={{ emptyText: t('admin.itemEditor.noFields') }}
        columns={[
          {
            title: t('admin.itemEditor.fieldKey'),
            dataIndex: 'key',
            key: 'k',
            width: 170,
            render: (k: string) => <span className="mono">{k}</span>,
          },
          {
            title: t('admin.designer.fieldZh'),
            key: 'zh',
            render: (_, f) => (
              <Input
                size="small"
                aria-label={t('admin.designer.titleOf', { path: f.key, lang: '中文' })}
                value={f.title.zh}
                onChange={(e) => edit(updateItemField(item, f.key, { title: { ...f.title, zh: e.target.value } }))}
              />
            ),
          },
          {
            title: t('admin.designer.fieldEn'),
            key: 'en',
            render: (_, f) => (
              <Input
                size="small"
                aria-label={t('admin.designer.titleOf', { path: f.key, lang: 'English' })}
                value={f.title.en}
                onChange={(e) => edit(updateItemField(item, f.key, { title: { ...f.title, en: e.target.value } }))}
              />
            ),
          },
          {
            title: t('admin.designer.fieldKind'),
            key: 'kind',
            width: 170,
            render: (_, f) =>
              f.kind ? (
                <Select<FieldKind>
                  size="small"
                  style={{ width: '100%' }}
                  aria-label={t('admin.itemEditor.kindOf', { key: f.key })}
                  value={f.kind}
                  onChange={(kind) => edit(updateItemField(item, f.key, { kind }))}
                  options={kindOptions}
                />
              ) : (
                <Tag>{t('admin.itemEditor.customKind')}</Tag>
              ),
          },
          {
            title: t('admin.designer.required'),
            key: 'r',
            width: 70,
            align: 'center',
            render: (_, f) => (
              <Checkbox
                aria-label={t('admin.designer.requiredOf', { path: f.key })}
                checked={f.required}
                onChange={(e) => edit(updateItemField(item, f.key, { required: e.target.checked }))}
              />
            ),
          },
          {
            title: '',
            key: 'x',
            width: 80,
            render: (_, f) => (
              <Button
                type="link"
                danger
                size="small"
                onClick={() => edit(removeItemField(item, f.key))}
                aria-label={t('admin.designer.removeField', { path: f.key })}
              >
                {t('admin.designer.remove')}
              </Button>
            ),
          },
        ]}
      />
      <div className="admin-tools" style={{ marginTop: 12 }}>
        <Input
          aria-label={t('admin.itemEditor.newFieldKey')}
          placeholder={t('admin.itemEditor.newFieldKey')}
          className="mono"
          style={{ width: 240 }}
          value={draft.key}
          onChange={(e) => setDraft({ ...draft, key: e.target.value.trim() })}
          status={draft.key && !keyOk ? 'error' : undefined}
        />
        <Input
          aria-label={t('admin.itemEditor.newFieldZh')}
          placeholder={t('admin.itemEditor.newFieldZh')}
          style={{ width: 170 }}
          value={draft.zh}
          onChange={(e) => setDraft({ ...draft, zh: e.target.value })}
        />
        <Input
          aria-label={t('admin.itemEditor.newFieldEn')}
          placeholder={t('admin.itemEditor.newFieldEn')}
          style={{ width: 170 }}
          value={draft.en}
          onChange={(e) => setDraft({ ...draft, en: e.target.value })}
        />
        <Select<FieldKind>
          aria-label={t('admin.itemEditor.newFieldKind')}
          style={{ width: 150 }}
          value={draft.kind}
          onChange={(kind) => setDraft({ ...draft, kind })}
          options={kindOptions}
        />
        <Checkbox checked={draft.required} onChange={(e) => setDraft({ ...draft, required: e.target.checked })}>
          {t('admin.designer.required')}
        </Checkbox>
        <Button
          disabled={!keyOk || !draft.zh.trim()}
          onClick={() => {
            edit(
              addItemField(item, draft.key, { zh: draft.zh.trim(), en: draft.en.trim() }, draft.kind, draft.required),
            );
            setDraft({ ...draft, key: '', zh: '', en: '' });
          }}
        >
          {t('admin.designer.addField')}
        </Button>
      </div>
      {draft.key && !keyOk && <p className="field-error">{t('admin.designer.badKey')}</p>}
    </Section>
  );
}

function Outputs({ item, edit, problems }: { item: EditItem; edit: Edit; problems: Shown[] }) {
  const { t } = useTranslation();
  const rows = item.outputs.map((o, n) => ({ o, n }));
  const of = (n: number, what: string) =>
    t('admin.itemEditor.outputField', { n: n + 1, field: t(`admin.itemEditor.output.${what}`) });
  return (
    <Section
      id="outputs"
      title={t('admin.itemEditor.labels.outputs')}
      help={t('admin.itemEditor.outputsHelp')}
      problems={problems}
    >
      <Table
        rowKey="n"
        size="small"
        pagination={false}
        dataSource={rows}
        locale={{ emptyText: t('admin.itemEditor.noOutputs') }}
        columns={[
          {
            title: t('admin.itemEditor.output.certificateType'),
            key: 'c',
            width: 240,
            render: (_, { o, n }) => (
              <Input
                size="small"
                className="mono"
                aria-label={of(n, 'certificateType')}
                value={o.certificateType}
                maxLength={64}
                onChange={(e) => edit(updateOutput(item, n, { certificateType: e.target.value.trim() }))}
              />
            ),
          },
          {
            title: t('admin.itemEditor.inZh', { label: t('admin.itemEditor.output.name') }),
            key: 'zh',
            render: (_, { o, n }) => (
              <Input
                size="small"
                aria-label={t('admin.itemEditor.inZh', { label: of(n, 'name') })}
                value={o.name.zh}
                onChange={(e) => edit(updateOutput(item, n, { name: { ...o.name, zh: e.target.value } }))}
              />
            ),
          },
          {
            title: t('admin.itemEditor.inEn', { label: t('admin.itemEditor.output.name') }),
            key: 'en',
            render: (_, { o, n }) => (
              <Input
                size="small"
                aria-label={t('admin.itemEditor.inEn', { label: of(n, 'name') })}
                value={o.name.en}
                onChange={(e) => edit(updateOutput(item, n, { name: { ...o.name, en: e.target.value } }))}
              />
            ),
          },
          {
            title: '',
            key: 'x',
            width: 80,
            render: (_, { n }) => (
              <Button
                type="link"
                danger
                size="small"
                onClick={() => edit(removeAt(item, 'outputs', n))}
                aria-label={t('admin.itemEditor.removeOf', {
                  what: t('admin.itemEditor.labels.outputN', { n: n + 1 }),
                })}
              >
                {t('admin.designer.remove')}
              </Button>
            ),
          },
        ]}
      />
      <Button style={{ marginTop: 12 }} onClick={() => edit(addOutput(item))}>
        {t('admin.itemEditor.add.outputs')}
      </Button>
    </Section>
  );
}

function Other({ item, edit, problems }: { item: EditItem; edit: Edit; problems: Shown[] }) {
  const { t } = useTranslation();
  return (
    <Section id="other" title={t('admin.itemEditor.other')} problems={problems}>
      <Form layout="vertical" component="div" className="designer-grid">
        <Bilingual
          id="i-offline"
          label={t('admin.itemEditor.labels.offline')}
          value={item.offline}
          rows={3}
          onChange={(offline) => edit({ ...item, offline })}
        />
      </Form>
      <h3 className="item-subtitle">{t('admin.itemEditor.labels.sources')}</h3>
      {item.sources.map((s, n) => (
        <div key={n} className="item-source-row">
          <Input
            aria-label={t('admin.itemEditor.labels.sourcesN', { n: n + 1 })}
            value={s}
            maxLength={1000}
            onChange={(e) => edit(setSource(item, n, e.target.value))}
          />
          <Button
            type="link"
            danger
            onClick={() => edit(removeAt(item, 'sources', n))}
            aria-label={t('admin.itemEditor.removeOf', { what: t('admin.itemEditor.labels.sourcesN', { n: n + 1 }) })}
          >
            {t('admin.designer.remove')}
          </Button>
        </div>
      ))}
      <Button onClick={() => edit(addSource(item))}>{t('admin.itemEditor.add.sources')}</Button>
    </Section>
  );
}
