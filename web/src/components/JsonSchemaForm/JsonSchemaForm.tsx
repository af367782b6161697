// One form rendered from a bundle's JSON Schema (一表申请) with Ant Design widgets. Titles are "中文 / English"
// and shown in the user's language; values prefilled from the profile carry a tag naming their source;
// each field is checked as the user types with the same rules the server applies, in the user's language.
import { useMemo, type ReactNode } from 'react';
import { Checkbox, DatePicker, Form, Input, InputNumber, Radio, Select, Tag, type FormInstance } from 'antd';
import type { Rule } from 'antd/es/form';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { splitTitle, type Lang } from '../../lib/text';
import {
  checkValue,
  isEmpty,
  isRequired,
  patternHint,
  propertiesOf,
  widgetOf,
  type FieldSchema,
  type Issue,
} from './schema';

export interface PrefillInfo {
  values: Record<string, unknown>;
  sources: Record<string, { attribute: string; source: string }>;
}

export interface JsonSchemaFormProps {
  schema: FieldSchema;
  form: FormInstance;
  lang: Lang;
  prefill?: PrefillInfo | undefined;
  initialValues?: Record<string, unknown> | undefined;
  onValuesChange?: ((changed: unknown, all: Record<string, unknown>) => void) | undefined;
  /** Only these top-level sections are shown (the others keep their values); all when absent. */
  sections?: string[] | undefined;
  /** Ids are unique per form on a page. */
  name?: string;
  children?: ReactNode;
}

/** The message for an issue, in the user's language. */
export function issueMessage(
  t: TFunction,
  issue: Pick<Issue, 'code' | 'params'>,
  s: FieldSchema,
  label: string,
): string {
  switch (issue.code) {
    case 'required':
      return t('validation.required', { field: label });
    case 'minLength':
      return t('validation.minLength', { field: label, count: Number(issue.params.min) });
    case 'maxLength':
      return t('validation.maxLength', { field: label, count: Number(issue.params.max) });
    case 'minimum':
      return t('validation.minimum', { field: label, min: issue.params.min });
    case 'maximum':
      return t('validation.maximum', { field: label, max: issue.params.max });
    case 'pattern': {
      const hint = patternHint(s.pattern);
      return hint ? t(`validation.pattern.${hint}`, { field: label }) : t('validation.pattern.other', { field: label });
    }
    case 'date':
      return t('validation.date', { field: label });
    case 'enum':
      return t('validation.enum', { field: label });
    case 'uniqueItems':
      return t('validation.uniqueItems', { field: label });
    default:
      return t('validation.type', { field: label });
  }
}

function enumLabel(t: TFunction, value: string | number): string {
  return t(`enum.${value}`, { defaultValue: String(value) });
}

/** The government system a prefilled value came from, in the user's language when the catalogue knows it. */
function sourceLabel(t: TFunction, source: string): string {
  // A name with a dot would be read as a nested key: such a name is shown as it is.
  return source.includes('.') ? source : t(`dataSources.${source}`, { defaultValue: source, nsSeparator: false });
}

function PrefillNote({ path, prefill, form }: { path: string[]; prefill: PrefillInfo; form: FormInstance }) {
  const { t } = useTranslation();
  const current: unknown = Form.useWatch(path, form);
  const source = prefill.sources[path.join('.')];
  if (!source) return null;
  let original: unknown = prefill.values;
  for (const k of path)
    original = original && typeof original === 'object' ? (original as Record<string, unknown>)[k] : undefined;
  const edited = current !== undefined && current !== original;
  return (
    <Tag className={edited ? 'prefill-tag edited' : 'prefill-tag'} data-testid={`prefill-${path.join('.')}`}>
      {edited
        ? t('form.prefillEdited', { source: sourceLabel(t, source.source) })
        : t('form.prefilledFrom', { source: sourceLabel(t, source.source) })}
    </Tag>
  );
}

function Field({
  schema,
  root,
  path,
  lang,
  prefill,
  form,
}: {
  schema: FieldSchema;
  root: FieldSchema;
  path: string[];
  lang: Lang;
  prefill: PrefillInfo | undefined;
  form: FormInstance;
}) {
  const { t } = useTranslation();
  const label = splitTitle(schema.title, lang) || path[path.length - 1]!;
  const widget = widgetOf(schema);
  const statically = isRequired(root, {}, path) || undefined;
  const rules: Rule[] = [
    ({ getFieldsValue }) => ({
      validator: async (_rule, value: unknown) => {
        if (isEmpty(value)) {
          if (isRequired(root, getFieldsValue(true), path))
            throw new Error(issueMessage(t, { code: 'required', params: {} }, schema, label));
          return;
        }
        const problem = checkValue(schema, value);
        if (problem) throw new Error(issueMessage(t, problem, schema, label));
      },
    }),
  ];
  const common = {
    name: path,
    label,
    required: statically,
    rules,
    validateFirst: true,
    validateTrigger: ['onChange', 'onBlur'],
    extra: prefill?.sources[path.join('.')] ? <PrefillNote path={path} prefill={prefill} form={form} /> : undefined,
  };
  const disabled = schema.readOnly === true;
  switch (widget) {
    case 'date':
      return (
        <Form.Item
          {...common}
          getValueProps={(v: unknown) => ({ value: typeof v === 'string' && v ? dayjs(v, 'YYYY-MM-DD') : undefined })}
          normalize={(d: Dayjs | null) => (d ? d.format('YYYY-MM-DD') : undefined)}
        >
          <DatePicker
            format="YYYY-MM-DD"
            disabled={disabled}
            className="full-width"
            placeholder={t('form.datePlaceholder')}
          />
        </Form.Item>
      );
    case 'choice': {
      const options = (schema.enum ?? []).map((v) => ({ value: v, label: enumLabel(t, v) }));
      return (
        <Form.Item {...common}>
          {options.length <= 5 ? (
            <Radio.Group options={options} disabled={disabled} />
          ) : (
            <Select options={options} disabled={disabled} placeholder={t('form.choose')} allowClear />
          )}
        </Form.Item>
      );
    }
    case 'multi':
      return (
        <Form.Item {...common}>
          <Checkbox.Group
            options={(schema.items?.enum ?? []).map((v) => ({ value: v, label: enumLabel(t, v) }))}
            disabled={disabled}
          />
        </Form.Item>
      );
    case 'number':
    case 'integer':
      return (
        <Form.Item {...common}>
          <InputNumber
            min={schema.minimum}
            max={schema.maximum}
            precision={widget === 'integer' ? 0 : undefined}
            disabled={disabled}
            className="full-width"
          />
        </Form.Item>
      );
    case 'boolean':
      return (
        <Form.Item {...common} valuePropName="checked" label={undefined}>
          <Checkbox disabled={disabled}>{label}</Checkbox>
        </Form.Item>
      );
    default: {
      const hint = patternHint(schema.pattern);
      return (
        <Form.Item {...common}>
          <Input
            maxLength={schema.maxLength}
            disabled={disabled}
            inputMode={hint === 'mobile' || hint === 'digits' ? 'numeric' : undefined}
            autoComplete="off"
          />
        </Form.Item>
      );
    }
  }
}

function Section({
  schema,
  root,
  path,
  lang,
  prefill,
  form,
}: {
  schema: FieldSchema;
  root: FieldSchema;
  path: string[];
  lang: Lang;
  prefill: PrefillInfo | undefined;
  form: FormInstance;
}) {
  return (
    <fieldset className="form-section">
      <legend>{splitTitle(schema.title, lang) || path[path.length - 1]}</legend>
      {propertiesOf(schema).map(([key, sub]) => {
        const p = [...path, key];
        return widgetOf(sub) === 'section' ? (
          <Section key={key} schema={sub} root={root} path={p} lang={lang} prefill={prefill} form={form} />
        ) : (
          <Field key={key} schema={sub} root={root} path={p} lang={lang} prefill={prefill} form={form} />
        );
      })}
    </fieldset>
  );
}

export function JsonSchemaForm({
  schema,
  form,
  lang,
  prefill,
  initialValues,
  onValuesChange,
  sections,
  name = 'application',
  children,
}: JsonSchemaFormProps) {
  const entries = useMemo(
    () => propertiesOf(schema).filter(([key]) => !sections || sections.includes(key)),
    [schema, sections],
  );
  return (
    <Form
      form={form}
      name={name}
      layout="vertical"
      initialValues={initialValues}
      onValuesChange={onValuesChange}
      scrollToFirstError={{ block: 'center' }}
      preserve
    >
      {entries.map(([key, sub]) =>
        widgetOf(sub) === 'section' ? (
          <Section key={key} schema={sub} root={schema} path={[key]} lang={lang} prefill={prefill} form={form} />
        ) : (
          <Field key={key} schema={sub} root={schema} path={[key]} lang={lang} prefill={prefill} form={form} />
        ),
      )}
      {children}
    </Form>
  );
}

/** A human name for an API pointer into the form ("/form/child/name" → "新生儿 · 姓名"). */
export function fieldLabel(schema: FieldSchema, path: readonly string[], lang: Lang): string {
  const names: string[] = [];
  let s: FieldSchema | undefined = schema;
  for (const key of path) {
    s = s?.properties?.[key];
    names.push(splitTitle(s?.title, lang) || key);
  }
  return names.join(' · ');
}
