// 情形引导: the situation questions that narrow the bundle to the items and materials that apply, asked only
// when their condition holds, with the reason each item is in or out shown as the answers come in.
import { Radio, Skeleton } from 'antd';
import { useTranslation } from 'react-i18next';
import { useLang } from '../../../lib/preferences';
import { pick } from '../../../lib/text';
import type { Answers, Guidance } from '@onething/shared/applications';
import type { Situation } from '@onething/shared/catalogue';
import { holds } from '../../../features/catalogue/api';

export function activeSituations(situations: Situation[], answers: Answers): Situation[] {
  return situations.filter((s) => holds(s.when, answers));
}

/** Drops answers to questions that no longer apply (a changed answer can make a later question moot). */
export function pruneAnswers(situations: Situation[], answers: Answers): Answers {
  let current = answers;
  for (;;) {
    const active = new Set(activeSituations(situations, current).map((s) => s.id));
    const next = Object.fromEntries(Object.entries(current).filter(([k]) => active.has(k)));
    if (Object.keys(next).length === Object.keys(current).length) return next;
    current = next;
  }
}

function Question({
  s,
  value,
  onChange,
}: {
  s: Situation;
  value: Answers[string] | undefined;
  onChange(v: boolean | string): void;
}) {
  const { t } = useTranslation();
  const lang = useLang();
  const id = `q-${s.id}`;
  const options =
    s.type === 'boolean'
      ? [
          { value: true, label: t('common.yes') },
          { value: false, label: t('common.no') },
        ]
      : (s.options ?? []).map((o) => ({ value: o.value, label: pick(o.label, lang) }));
  return (
    <fieldset className="question" aria-describedby={s.help ? `${id}-help` : undefined}>
      <legend id={`${id}-label`}>{pick(s.ask, lang)}</legend>
      {s.help && (
        <p id={`${id}-help`} className="hint">
          {pick(s.help, lang)}
        </p>
      )}
      <Radio.Group
        name={id}
        value={value}
        onChange={(e) => onChange(e.target.value as boolean | string)}
        options={options}
        className="answer-options"
      />
    </fieldset>
  );
}

export function Questions({
  situations,
  answers,
  onAnswer,
  only,
}: {
  situations: Situation[];
  answers: Answers;
  onAnswer(id: string, v: boolean | string): void;
  only?: string;
}) {
  const active = activeSituations(situations, answers).filter((s) => !only || s.id === only);
  return (
    <div className="questions">
      {active.map((s) => (
        <Question key={s.id} s={s} value={answers[s.id]} onChange={(v) => onAnswer(s.id, v)} />
      ))}
    </div>
  );
}

/** Which items apply and why, and which are left out and why (the guidance's reasons). */
export function ItemsVerdict({
  guidance,
  departmentName,
}: {
  guidance: Guidance | undefined;
  departmentName(code: string): string;
}) {
  const { t } = useTranslation();
  const lang = useLang();
  if (!guidance) return <Skeleton active />;
  const included = guidance.items.filter((i) => i.included);
  const excluded = guidance.items.filter((i) => !i.included);
  return (
    <section className="verdict" aria-labelledby="verdict-title" aria-live="polite">
      <h3 id="verdict-title">
        {guidance.unanswered.length ? t('apply.verdictSoFar') : t('apply.verdict', { count: included.length })}
      </h3>
      <ul className="verdict-list">
        {included.map((i) => (
          <li key={i.code} className="verdict-in" data-testid={`item-in-${i.code}`}>
            <span className="verdict-mark" aria-hidden="true">
              ✓
            </span>
            <div>
              <strong>{pick(i.name, lang)}</strong>
              <span className="verdict-dept">
                {departmentName(i.departmentCode)} · {t('bundle.promisedDays', { count: i.promisedDays })}
              </span>
              <p className="verdict-reason">
                <span className="visually-hidden">{t('apply.included')}: </span>
                {pick(i.reason, lang)}
              </p>
            </div>
          </li>
        ))}
        {excluded.map((i) => (
          <li key={i.code} className="verdict-out" data-testid={`item-out-${i.code}`}>
            <span className="verdict-mark" aria-hidden="true">
              –
            </span>
            <div>
              <strong>{pick(i.name, lang)}</strong>
              {/* The server's reason for a left-out item already says it is not needed. */}
              <p className="verdict-reason">{pick(i.reason, lang)}</p>
            </div>
          </li>
        ))}
      </ul>
      {!guidance.unanswered.length && included.length > 0 && (
        <p className="verdict-total">
          {t('apply.totalDays', { count: guidance.totalPromisedDays, departments: guidance.departments.length })}
        </p>
      )}
    </section>
  );
}
