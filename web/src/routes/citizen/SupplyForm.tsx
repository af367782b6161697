// Answering a 补正 notice (or supplying a 容缺 material): for each material the department named, fetch the
// e-certificate again with consent or upload a new file, then send them all in one action.
import { useState } from 'react';
import { Button, Checkbox, Radio } from 'antd';
import { useTranslation } from 'react-i18next';
import { useLang } from '../../lib/preferences';
import { pick } from '../../lib/text';
import { ProblemAlert } from '../../app/ProblemAlert';
import { MaterialUploader, type StoredFile } from '../../components/MaterialUploader';
import type { SubmittedMaterial } from '@onething/shared/applications';
import type { BundleMaterial } from '@onething/shared/catalogue';
import { useCaseAction } from '../../features/cases/api';

interface Entry {
  mode: 'certificate' | 'upload';
  consent: boolean;
  files: StoredFile[];
}

/** The bundle material a department names, by its own id or by the item material it stands for. */
export function findMaterial(materials: BundleMaterial[], id: string): BundleMaterial | undefined {
  return materials.find((m) => m.id === id) ?? materials.find((m) => m.usedBy.some((u) => u.material === id));
}

export function SupplyForm({
  applicationId,
  caseId,
  action,
  requested,
  materials,
  onDone,
}: {
  applicationId: string;
  caseId: string;
  action: 'supply_correction' | 'supply_gap';
  requested: Array<{ material: string; problem?: string }>;
  materials: BundleMaterial[];
  onDone?(): void;
}) {
  const { t } = useTranslation();
  const lang = useLang();
  const mutation = useCaseAction(applicationId);
  const ids = [...new Set(requested.map((r) => r.material))];
  // Only what the user chose is state; the default (the e-certificate where one can stand in) follows the
  // catalogue, which may arrive after this form.
  const [chosen, setChosen] = useState<Record<string, Entry>>({});
  const [missing, setMissing] = useState<string[]>([]);
  const entryOf = (id: string): Entry =>
    chosen[id] ?? {
      mode: findMaterial(materials, id)?.satisfiedBy ? 'certificate' : 'upload',
      consent: false,
      files: [],
    };

  const set = (id: string, e: Entry) => {
    setChosen((all) => ({ ...all, [id]: e }));
    setMissing((m) => m.filter((x) => x !== id));
  };

  const send = () => {
    const out: SubmittedMaterial[] = [];
    const lacking: string[] = [];
    for (const id of ids) {
      const e = entryOf(id);
      if (e.mode === 'certificate' && e.consent) out.push({ id, kind: 'certificate', consent: true });
      else if (e.mode === 'upload' && e.files.length)
        out.push({ id, kind: 'upload', fileIds: e.files.map((f) => f.id) });
      else lacking.push(id);
    }
    setMissing(lacking);
    if (lacking.length) return;
    mutation.mutate({ caseId, body: { action, materials: out } }, { onSuccess: () => onDone?.() });
  };

  return (
    <div className="supply-form">
      <ul className="material-rows">
        {ids.map((id) => {
          const def = findMaterial(materials, id);
          const name = pick(def?.name, lang) || id;
          const e = entryOf(id);
          const fid = `s-${caseId.slice(0, 8)}-${id}`;
          return (
            <li key={id} className={`material-row${missing.includes(id) ? ' has-problem' : ''}`} data-testid={fid}>
              <h4 id={`${fid}-name`}>{name}</h4>
              {requested
                .filter((r) => r.material === id && r.problem)
                .map((r, k) => (
                  <p key={k} className="correction-problem">
                    {r.problem}
                  </p>
                ))}
              {def?.satisfiedBy && (
                <Radio.Group
                  aria-labelledby={`${fid}-name`}
                  value={e.mode}
                  onChange={(ev) => set(id, { ...e, mode: ev.target.value as Entry['mode'] })}
                  options={[
                    { value: 'certificate', label: t('materials.mode.certificate') },
                    { value: 'upload', label: t('materials.mode.upload') },
                  ]}
                  className="mode-options"
                />
              )}
              {e.mode === 'certificate' ? (
                <Checkbox checked={e.consent} onChange={(ev) => set(id, { ...e, consent: ev.target.checked })}>
                  {t('supply.consent', { material: name })}
                </Checkbox>
              ) : (
                <MaterialUploader
                  id={fid}
                  label={name}
                  files={e.files}
                  onChange={(files) => set(id, { ...e, files })}
                />
              )}
              {missing.includes(id) && (
                <p role="alert" className="field-error">
                  {t('supply.missing', { material: name })}
                </p>
              )}
            </li>
          );
        })}
      </ul>
      <ProblemAlert error={mutation.error} />
      <Button type="primary" size="large" onClick={send} loading={mutation.isPending}>
        {action === 'supply_correction' ? t('supply.submitCorrection') : t('supply.submitGap')}
      </Button>
    </div>
  );
}
