// 核对并一次提交: everything the applicant is about to send, on one page, and one submission. The
// Idempotency-Key is made once when this page opens and reused on every retry, so a retry after a lost
// answer returns the same application instead of a second one.
import { useRef } from 'react';
import { Alert, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { newUuid } from '../../../lib/api';
import { useLang } from '../../../lib/preferences';
import { pick, splitTitle } from '../../../lib/text';
import { ProblemAlert } from '../../../app/ProblemAlert';
import { fieldLabel } from '../../../components/JsonSchemaForm/JsonSchemaForm';
import {
  pointerToPath,
  propertiesOf,
  validateDocument,
  widgetOf,
  type FieldSchema,
} from '../../../components/JsonSchemaForm/schema';
import type { Answers, Guidance, Prefill, SubmittedMaterial } from '@onething/shared/applications';
import { useSubmit } from '../../../features/applications/api';
import type { BundleDetail } from '@onething/shared/catalogue';
import type { MaterialChoice } from './materials';

interface Props {
  bundle: BundleDetail;
  guidance: Guidance;
  answers: Answers;
  formValues: Record<string, unknown>;
  prefill: Prefill | undefined;
  materials: SubmittedMaterial[];
  choices: Record<string, MaterialChoice>;
  departmentName(code: string): string;
  draftId: string | null;
  onEdit(step: number): void;
  beforeSubmit(): void;
  onFailed(): void;
  onSubmitted(applicationId: string): void;
}

function display(v: unknown, s: FieldSchema, t: (k: string, o?: Record<string, unknown>) => string): string {
  if (Array.isArray(v)) return v.map((x) => t(`enum.${String(x)}`, { defaultValue: String(x) })).join(', ');
  if (typeof v === 'boolean') return v ? t('common.yes') : t('common.no');
  if (s.enum) return t(`enum.${String(v)}`, { defaultValue: String(v) });
  return String(v);
}

export function ReviewStep(p: Props) {
  const { t } = useTranslation();
  const lang = useLang();
  const submit = useSubmit();
  const key = useRef(newUuid());
  const c = p.bundle.content;
  const schema = c.form as FieldSchema;
  const issues = validateDocument(schema, p.formValues);
  const included = p.guidance.items.filter((i) => i.included);
  const given = new Map(p.materials.map((m) => [m.id, m]));

  const pointerName = (pointer: string): string | undefined => {
    const path = pointerToPath(pointer);
    if (path) return fieldLabel(schema, path, lang);
    const m = /^\/materials\/(\d+)/.exec(pointer);
    if (m)
      return (
        pick(p.guidance.materials.find((x) => x.id === p.materials[Number(m[1])]?.id)?.name, lang) ||
        t('apply.steps.materials')
      );
    const a = /^\/answers\/(.+)$/.exec(pointer);
    if (a) return pick(c.situations.find((s) => s.id === a[1])?.ask, lang) || undefined;
    return pointer === '/materials' ? t('apply.steps.materials') : undefined;
  };

  const send = () => {
    p.beforeSubmit();
    submit.mutate(
      {
        body: {
          bundle: c.code,
          version: p.bundle.version,
          answers: p.answers,
          form: p.formValues,
          materials: p.materials,
          ...(p.draftId ? { draftId: p.draftId } : {}),
        },
        idempotencyKey: key.current,
      },
      { onSuccess: (app) => p.onSubmitted(app.id), onError: () => p.onFailed() },
    );
  };

  const sectionRows = (s: FieldSchema, at: string[]): Array<{ path: string[]; label: string; value: string }> =>
    propertiesOf(s).flatMap(([k, sub]) => {
      const path = [...at, k];
      if (widgetOf(sub) === 'section') return sectionRows(sub, path);
      let v: unknown = p.formValues;
      for (const x of path) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[x] : undefined;
      return v === undefined
        ? []
        : [{ path, label: splitTitle(sub.title, lang) || k, value: display(v, sub, t as never) }];
    });

  return (
    <div className="review">
      <section aria-labelledby="review-answers" className="panel">
        <div className="review-head">
          <h3 id="review-answers">{t('review.situation')}</h3>
          <Button
            type="link"
            onClick={() => p.onEdit(0)}
            aria-label={t('review.editOf', { part: t('review.situation') })}
          >
            {t('review.edit')}
          </Button>
        </div>
        <dl className="review-list">
          {c.situations
            .filter((s) => s.id in p.answers)
            .map((s) => {
              const v = p.answers[s.id];
              const label =
                s.type === 'boolean'
                  ? v
                    ? t('common.yes')
                    : t('common.no')
                  : pick(s.options?.find((o) => o.value === v)?.label, lang);
              return (
                <div key={s.id}>
                  <dt>{pick(s.ask, lang)}</dt>
                  <dd>{label}</dd>
                </div>
              );
            })}
        </dl>
        <h4>{t('review.items', { count: included.length })}</h4>
        <ul className="plain-list">
          {included.map((i) => (
            <li key={i.code}>
              {pick(i.name, lang)} — {p.departmentName(i.departmentCode)}
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="review-form" className="panel">
        <div className="review-head">
          <h3 id="review-form">{t('review.form')}</h3>
          <Button type="link" onClick={() => p.onEdit(1)} aria-label={t('review.editOf', { part: t('review.form') })}>
            {t('review.edit')}
          </Button>
        </div>
        {propertiesOf(schema).map(([k, sub]) => {
          const rows =
            widgetOf(sub) === 'section' ? sectionRows(sub, [k]) : sectionRows({ properties: { [k]: sub } }, []);
          if (rows.length === 0) return null;
          return (
            <div key={k} className="review-section">
              <h4>{splitTitle(sub.title, lang) || k}</h4>
              <dl className="review-list">
                {rows.map((r) => (
                  <div key={r.path.join('.')}>
                    <dt>{r.label}</dt>
                    <dd>
                      {r.value}
                      {p.prefill?.sources[r.path.join('.')] && (
                        <span className="prefill-mini">{t('review.prefilled')}</span>
                      )}
                    </dd>
                  </div>
                ))}
              </dl>
            </div>
          );
        })}
      </section>

      <section aria-labelledby="review-materials" className="panel">
        <div className="review-head">
          <h3 id="review-materials">{t('review.materials')}</h3>
          <Button
            type="link"
            onClick={() => p.onEdit(2)}
            aria-label={t('review.editOf', { part: t('review.materials') })}
          >
            {t('review.edit')}
          </Button>
        </div>
        <dl className="review-list">
          {p.guidance.materials.map((m) => {
            const g = given.get(m.id);
            const how =
              m.provision === 'produced'
                ? t('review.produced')
                : !g
                  ? t('review.notGiven')
                  : g.kind === 'certificate'
                    ? t('review.certificate')
                    : g.kind === 'upload'
                      ? t('review.files', { names: (p.choices[m.id]?.files ?? []).map((f) => f.name).join(', ') })
                      : t('review.gap');
            return (
              <div key={m.id}>
                <dt>{pick(m.name, lang)}</dt>
                <dd>{how}</dd>
              </div>
            );
          })}
        </dl>
      </section>

      {issues.length > 0 && (
        <Alert
          type="error"
          showIcon
          title={t('review.formIncomplete', { count: issues.length })}
          action={<Button onClick={() => p.onEdit(1)}>{t('review.edit')}</Button>}
        />
      )}
      <ProblemAlert error={submit.error} fieldName={pointerName} />
      <p className="muted-text">{t('review.declaration')}</p>
      <Button
        type="primary"
        size="large"
        onClick={send}
        loading={submit.isPending}
        disabled={issues.length > 0}
        className="submit-button"
      >
        {submit.error ? t('review.retry') : t('review.submit')}
      </Button>
    </div>
  );
}
