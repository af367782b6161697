// Applying for a one-thing: 情形引导 → 一表申请 → 一套材料 → 核对并一次提交. The draft follows the applicant
// (saved as they go, resumable on another device); the elderly mode asks one question and shows one form
// section per screen.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { Button, Form, Skeleton, Steps } from 'antd';
import { useTranslation } from 'react-i18next';
import { usePreferences } from '../../../lib/preferences';
import { pick } from '../../../lib/text';
import { ProblemAlert } from '../../../app/ProblemAlert';
import { JsonSchemaForm } from '../../../components/JsonSchemaForm/JsonSchemaForm';
import { cleanValue, sectionsOf, validateDocument, type FieldSchema } from '../../../components/JsonSchemaForm/schema';
import type { Answers, Draft, Prefill } from '@onething/shared/applications';
import { useDraft, useGuidance, usePrefill } from '../../../features/applications/api';
import type { BundleDetail } from '@onething/shared/catalogue';
import { useBundle, useDepartments } from '../../../features/catalogue/api';
import { useSession } from '../../../features/identity/api';
import { ItemsVerdict, pruneAnswers, Questions, activeSituations } from './Questionnaire';
import { MaterialRow } from './MaterialsStep';
import { buildMaterials, choicesFromDraft, type MaterialChoice, type MaterialProblem } from './materials';
import { ReviewStep } from './ReviewStep';
import { useDraftAutosave, type SaveState } from './useDraftAutosave';

const STEPS = ['questions', 'form', 'materials', 'review'] as const;

function mergeDeep(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] =
      v && typeof v === 'object' && !Array.isArray(v) && b && typeof b === 'object' && !Array.isArray(b)
        ? mergeDeep(b as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  }
  return out;
}

export default function ApplyPage() {
  const { code } = useParams();
  const [params] = useSearchParams();
  // The draft to resume is the one in the URL on arrival; a draft created here later does not reload the page.
  const [resumeId] = useState(() => params.get('draft'));
  const bundle = useBundle(code);
  const draft = useDraft(resumeId);
  const prefill = usePrefill(code);
  const { t } = useTranslation();
  if (bundle.error || draft.error) return <ProblemAlert error={bundle.error ?? draft.error} />;
  if (bundle.isPending || (resumeId && draft.isPending) || prefill.isPending)
    return <Skeleton active aria-label={t('common.loading')} />;
  return (
    <ApplyFlow
      bundle={bundle.data}
      draft={draft.data ?? null}
      prefill={prefill.data ?? undefined}
      prefillError={prefill.error}
    />
  );
}

function SaveStatus({ state }: { state: SaveState }) {
  const { t, i18n } = useTranslation();
  const text =
    state.status === 'saving'
      ? t('apply.saving')
      : state.status === 'saved'
        ? t('apply.savedAt', {
            time: state.at.toLocaleTimeString(i18n.language === 'en' ? 'en-GB' : 'zh-CN', {
              hour: '2-digit',
              minute: '2-digit',
            }),
          })
        : state.status === 'error'
          ? t('apply.saveFailed')
          : '';
  return (
    <p className={`save-status${state.status === 'error' ? ' field-error' : ''}`} role="status" aria-live="polite">
      {text}
    </p>
  );
}

function ApplyFlow({
  bundle,
  draft,
  prefill,
  prefillError,
}: {
  bundle: BundleDetail;
  draft: Draft | null;
  prefill: Prefill | undefined;
  prefillError: unknown;
}) {
  const { t } = useTranslation();
  const { lang, elderly } = usePreferences();
  const navigate = useNavigate();
  const [, setParams] = useSearchParams();
  const session = useSession();
  const departments = useDepartments();
  const c = bundle.content;
  const schema = c.form as FieldSchema;
  const [form] = Form.useForm();
  const [answers, setAnswers] = useState<Answers>(() => draft?.answers ?? {});
  const [choices, setChoices] = useState<Record<string, MaterialChoice>>(() =>
    choicesFromDraft(draft?.materials ?? []),
  );
  const [step, setStep] = useState(() =>
    draft &&
    Object.keys(draft.answers).length &&
    activeSituations(c.situations, draft.answers).every((s) => s.id in draft.answers)
      ? 1
      : 0,
  );
  const [subStep, setSubStep] = useState(0);
  const [materialProblems, setMaterialProblems] = useState<MaterialProblem[]>([]);
  const heading = useRef<HTMLHeadingElement>(null);
  const firstRender = useRef(true);
  const guidance = useGuidance(c.code, answers, bundle.version);
  const g = guidance.data;
  const deptName = useCallback(
    (d: string) => pick(departments.data?.get(d)?.name, lang) || d,
    [departments.data, lang],
  );

  const initialValues = useMemo(() => mergeDeep(prefill?.values ?? {}, draft?.form ?? {}), [prefill, draft]);
  const onCreated = useCallback((id: string) => setParams({ draft: id }, { replace: true }), [setParams]);
  const autosave = useDraftAutosave(c.code, draft?.id ?? null, onCreated);
  const snapshot = useCallback(
    (next?: { answers?: Answers; choices?: Record<string, MaterialChoice> }) => ({
      answers: next?.answers ?? answers,
      form: (cleanValue(form.getFieldsValue(true)) as Record<string, unknown> | undefined) ?? {},
      materials: Object.values(next?.choices ?? choices),
    }),
    [answers, choices, form],
  );

  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    // A new step replaces the page's content: announce it by moving focus to its heading.
    heading.current?.focus();
  }, [step, subStep]);

  const answer = (id: string, v: boolean | string) => {
    const next = pruneAnswers(c.situations, { ...answers, [id]: v });
    setAnswers(next);
    autosave.schedule(snapshot({ answers: next }));
  };
  const choose = (ch: MaterialChoice) => {
    const next = { ...choices, [ch.id]: ch };
    setChoices(next);
    setMaterialProblems((p) => p.filter((x) => x.id !== ch.id));
    autosave.schedule(snapshot({ choices: next }));
  };

  const active = activeSituations(c.situations, answers);
  const sections = sectionsOf(schema);
  // Who signs a commitment: the applicant — when a clerk or a family member acts for a person, that person.
  const acting = (session.data as { actingFor?: { kind?: string; name: string } | null } | null | undefined)?.actingFor;
  const signerName = acting?.kind === 'proxy' ? acting.name : session.data?.displayName;
  const commitmentText = (m: { name: { zh: string; en: string } }, signer: string) =>
    `${t('materials.gapCommitment', { material: pick(m.name, lang) })} ${t('materials.signedBy', { name: signer, date: new Date().toISOString().slice(0, 10) })}`;
  const goto = (s: number, sub = 0) => {
    setStep(s);
    setSubStep(sub);
  };

  const next = async () => {
    if (step === 0) {
      if (elderly && subStep < active.length) {
        if (!(active[subStep]!.id in answers)) return;
        goto(0, subStep + 1);
        return;
      }
      if (!answersDone) return;
      goto(1);
    } else if (step === 1) {
      const visible = elderly ? [sections[subStep]!] : sections;
      try {
        await form.validateFields();
      } catch {
        return;
      }
      if (elderly && subStep < sections.length - 1) {
        goto(1, subStep + 1);
        return;
      }
      const issues = validateDocument(schema, form.getFieldsValue(true));
      const first = issues[0];
      if (first) {
        const sectionIndex = sections.indexOf(first.path[0]!);
        if (elderly && !visible.includes(first.path[0]!)) goto(1, sectionIndex);
        await form.validateFields([first.path]).catch(() => undefined);
        return;
      }
      void autosave.flush();
      goto(2);
    } else if (step === 2) {
      const { problems } = buildMaterials(g?.materials ?? [], choices, commitmentText, signerName);
      setMaterialProblems(problems);
      if (problems.length) {
        document
          .querySelector<HTMLElement>(
            `[data-testid="m-${problems[0]!.id}"] input, [data-testid="m-${problems[0]!.id}"] button`,
          )
          ?.focus();
        return;
      }
      void autosave.flush();
      goto(3);
    }
  };

  const back = () => {
    if (elderly && subStep > 0) goto(step, subStep - 1);
    else if (step > 0) {
      const prev = step - 1;
      goto(prev, elderly ? (prev === 0 ? active.length : prev === 1 ? sections.length - 1 : 0) : 0);
    } else navigate(`/bundles/${c.code}`);
  };

  const saveAndLeave = async () => {
    autosave.schedule(snapshot());
    await autosave.flush();
    navigate('/me');
  };

  const stepTitle =
    step === 1 && elderly
      ? `${t('apply.steps.form')} (${subStep + 1}/${sections.length})`
      : t(`apply.steps.${STEPS[step]}`);
  const stepsItems = STEPS.map((s) => ({ title: t(`apply.steps.${s}`) }));
  const included = g?.items.filter((i) => i.included) ?? [];
  // The notice must be the one for these answers (not the previous answers' while the new one loads).
  const answersDone = !!g && !guidance.isPlaceholderData && g.unanswered.length === 0 && included.length > 0;
  const canGoOn = step !== 0 || (elderly && subStep < active.length ? active[subStep]!.id in answers : answersDone);
  const itemName = (code: string) => pick(g?.items.find((i) => i.code === code)?.name, lang) || code;

  return (
    <div className="apply">
      <header className="apply-header">
        <p className="eyebrow">{t('apply.eyebrow')}</p>
        <h1 className="page-title">{pick(c.name, lang)}</h1>
        <SaveStatus state={autosave.state} />
      </header>
      <nav aria-label={t('apply.progress')}>
        <Steps current={step} items={stepsItems} size="small" className="apply-steps" />
        <p className="step-count">
          {t('apply.stepCount', { n: step + 1, total: STEPS.length, name: t(`apply.steps.${STEPS[step]}`) })}
        </p>
      </nav>
      <section className="apply-body" aria-labelledby="step-title">
        <h2 id="step-title" ref={heading} tabIndex={-1} className="step-title">
          {stepTitle}
        </h2>

        {step === 0 && (
          <div className="questionnaire">
            <p className="muted-text">{t('apply.questionsIntro')}</p>
            {elderly && subStep < active.length ? (
              <Questions situations={c.situations} answers={answers} onAnswer={answer} only={active[subStep]!.id} />
            ) : (
              <>
                {!elderly && <Questions situations={c.situations} answers={answers} onAnswer={answer} />}
                <ItemsVerdict guidance={g} departmentName={deptName} />
              </>
            )}
            {!elderly && guidance.error && <ProblemAlert error={guidance.error} />}
          </div>
        )}

        <div hidden={step !== 1}>
          {prefill && Object.keys(prefill.sources).length > 0 && (
            <p className="prefill-note">{t('form.prefillIntro')}</p>
          )}
          {prefillError ? <ProblemAlert error={prefillError} /> : null}
          <JsonSchemaForm
            schema={schema}
            form={form}
            lang={lang}
            prefill={prefill}
            initialValues={initialValues}
            sections={elderly ? [sections[subStep] ?? sections[0]!] : undefined}
            onValuesChange={() => autosave.schedule(snapshot())}
          />
        </div>

        {step === 2 && (
          <div>
            <p className="muted-text">{t('materials.intro')}</p>
            <ul className="material-rows">
              {(g?.materials ?? []).map((m) => (
                <MaterialRow
                  key={m.id}
                  m={m}
                  choice={choices[m.id]}
                  onChange={choose}
                  problem={materialProblems.find((p) => p.id === m.id)?.problem}
                  itemNames={m.usedBy.map(itemName).join(lang === 'zh' ? '、' : ', ')}
                />
              ))}
            </ul>
          </div>
        )}

        {step === 3 && g && (
          <ReviewStep
            bundle={bundle}
            guidance={g}
            answers={answers}
            formValues={(cleanValue(form.getFieldsValue(true)) as Record<string, unknown> | undefined) ?? {}}
            prefill={prefill}
            materials={buildMaterials(g.materials, choices, commitmentText, signerName).submitted}
            choices={choices}
            departmentName={deptName}
            draftId={autosave.draftId()}
            onEdit={(s) => goto(s)}
            beforeSubmit={() => autosave.close()}
            onFailed={() => autosave.reopen()}
            onSubmitted={(id) => navigate(`/applications/${id}/receipt`, { replace: true })}
          />
        )}
      </section>

      <div className="apply-actions">
        <Button onClick={back} size="large">
          {step === 0 && subStep === 0 ? t('apply.backToGuide') : t('common.back')}
        </Button>
        {step < 3 && (
          <Button type="primary" size="large" onClick={() => void next()} disabled={!canGoOn}>
            {t('common.next')}
          </Button>
        )}
        <Button type="link" onClick={() => void saveAndLeave()}>
          {t('apply.saveAndLeave')}
        </Button>
      </div>
    </div>
  );
}
