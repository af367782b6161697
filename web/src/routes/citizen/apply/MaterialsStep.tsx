// 一套材料: each material of the one-time notice with how it can be given. An e-certificate needs only the
// applicant's consent ("no need to upload"); a material an earlier item of this application issues needs
// nothing; the rest are uploaded, or — where the items allow 容缺 — promised by a commitment signed here.
import { Checkbox, Input, Radio } from 'antd';
import { useTranslation } from 'react-i18next';
import { useLang } from '../../../lib/preferences';
import { pick } from '../../../lib/text';
import { MaterialUploader } from '../../../components/MaterialUploader';
import type { GuidanceMaterial } from '@onething/shared/applications';
import { defaultChoice, modesFor, type MaterialChoice, type MaterialProblem } from './materials';

export function MaterialRow({
  m,
  choice,
  onChange,
  problem,
  itemNames,
}: {
  m: GuidanceMaterial;
  choice: MaterialChoice | undefined;
  onChange(c: MaterialChoice): void;
  problem?: MaterialProblem['problem'] | undefined;
  itemNames: string;
}) {
  const { t } = useTranslation();
  const lang = useLang();
  const name = pick(m.name, lang);
  const c = choice ?? defaultChoice(m);
  const modes = modesFor(m);
  const id = `m-${m.id}`;
  return (
    <li className={`material-row${problem ? ' has-problem' : ''}`} data-testid={id}>
      <div className="material-head">
        <h3 id={`${id}-name`}>{name}</h3>
        {m.provision !== 'produced' && (
          <span className={m.required ? 'badge-required' : 'badge-optional'}>
            {m.required ? t('materials.required') : t('materials.optional')}
          </span>
        )}
        {m.provision === 'certificate' && <span className="badge-ok">{t('materials.noUpload')}</span>}
      </div>
      <p className="hint">{t('materials.usedBy', { items: itemNames })}</p>
      {m.provision === 'produced' ? (
        <p className="material-produced">{t('materials.produced')}</p>
      ) : (
        <>
          {modes.length > 1 && (
            <Radio.Group
              aria-labelledby={`${id}-name`}
              value={c.mode}
              onChange={(e) => onChange({ ...c, mode: e.target.value as MaterialChoice['mode'] })}
              options={modes.map((x) => ({ value: x, label: t(`materials.mode.${x}`) }))}
              className="mode-options"
            />
          )}
          {c.mode === 'certificate' && (
            <Checkbox checked={c.consent} onChange={(e) => onChange({ ...c, consent: e.target.checked })}>
              {t('materials.consent', { material: name })}
            </Checkbox>
          )}
          {c.mode === 'upload' && (
            <MaterialUploader id={id} label={name} files={c.files} onChange={(files) => onChange({ ...c, files })} />
          )}
          {c.mode === 'gap' && (
            <div className="commitment">
              <p className="commitment-text">{t('materials.gapCommitment', { material: name })}</p>
              <label htmlFor={`${id}-signer`}>{t('materials.signLabel')}</label>
              <Input
                id={`${id}-signer`}
                value={c.signer}
                onChange={(e) => onChange({ ...c, signer: e.target.value })}
                autoComplete="name"
                className="signer-input"
              />
            </div>
          )}
          {problem && (
            <p role="alert" className="field-error">
              {t(`materials.problem.${problem}`, { material: name })}
            </p>
          )}
        </>
      )}
    </li>
  );
}
