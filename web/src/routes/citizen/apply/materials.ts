// How the applicant gives each material of the one-time notice, and what that becomes in the submission:
// an e-certificate fetched with consent (免提交), files uploaded, or a 容缺 commitment to supply it later.
import type { GuidanceMaterial, SubmittedMaterial } from '@onething/shared/applications';
import type { StoredFile } from '../../../components/MaterialUploader';

export type MaterialMode = 'certificate' | 'upload' | 'gap';

export interface MaterialChoice {
  id: string;
  mode: MaterialMode;
  consent: boolean;
  files: StoredFile[];
  /** The name typed to sign a 容缺 commitment. */
  signer: string;
}

/** The ways a material may be given, the first being the default. */
export function modesFor(m: GuidanceMaterial): MaterialMode[] {
  if (m.provision === 'produced') return [];
  const modes: MaterialMode[] = m.provision === 'certificate' ? ['certificate', 'upload'] : ['upload'];
  if (m.toleratedGapAllowed && m.required) modes.push('gap');
  return modes;
}

export function defaultChoice(m: GuidanceMaterial): MaterialChoice {
  return { id: m.id, mode: modesFor(m)[0] ?? 'upload', consent: false, files: [], signer: '' };
}

/** Restores choices saved in a draft, keeping only well-formed ones. */
export function choicesFromDraft(saved: unknown[]): Record<string, MaterialChoice> {
  const out: Record<string, MaterialChoice> = {};
  for (const x of saved) {
    const c = x as Partial<MaterialChoice> | null;
    if (!c || typeof c.id !== 'string' || !['certificate', 'upload', 'gap'].includes(String(c.mode))) continue;
    out[c.id] = {
      id: c.id,
      mode: c.mode!,
      consent: c.consent === true,
      files: Array.isArray(c.files) ? c.files.filter((f) => f && typeof f.id === 'string') : [],
      signer: typeof c.signer === 'string' ? c.signer : '',
    };
  }
  return out;
}

export type MaterialProblem = { id: string; problem: 'consent' | 'files' | 'signer' | 'signerMismatch' };

/**
 * The submission's materials for these choices, and what is still missing. A material that is not required
 * and was left alone is simply not sent; `expectedSigner` is the account's name, which a signature must match.
 */
export function buildMaterials(
  materials: GuidanceMaterial[],
  choices: Record<string, MaterialChoice>,
  commitmentText: (m: GuidanceMaterial, signer: string) => string,
  expectedSigner?: string,
): { submitted: SubmittedMaterial[]; problems: MaterialProblem[] } {
  const submitted: SubmittedMaterial[] = [];
  const problems: MaterialProblem[] = [];
  for (const m of materials) {
    if (m.provision === 'produced') continue;
    const c = choices[m.id] ?? defaultChoice(m);
    const mode = modesFor(m).includes(c.mode) ? c.mode : defaultChoice(m).mode;
    if (mode === 'certificate') {
      if (c.consent) submitted.push({ id: m.id, kind: 'certificate', consent: true });
      else if (m.required) problems.push({ id: m.id, problem: 'consent' });
    } else if (mode === 'upload') {
      if (c.files.length) submitted.push({ id: m.id, kind: 'upload', fileIds: c.files.map((f) => f.id) });
      else if (m.required) problems.push({ id: m.id, problem: 'files' });
    } else {
      const signer = c.signer.trim();
      if (!signer) problems.push({ id: m.id, problem: 'signer' });
      else if (expectedSigner && signer !== expectedSigner) problems.push({ id: m.id, problem: 'signerMismatch' });
      else submitted.push({ id: m.id, kind: 'gap', commitment: commitmentText(m, signer) });
    }
  }
  return { submitted, problems };
}
