// The bundle designer (一件事设计器): an administrator composes a one-thing bundle from published service items
// without a developer — the basics, the items and the order they wait for each other (drawn as a graph), the
// situation questions that switch items on or off, the one shared form built from the items' fields with a live
// preview, the mapping of form fields to each item's fields, and the one material set. "Check" asks the server
// for every catalogue check a publish would run; "Save draft" and "Publish" use the admin catalogue API. The
// model (what each edit does) is features/catalogue/designer.ts, unit-tested on its own.
import { useMemo, useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Empty,
  Form,
  Input,
  InputNumber,
  Radio,
  Select,
  Space,
  Spin,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../../app/ProblemAlert';
import { useLang } from '../../lib/preferences';
import { pick, splitTitle } from '../../lib/text';
import { EChart } from '../../components/EChart';
import { JsonSchemaForm } from '../../components/JsonSchemaForm/JsonSchemaForm';
import { ENTERPRISE_STAGES, PERSON_STAGES, type BundleCheck, type Condition } from '@onething/shared/catalogue';
import { useDepartments } from '../../features/catalogue/api';
import { itemGraphOption } from '../../features/catalogue/graph';
import {
  fetchItemInfo,
  loadForDesign,
  useItemInfos,
  useItemList,
  usePublish,
  useSaveBundleDraft,
  useValidateBundle,
} from '../../features/catalogue/admin';
import {
  addField,
  addItem,
  addItemFields,
  addSection,
  addSituation,
  fieldSchema,
  formFields,
  mappedFrom,
  newBundle,
  openForEditing,
  removeField,
  removeItem,
  removeSituation,
  SECTION_KEY,
  setLeadDepartment,
  setMapping,
  setMaterialCondition,
  splitBoth,
  toContent,
  unmappedRequired,
  updateField,
  updateItem,
  type DesignBundle,
  type FieldKind,
  type ItemInfo,
} from '../../features/catalogue/designer';
import { catalogueKeys } from '../../features/catalogue/keys';
import { useSession } from '../../features/identity/api';
import { VersionDiff } from './VersionDiff';
import { PageSpinner } from '../../app/PageSpinner';

export default function BundleDesigner() {
  const { t } = useTranslation();
  const { code } = useParams();
  const session = useSession();
  const loaded = useQuery({
    queryKey: catalogueKeys.design(code),
    queryFn: () => (code ? loadForDesign(code) : Promise.resolve(null)),
    staleTime: Infinity,
    gcTime: 0,
  });
  if (loaded.isPending || session.isPending) return <PageSpinner />;
  if (loaded.error) return <ProblemAlert error={loaded.error} />;
  if (code && !loaded.data) return <Alert type="warning" showIcon title={t('admin.designer.notFound', { code })} />;
  const region = session.data?.regionCode ?? '320000';
  const initial = loaded.data ? openForEditing(loaded.data.content) : newBundle(region);
  return <Designer key={code ?? 'new'} initial={initial} existing={!!code} fromDraft={loaded.data?.draft ?? false} />;
}

function Designer({
  initial,
  existing: opened,
  fromDraft,
}: {
  initial: DesignBundle;
  existing: boolean;
  fromDraft: boolean;
}) {
  const { t } = useTranslation();
  const lang = useLang();
  const [b, setB] = useState<DesignBundle>(initial);
  // A new bundle becomes an existing one at its first save: its code is fixed from then on.
  const [existing, setExisting] = useState(opened);
  const itemList = useItemList();
  const departments = useDepartments();
  const infoQueries = useItemInfos(b.items.map((i) => i.item));
  const infos = useMemo(
    () => new Map(infoQueries.flatMap((q) => (q.data ? [[q.data.code, q.data] as const] : []))),
    [infoQueries],
  );
  const validate = useValidateBundle();
  const save = useSaveBundleDraft();
  const publish = usePublish('bundles');
  const [check, setCheck] = useState<BundleCheck | null>(null);
  const [saved, setSaved] = useState<number | null>(null);

  const edit = (next: DesignBundle) => {
    setB(next);
    setCheck(null);
    setSaved(null);
    publish.reset();
  };
  const itemName = (code: string) =>
    pick(infos.get(code)?.name ?? itemList.data?.find((i) => i.code === code)?.name, lang) || code;
  const deptName = (code: string) => pick(departments.data?.get(code)?.name, lang) || code;

  const content = () => toContent(b);
  const runCheck = async () => {
    const result = await validate.mutateAsync(content());
    setCheck(result);
    return result;
  };
  const saveDraft = async () => {
    const r = await save.mutateAsync(content());
    setSaved(r.version);
    setExisting(true);
    return r;
  };
  const saveAndPublish = async () => {
    const result = await runCheck();
    if (!result.valid) return;
    await saveDraft();
    await publish.mutateAsync(b.code);
  };
  const busy = validate.isPending || save.isPending || publish.isPending;
  const problem = validate.error ?? save.error ?? publish.error;

  return (
    <>
      <Typography.Title level={1}>
        {existing
          ? t('admin.designer.editTitle', { name: pick(b.name, lang) || b.code })
          : t('admin.designer.newTitle')}
      </Typography.Title>
      <p className="muted">{t('admin.designer.intro')}</p>
      {existing && fromDraft && <Alert type="info" showIcon title={t('admin.designer.openedDraft')} />}

      <Basics b={b} edit={edit} existing={existing} infos={infos} />
      <Items b={b} edit={edit} infos={infos} itemName={itemName} deptName={deptName} />
      <Situations b={b} edit={edit} />
      <FormBuilder b={b} edit={edit} infos={infos} itemName={itemName} />
      <Mappings b={b} edit={edit} infos={infos} itemName={itemName} />
      <Materials b={b} edit={edit} itemName={itemName} />

      <Card title={<h2 className="card-title">{t('admin.designer.publishTitle')}</h2>} data-testid="designer-actions">
        <p className="muted">{t('admin.designer.publishHelp')}</p>
        <Space wrap>
          <Button onClick={() => void runCheck().catch(() => undefined)} loading={validate.isPending} disabled={busy}>
            {t('admin.designer.check')}
          </Button>
          <Button onClick={() => void saveDraft().catch(() => undefined)} loading={save.isPending} disabled={busy}>
            {t('admin.designer.saveDraft')}
          </Button>
          <Button
            type="primary"
            onClick={() => void saveAndPublish().catch(() => undefined)}
            loading={publish.isPending}
            disabled={busy}
          >
            {t('admin.designer.publish')}
          </Button>
        </Space>
        <div className="designer-result" aria-live="polite">
          {check &&
            (check.valid ? (
              <Alert type="success" showIcon title={t('admin.designer.valid')} />
            ) : (
              <CheckErrors check={check} b={b} itemName={itemName} />
            ))}
          {saved !== null && !publish.data && (
            <Alert type="success" showIcon title={t('admin.designer.saved', { version: saved })} />
          )}
          {publish.data && (
            <Alert
              type="success"
              showIcon
              data-testid="designer-published"
              title={t('admin.catalogue.publishedOk', { version: publish.data.version })}
              description={
                <Link to={`/bundles/${encodeURIComponent(b.code)}`}>{t('admin.designer.openInPortal')}</Link>
              }
            />
          )}
          <ProblemAlert error={problem} fieldName={(p) => pointerLabel(p, b, itemName, t)} />
        </div>
      </Card>
      {existing && <VersionDiff kind="bundles" code={b.code} />}
    </>
  );
}

type Edit = (next: DesignBundle) => void;
type T = ReturnType<typeof useTranslation>['t'];

function Section({ title, children, testId }: { title: string; children: ReactNode; testId: string }) {
  return (
    <Card title={<h2 className="card-title">{title}</h2>} data-testid={testId}>
      {children}
    </Card>
  );
}

function Basics({
  b,
  edit,
  existing,
  infos,
}: {
  b: DesignBundle;
  edit: Edit;
  existing: boolean;
  infos: ReadonlyMap<string, ItemInfo>;
}) {
  const { t } = useTranslation();
  const lang = useLang();
  const departments = useDepartments();
  const stages = b.audience === 'person' ? PERSON_STAGES : ENTERPRISE_STAGES;
  const text = (key: 'name' | 'description', l: 'zh' | 'en', v: string) =>
    edit({ ...b, [key]: { ...(b[key] ?? { zh: '', en: '' }), [l]: v } });
  return (
    <Section title={t('admin.designer.basics')} testId="designer-basics">
      <Form layout="vertical" component="div" className="designer-grid">
        <Form.Item
          label={t('admin.designer.code')}
          htmlFor="d-code"
          help={existing ? undefined : t('admin.designer.codeHelp')}
        >
          <Input
            id="d-code"
            className="mono"
            value={b.code}
            disabled={existing}
            maxLength={64}
            onChange={(e) => edit({ ...b, code: e.target.value.trim() })}
          />
        </Form.Item>
        <Form.Item label={t('admin.designer.region')} htmlFor="d-region">
          <Input
            id="d-region"
            className="mono"
            value={b.regionCode}
            maxLength={6}
            onChange={(e) => edit({ ...b, regionCode: e.target.value.trim() })}
          />
        </Form.Item>
        <Form.Item label={t('admin.designer.nameZh')} htmlFor="d-name-zh">
          <Input
            id="d-name-zh"
            value={b.name.zh}
            maxLength={200}
            onChange={(e) => text('name', 'zh', e.target.value)}
          />
        </Form.Item>
        <Form.Item label={t('admin.designer.nameEn')} htmlFor="d-name-en">
          <Input
            id="d-name-en"
            value={b.name.en}
            maxLength={200}
            onChange={(e) => text('name', 'en', e.target.value)}
          />
        </Form.Item>
        <Form.Item label={t('admin.designer.descriptionZh')} htmlFor="d-desc-zh">
          <Input.TextArea
            id="d-desc-zh"
            rows={2}
            value={b.description?.zh ?? ''}
            maxLength={4000}
            onChange={(e) => text('description', 'zh', e.target.value)}
          />
        </Form.Item>
        <Form.Item label={t('admin.designer.descriptionEn')} htmlFor="d-desc-en">
          <Input.TextArea
            id="d-desc-en"
            rows={2}
            value={b.description?.en ?? ''}
            maxLength={4000}
            onChange={(e) => text('description', 'en', e.target.value)}
          />
        </Form.Item>
        <Form.Item label={t('admin.designer.audience')}>
          <Radio.Group
            value={b.audience}
            onChange={(e) => {
              const audience = e.target.value as DesignBundle['audience'];
              const own = audience === 'person' ? PERSON_STAGES : ENTERPRISE_STAGES;
              edit({ ...b, audience, stage: (own as readonly string[]).includes(b.stage) ? b.stage : own[0] });
            }}
            options={[
              { value: 'person', label: t('admin.designer.person') },
              { value: 'enterprise', label: t('admin.designer.enterprise') },
            ]}
          />
        </Form.Item>
        <Form.Item label={t('admin.designer.stage')} htmlFor="d-stage">
          <Select
            id="d-stage"
            value={b.stage}
            onChange={(stage) => edit({ ...b, stage })}
            options={stages.map((s) => ({ value: s, label: t(`stage.${s}`) }))}
          />
        </Form.Item>
        <Form.Item label={t('admin.designer.lead')} htmlFor="d-lead" help={t('admin.designer.leadHelp')}>
          <Select
            id="d-lead"
            showSearch={{ optionFilterProp: 'label' }}
            value={b.leadDepartment || undefined}
            onChange={(code) => edit(setLeadDepartment(b, code, infos))}
            options={[...(departments.data?.values() ?? [])].map((d) => ({ value: d.code, label: pick(d.name, lang) }))}
          />
        </Form.Item>
        <Form.Item label={t('admin.designer.promisedDays')} htmlFor="d-days">
          <InputNumber
            id="d-days"
            min={0}
            max={365}
            precision={0}
            value={b.promisedDays ?? null}
            onChange={(v) => edit({ ...b, promisedDays: v ?? undefined })}
          />
        </Form.Item>
      </Form>
      {b.supportingDepartments.length > 0 && (
        <p className="muted">
          {t('admin.designer.supporting')}:{' '}
          {b.supportingDepartments
            .map((d) => pick(departments.data?.get(d)?.name, lang) || d)
            .join(lang === 'zh' ? '、' : ', ')}
        </p>
      )}
    </Section>
  );
}

/** A condition the designer can show as a choice: "always", or one yes/no answer. Others are kept as they are. */
function conditionValue(when: Condition | undefined): string {
  if (!when) return '';
  if ('eq' in when && when.q && typeof when.eq === 'boolean') return `${when.q}=${when.eq ? 'yes' : 'no'}`;
  return 'custom';
}

function parseCondition(v: string): Condition | undefined {
  if (!v) return undefined;
  const [q, answer] = v.split('=');
  return { q: q!, eq: answer === 'yes' };
}

/** "Always", and for each yes/no question "when answered yes" and "when answered no". */
function conditionOptions(b: DesignBundle, t: T, lang: 'zh' | 'en') {
  return [
    { value: '', label: t('admin.designer.always') },
    ...b.situations
      .filter((s) => s.type === 'boolean')
      .flatMap((s) => [
        { value: `${s.id}=yes`, label: t('admin.designer.whenYes', { q: pick(s.ask, lang) }) },
        { value: `${s.id}=no`, label: t('admin.designer.whenNo', { q: pick(s.ask, lang) }) },
      ]),
  ];
}

function Items({
  b,
  edit,
  infos,
  itemName,
  deptName,
}: {
  b: DesignBundle;
  edit: Edit;
  infos: ReadonlyMap<string, ItemInfo>;
  itemName: (c: string) => string;
  deptName: (c: string) => string;
}) {
  const { t } = useTranslation();
  const lang = useLang();
  const list = useItemList();
  const [adding, setAdding] = useState(false);
  const candidates = (list.data ?? []).filter(
    (i) => !b.items.some((x) => x.item === i.code) && (!i.serviceObjects || i.serviceObjects.includes(b.audience)),
  );
  const add = async (code: string) => {
    setAdding(true);
    try {
      const info = await fetchItemInfo(code);
      edit(addItem(b, info, infos));
    } finally {
      setAdding(false);
    }
  };
  const options = conditionOptions(b, t, lang);
  const graph = useMemo(() => itemGraphOption(b.items, itemName), [b.items, itemName]);
  return (
    <Section title={t('admin.designer.items')} testId="designer-items">
      <p className="muted">{t('admin.designer.itemsHelp')}</p>
      <label className="admin-tools">
        <span id="d-add-item">{t('admin.designer.addItem')}</span>
        <Select<string>
          aria-labelledby="d-add-item"
          style={{ width: 420 }}
          showSearch={{ optionFilterProp: 'label' }}
          value={null as unknown as string}
          loading={adding || list.isPending}
          placeholder={t('admin.designer.addItemPlaceholder')}
          onChange={(code) => void add(code)}
          options={candidates.map((i) => ({
            value: i.code,
            label: `${pick(i.name, lang)} · ${deptName(i.departmentCode)}`,
          }))}
        />
      </label>
      {b.items.length === 0 ? (
        <Empty description={t('admin.designer.noItems')} />
      ) : (
        <Table
          rowKey="item"
          size="small"
          pagination={false}
          style={{ marginTop: 12 }}
          dataSource={b.items}
          columns={[
            {
              title: t('admin.designer.item'),
              key: 'name',
              width: 220,
              render: (_, i) => (
                <>
                  <div>{itemName(i.item)}</div>
                  <span className="mono muted">{i.item}</span>
                </>
              ),
            },
            {
              title: t('admin.people.department'),
              key: 'dept',
              width: 150,
              render: (_, i) => deptName(infos.get(i.item)?.departmentCode ?? ''),
            },
            {
              title: t('admin.designer.after'),
              key: 'after',
              width: 230,
              render: (_, i) => (
                <Select<string[]>
                  mode="multiple"
                  aria-label={t('admin.designer.afterOf', { item: itemName(i.item) })}
                  style={{ width: '100%' }}
                  value={i.after}
                  placeholder={t('admin.designer.noPrerequisite')}
                  onChange={(after) => edit(updateItem(b, i.item, { after }))}
                  options={b.items
                    .filter((x) => x.item !== i.item)
                    .map((x) => ({ value: x.item, label: itemName(x.item) }))}
                />
              ),
            },
            {
              title: t('admin.designer.when'),
              key: 'when',
              width: 230,
              render: (_, i) => {
                const value = conditionValue(i.when);
                return (
                  <Select<string>
                    aria-label={t('admin.designer.whenOf', { item: itemName(i.item) })}
                    style={{ width: '100%' }}
                    value={value}
                    disabled={value === 'custom'}
                    onChange={(v) => edit(updateItem(b, i.item, { when: parseCondition(v) }))}
                    options={
                      value === 'custom'
                        ? [...options, { value: 'custom', label: t('admin.designer.customCondition') }]
                        : options
                    }
                  />
                );
              },
            },
            {
              title: t('admin.designer.actions'),
              key: 'remove',
              render: (_, i) => (
                <Button
                  type="link"
                  danger
                  onClick={() => edit(removeItem(b, i.item, infos))}
                  aria-label={t('admin.designer.removeItem', { item: itemName(i.item) })}
                >
                  {t('admin.designer.remove')}
                </Button>
              ),
            },
          ]}
        />
      )}
      {b.items.length > 0 && (
        <>
          <h3>{t('admin.catalogue.graph')}</h3>
          <EChart
            option={graph.option}
            height={graph.height}
            label={t('admin.catalogue.graph')}
            testId="designer-graph"
          />
        </>
      )}
    </Section>
  );
}

function Situations({ b, edit }: { b: DesignBundle; edit: Edit }) {
  const { t } = useTranslation();
  const lang = useLang();
  const [id, setId] = useState('');
  const [zh, setZh] = useState('');
  const [en, setEn] = useState('');
  const idOk = SECTION_KEY.test(id) && !b.situations.some((s) => s.id === id);
  return (
    <Section title={t('admin.designer.situations')} testId="designer-situations">
      <p className="muted">{t('admin.designer.situationsHelp')}</p>
      {b.situations.length > 0 && (
        <ul className="designer-list">
          {b.situations.map((s) => (
            <li key={s.id}>
              <span className="mono">{s.id}</span> {pick(s.ask, lang)}{' '}
              <Tag>{s.type === 'boolean' ? t('admin.designer.yesNo') : t('admin.designer.choice')}</Tag>
              <Button
                type="link"
                danger
                onClick={() => edit(removeSituation(b, s.id))}
                aria-label={t('admin.designer.removeSituation', { q: pick(s.ask, lang) })}
              >
                {t('admin.designer.remove')}
              </Button>
            </li>
          ))}
        </ul>
      )}
      <div className="admin-tools">
        <Input
          aria-label={t('admin.designer.situationId')}
          placeholder={t('admin.designer.situationId')}
          className="mono"
          style={{ width: 180 }}
          value={id}
          onChange={(e) => setId(e.target.value.trim())}
          status={id && !idOk ? 'error' : undefined}
        />
        <Input
          aria-label={t('admin.designer.askZh')}
          placeholder={t('admin.designer.askZh')}
          style={{ width: 280 }}
          value={zh}
          onChange={(e) => setZh(e.target.value)}
        />
        <Input
          aria-label={t('admin.designer.askEn')}
          placeholder={t('admin.designer.askEn')}
          style={{ width: 280 }}
          value={en}
          onChange={(e) => setEn(e.target.value)}
        />
        <Button
          disabled={!idOk || !zh.trim() || !en.trim()}
          onClick={() => {
            edit(addSituation(b, id, { zh: zh.trim(), en: en.trim() }));
            setId('');
            setZh('');
            setEn('');
          }}
        >
          {t('admin.designer.addSituation')}
        </Button>
      </div>
      {id && !idOk && <p className="field-error">{t('admin.designer.badKey')}</p>}
    </Section>
  );
}

const KINDS: FieldKind[] = ['text', 'longText', 'date', 'idNumber', 'mobile', 'integer', 'boolean', 'gender'];

function FormBuilder({
  b,
  edit,
  infos,
  itemName,
}: {
  b: DesignBundle;
  edit: Edit;
  infos: ReadonlyMap<string, ItemInfo>;
  itemName: (c: string) => string;
}) {
  const { t } = useTranslation();
  const lang = useLang();
  const [preview] = Form.useForm();
  const sections = Object.entries(b.form.properties ?? {}).filter(([, s]) => s.type === 'object');
  const [section, setSection] = useState<string | undefined>();
  const target = section && b.form.properties?.[section] ? section : sections[0]?.[0];
  const [newSection, setNewSection] = useState({ key: '', zh: '', en: '' });
  const [field, setField] = useState<{ key: string; zh: string; en: string; kind: FieldKind; required: boolean }>({
    key: '',
    zh: '',
    en: '',
    kind: 'text',
    required: true,
  });
  const [fromItem, setFromItem] = useState<string | undefined>();
  const fields = formFields(b.form);
  const sectionOk = SECTION_KEY.test(newSection.key) && !b.form.properties?.[newSection.key];
  const fieldOk = !!target && SECTION_KEY.test(field.key) && !b.form.properties?.[target]?.properties?.[field.key];
  return (
    <Section title={t('admin.designer.form')} testId="designer-form">
      <p className="muted">{t('admin.designer.formHelp')}</p>
      <div className="designer-form">
        <div>
          <div className="admin-tools">
            <Input
              aria-label={t('admin.designer.sectionKey')}
              placeholder={t('admin.designer.sectionKey')}
              className="mono"
              style={{ width: 150 }}
              value={newSection.key}
              onChange={(e) => setNewSection({ ...newSection, key: e.target.value.trim() })}
            />
            <Input
              aria-label={t('admin.designer.sectionZh')}
              placeholder={t('admin.designer.sectionZh')}
              style={{ width: 150 }}
              value={newSection.zh}
              onChange={(e) => setNewSection({ ...newSection, zh: e.target.value })}
            />
            <Input
              aria-label={t('admin.designer.sectionEn')}
              placeholder={t('admin.designer.sectionEn')}
              style={{ width: 150 }}
              value={newSection.en}
              onChange={(e) => setNewSection({ ...newSection, en: e.target.value })}
            />
            <Button
              disabled={!sectionOk || !newSection.zh.trim()}
              onClick={() => {
                edit(addSection(b, newSection.key, { zh: newSection.zh.trim(), en: newSection.en.trim() }));
                setSection(newSection.key);
                setNewSection({ key: '', zh: '', en: '' });
              }}
            >
              {t('admin.designer.addSection')}
            </Button>
          </div>
          {newSection.key && !sectionOk && <p className="field-error">{t('admin.designer.badKey')}</p>}
          {sections.length > 0 && (
            <>
              <div className="admin-tools" style={{ marginTop: 12 }}>
                <span id="d-target">{t('admin.designer.targetSection')}</span>
                <Select<string>
                  aria-labelledby="d-target"
                  style={{ width: 200 }}
                  value={target}
                  onChange={setSection}
                  options={sections.map(([k, s]) => ({ value: k, label: splitTitle(s.title, lang) || k }))}
                />
              </div>
              <div className="admin-tools" style={{ marginTop: 12 }}>
                <span id="d-from-item">{t('admin.designer.fieldsFromItem')}</span>
                <Select<string>
                  aria-labelledby="d-from-item"
                  style={{ width: 260 }}
                  value={fromItem}
                  onChange={setFromItem}
                  options={b.items.map((i) => ({ value: i.item, label: itemName(i.item) }))}
                />
                <Button
                  disabled={!fromItem || !infos.get(fromItem) || !target}
                  onClick={() => edit(addItemFields(b, infos.get(fromItem!)!, target!))}
                >
                  {t('admin.designer.addItemFields')}
                </Button>
              </div>
              <div className="admin-tools" style={{ marginTop: 12 }}>
                <Input
                  aria-label={t('admin.designer.fieldKey')}
                  placeholder={t('admin.designer.fieldKey')}
                  className="mono"
                  style={{ width: 140 }}
                  value={field.key}
                  onChange={(e) => setField({ ...field, key: e.target.value.trim() })}
                />
                <Input
                  aria-label={t('admin.designer.fieldZh')}
                  placeholder={t('admin.designer.fieldZh')}
                  style={{ width: 140 }}
                  value={field.zh}
                  onChange={(e) => setField({ ...field, zh: e.target.value })}
                />
                <Input
                  aria-label={t('admin.designer.fieldEn')}
                  placeholder={t('admin.designer.fieldEn')}
                  style={{ width: 140 }}
                  value={field.en}
                  onChange={(e) => setField({ ...field, en: e.target.value })}
                />
                <Select<FieldKind>
                  aria-label={t('admin.designer.fieldKind')}
                  style={{ width: 150 }}
                  value={field.kind}
                  onChange={(kind) => setField({ ...field, kind })}
                  options={KINDS.map((k) => ({ value: k, label: t(`admin.designer.kinds.${k}`) }))}
                />
                <Checkbox checked={field.required} onChange={(e) => setField({ ...field, required: e.target.checked })}>
                  {t('admin.designer.required')}
                </Checkbox>
                <Button
                  disabled={!fieldOk || !field.zh.trim()}
                  onClick={() => {
                    edit(
                      addField(
                        b,
                        target!,
                        field.key,
                        fieldSchema(field.kind, { zh: field.zh.trim(), en: field.en.trim() }),
                        field.required,
                      ),
                    );
                    setField({ ...field, key: '', zh: '', en: '' });
                  }}
                >
                  {t('admin.designer.addField')}
                </Button>
              </div>
              {field.key && !fieldOk && <p className="field-error">{t('admin.designer.badKey')}</p>}
            </>
          )}
          <Table
            rowKey="path"
            size="small"
            pagination={false}
            style={{ marginTop: 12 }}
            data-testid="designer-fields"
            locale={{ emptyText: t('admin.designer.noFields') }}
            dataSource={fields}
            columns={[
              {
                title: t('admin.designer.fieldPath'),
                dataIndex: 'path',
                key: 'p',
                render: (p: string) => <span className="mono">{p}</span>,
              },
              {
                title: t('admin.designer.fieldZh'),
                key: 'zh',
                render: (_, f) => (
                  <Input
                    size="small"
                    aria-label={t('admin.designer.titleOf', { path: f.path, lang: '中文' })}
                    value={splitBoth(f.schema.title).zh}
                    onChange={(e) =>
                      edit(updateField(b, f.path, { title: { ...splitBoth(f.schema.title), zh: e.target.value } }))
                    }
                  />
                ),
              },
              {
                title: t('admin.designer.fieldEn'),
                key: 'en',
                render: (_, f) => (
                  <Input
                    size="small"
                    aria-label={t('admin.designer.titleOf', { path: f.path, lang: 'English' })}
                    value={splitBoth(f.schema.title).en}
                    onChange={(e) =>
                      edit(updateField(b, f.path, { title: { ...splitBoth(f.schema.title), en: e.target.value } }))
                    }
                  />
                ),
              },
              {
                title: t('admin.designer.required'),
                key: 'r',
                render: (_, f) => (
                  <Checkbox
                    aria-label={t('admin.designer.requiredOf', { path: f.path })}
                    checked={f.required}
                    onChange={(e) => edit(updateField(b, f.path, { required: e.target.checked }))}
                  />
                ),
              },
              {
                title: '',
                key: 'x',
                render: (_, f) => (
                  <Button
                    type="link"
                    danger
                    size="small"
                    onClick={() => edit(removeField(b, f.path))}
                    aria-label={t('admin.designer.removeField', { path: f.path })}
                  >
                    {t('admin.designer.remove')}
                  </Button>
                ),
              },
            ]}
          />
        </div>
        <div className="designer-preview" data-testid="designer-preview">
          <h3>{t('admin.designer.preview')}</h3>
          {fields.length === 0 ? (
            <Empty description={t('admin.designer.noFields')} />
          ) : (
            <JsonSchemaForm schema={b.form} form={preview} lang={lang} name="designer-preview" />
          )}
        </div>
      </div>
    </Section>
  );
}

function Mappings({
  b,
  edit,
  infos,
  itemName,
}: {
  b: DesignBundle;
  edit: Edit;
  infos: ReadonlyMap<string, ItemInfo>;
  itemName: (c: string) => string;
}) {
  const { t } = useTranslation();
  const lang = useLang();
  const formOptions = formFields(b.form).map((f) => ({
    value: f.path,
    label: `${splitTitle(f.schema.title, lang) || f.path} (${f.path})`,
  }));
  const missing = unmappedRequired(b, infos);
  return (
    <Section title={t('admin.designer.mappings')} testId="designer-mappings">
      <p className="muted">{t('admin.designer.mappingsHelp')}</p>
      {missing.length > 0 && (
        <Alert
          type="warning"
          showIcon
          title={t('admin.designer.unmapped', { count: missing.length })}
          style={{ marginBottom: 12 }}
        />
      )}
      {b.items.map((i) => {
        const info = infos.get(i.item);
        if (!info) return <Spin key={i.item} />;
        const rows = formFields(info.fields);
        return (
          <div key={i.item} className="designer-mapping">
            <h3>{itemName(i.item)}</h3>
            <Table
              rowKey="path"
              size="small"
              pagination={false}
              dataSource={rows}
              locale={{ emptyText: t('admin.designer.itemHasNoFields') }}
              columns={[
                {
                  title: t('admin.designer.itemField'),
                  key: 'f',
                  render: (_, f) => (
                    <>
                      {splitTitle(f.schema.title, lang) || f.path} <span className="mono muted">{f.path}</span>
                    </>
                  ),
                },
                {
                  title: t('admin.designer.required'),
                  key: 'r',
                  render: (_, f) =>
                    f.required ? (
                      mappedFrom(i, f.path) ? (
                        <Tag>{t('admin.designer.required')}</Tag>
                      ) : (
                        <Tag color="red">{t('admin.designer.requiredUnmapped')}</Tag>
                      )
                    ) : null,
                },
                {
                  title: t('admin.designer.formField'),
                  key: 'm',
                  width: 360,
                  render: (_, f) => (
                    <Select<string>
                      allowClear
                      aria-label={t('admin.designer.mappingOf', { item: itemName(i.item), field: f.path })}
                      style={{ width: '100%' }}
                      placeholder={t('admin.designer.notMapped')}
                      value={mappedFrom(i, f.path)}
                      onChange={(v) => edit(setMapping(b, i.item, f.path, v ?? null))}
                      options={formOptions}
                    />
                  ),
                },
              ]}
            />
          </div>
        );
      })}
      {b.items.length === 0 && <Empty description={t('admin.designer.noItems')} />}
    </Section>
  );
}

function Materials({ b, edit, itemName }: { b: DesignBundle; edit: Edit; itemName: (c: string) => string }) {
  const { t } = useTranslation();
  const lang = useLang();
  const options = conditionOptions(b, t, lang);
  const rename = (id: string, l: 'zh' | 'en', v: string) =>
    edit({ ...b, materials: b.materials.map((m) => (m.id === id ? { ...m, name: { ...m.name, [l]: v } } : m)) });
  return (
    <Section title={t('admin.designer.materials')} testId="designer-materials">
      <p className="muted">{t('admin.designer.materialsHelp')}</p>
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={b.materials}
        locale={{ emptyText: t('admin.designer.noMaterials') }}
        columns={[
          {
            title: t('admin.designer.materialId'),
            dataIndex: 'id',
            key: 'id',
            render: (id: string) => <span className="mono">{id}</span>,
          },
          {
            title: t('admin.designer.fieldZh'),
            key: 'zh',
            render: (_, m) => (
              <Input
                size="small"
                aria-label={t('admin.designer.materialName', { id: m.id, lang: '中文' })}
                value={m.name.zh}
                onChange={(e) => rename(m.id, 'zh', e.target.value)}
              />
            ),
          },
          {
            title: t('admin.designer.fieldEn'),
            key: 'en',
            render: (_, m) => (
              <Input
                size="small"
                aria-label={t('admin.designer.materialName', { id: m.id, lang: 'English' })}
                value={m.name.en}
                onChange={(e) => rename(m.id, 'en', e.target.value)}
              />
            ),
          },
          {
            title: t('admin.designer.usedBy'),
            key: 'u',
            render: (_, m) => m.usedBy.map((u) => itemName(u.item)).join(lang === 'zh' ? '、' : ', '),
          },
          {
            title: t('admin.designer.satisfiedBy'),
            key: 's',
            render: (_, m) => (m.satisfiedBy ? <Tag color="blue">{t('admin.designer.noUpload')}</Tag> : null),
          },
          {
            title: t('admin.designer.materialWhen'),
            key: 'when',
            width: 220,
            render: (_, m) => {
              const value = conditionValue(m.when);
              return (
                <Select<string>
                  size="small"
                  aria-label={t('admin.designer.materialWhenOf', { id: m.id })}
                  style={{ width: '100%' }}
                  value={value}
                  disabled={value === 'custom'}
                  onChange={(v) => edit(setMaterialCondition(b, m.id, parseCondition(v)))}
                  options={
                    value === 'custom'
                      ? [...options, { value: 'custom', label: t('admin.designer.customCondition') }]
                      : options
                  }
                />
              );
            },
          },
        ]}
      />
    </Section>
  );
}

function CheckErrors({ check, b, itemName }: { check: BundleCheck; b: DesignBundle; itemName: (c: string) => string }) {
  const { t } = useTranslation();
  const lang = useLang();
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      data-testid="designer-errors"
      title={t('admin.designer.invalid', { count: check.errors.length })}
      description={
        <ul className="problem-list">
          {check.errors.map((e, i) => (
            <li key={i}>
              {pointerLabel(e.pointer, b, itemName, t)}: {pick(e.detail, lang)}
            </li>
          ))}
        </ul>
      }
    />
  );
}

/** A problem's JSON pointer in the words of the designer's sections ("/items/1/after/0" → "事项 “…” · 前置事项"). */
export function pointerLabel(pointer: string, b: DesignBundle, itemName: (c: string) => string, t: T): string {
  const [head, index, ...rest] = pointer.replace(/^\//, '').split('/');
  const n = Number(index);
  if (index === undefined && (head === 'items' || head === 'materials' || head === 'situations'))
    return t(`admin.designer.${head}`);
  switch (head) {
    case 'items':
      return [t('admin.designer.itemLabel', { item: itemName(b.items[n]?.item ?? index ?? '') }), ...rest].join(' · ');
    case 'materials':
      return [t('admin.designer.materialLabel', { id: b.materials[n]?.id ?? index }), ...rest].join(' · ');
    case 'situations':
      return [t('admin.designer.situationLabel', { id: b.situations[n]?.id ?? index }), ...rest].join(' · ');
    case 'code':
      return t('admin.designer.code');
    case 'name':
      return index === 'en' ? t('admin.designer.nameEn') : t('admin.designer.nameZh');
    case 'leadDepartment':
      return t('admin.designer.lead');
    case 'regionCode':
      return t('admin.designer.region');
    case 'form':
      return [t('admin.designer.form'), index, ...rest].filter(Boolean).join(' · ');
    default:
      return pointer;
  }
}
