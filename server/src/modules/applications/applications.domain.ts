// The one-time notice (一次告知) and the checks of one submission (一次提交), pure: which items the answers
// select and why, which materials are needed and how each is satisfied, and what is wrong with a submission.
import type { BundleContent, BundleMaterial, ServiceItemContent, Situation } from '@onething/shared/catalogue';
import type { Guidance, GuidanceItem, GuidanceMaterial, SubmittedMaterial } from '@onething/shared/applications';
import { evaluateCondition, topologicalOrder } from '../catalogue/index.ts';
import { toPointer, type FieldError } from '@onething/shared/problem';

export interface PinnedItem {
  code: string;
  version: number;
  content: ServiceItemContent;
}

/** The situations that apply given the answers so far (a question is asked only when its `when` holds). */
export function activeSituations(bundle: BundleContent, answers: Record<string, unknown>): Situation[] {
  return bundle.situations.filter((s) => !s.when || evaluateCondition(s.when, answers));
}

export function checkAnswers(
  bundle: BundleContent,
  answers: Record<string, unknown>,
  requireAll: boolean,
): FieldError[] {
  const errors: FieldError[] = [];
  const known = new Map(bundle.situations.map((s) => [s.id, s]));
  for (const [key, value] of Object.entries(answers)) {
    const s = known.get(key);
    if (!s) {
      errors.push({
        pointer: toPointer(['answers', key]),
        code: 'applications.unknown_situation',
        detail: { zh: `本件事没有情形 "${key}"`, en: `the bundle has no situation "${key}"` },
      });
      continue;
    }
    if (s.type === 'boolean' && typeof value !== 'boolean') {
      errors.push({
        pointer: toPointer(['answers', key]),
        code: 'applications.answer_type',
        detail: { zh: '应回答“是”或“否”', en: 'answer yes (true) or no (false)' },
      });
    }
    if (s.type === 'choice' && !(s.options ?? []).some((o) => o.value === value)) {
      errors.push({
        pointer: toPointer(['answers', key]),
        code: 'applications.answer_option',
        detail: {
          zh: `应为以下之一：${(s.options ?? []).map((o) => o.value).join('、')}`,
          en: `must be one of: ${(s.options ?? []).map((o) => o.value).join(', ')}`,
        },
      });
    }
  }
  if (requireAll && errors.length === 0) {
    for (const s of activeSituations(bundle, answers)) {
      if (!(s.id in answers))
        errors.push({
          pointer: toPointer(['answers', s.id]),
          code: 'applications.answer_missing',
          detail: { zh: `请回答：${s.ask.zh}`, en: `please answer: ${s.ask.en}` },
        });
    }
  }
  return errors;
}

/** The one-time notice for these answers. */
export function guidance(
  bundle: BundleContent,
  version: number,
  items: ReadonlyMap<string, PinnedItem>,
  answers: Record<string, unknown>,
): Guidance {
  const unanswered = activeSituations(bundle, answers)
    .filter((s) => !(s.id in answers))
    .map((s) => s.id);
  const out: GuidanceItem[] = bundle.items.map((bi) => {
    const pinned = items.get(bi.item)!;
    const included = !bi.when || evaluateCondition(bi.when, answers);
    const why = bi.reason ?? { zh: '本件事包含此事项', en: 'part of this bundle' };
    return {
      code: bi.item,
      version: pinned.version,
      name: pinned.content.name,
      departmentCode: pinned.content.departmentCode,
      included,
      reason: included
        ? why
        : { zh: `根据您的回答不需要办理：${why.zh}`, en: `not needed given your answers: ${why.en}` },
      after: bi.after,
      promisedDays: pinned.content.promisedDays,
      statutoryDays: pinned.content.statutoryDays,
    };
  });
  const selected = new Set(out.filter((i) => i.included).map((i) => i.code));
  // What each selected item will have received from its (transitive, selected) prerequisites' outputs.
  const upstream = new Map<string, Set<string>>();
  const after = new Map(bundle.items.map((i) => [i.item, i.after.filter((a) => selected.has(a))]));
  const receives = (code: string): Set<string> => {
    let got = upstream.get(code);
    if (got) return got;
    got = new Set();
    upstream.set(code, got);
    for (const dep of after.get(code) ?? []) {
      for (const o of items.get(dep)!.content.outputs) got.add(o.certificateType);
      for (const t of receives(dep)) got.add(t);
    }
    return got;
  };
  const materials = bundle.materials
    .filter((m) => (!m.when || evaluateCondition(m.when, answers)) && m.usedBy.some((u) => selected.has(u.item)))
    .map((m) => describeMaterial(m, items, selected, receives));
  // Longest chain of promised days through the selected graph.
  const finish = new Map<string, number>();
  for (const code of topologicalOrder(bundle.items.filter((i) => selected.has(i.item)))) {
    const bi = bundle.items.find((i) => i.item === code)!;
    const start = Math.max(0, ...bi.after.filter((a) => selected.has(a)).map((a) => finish.get(a) ?? 0));
    finish.set(code, start + items.get(code)!.content.promisedDays);
  }
  return {
    bundle: { code: bundle.code, version },
    unanswered,
    items: out,
    materials,
    departments: [...new Set(out.filter((i) => i.included).map((i) => i.departmentCode))],
    totalPromisedDays: Math.max(0, ...finish.values()),
  };
}

function describeMaterial(
  m: BundleMaterial,
  items: ReadonlyMap<string, PinnedItem>,
  selected: ReadonlySet<string>,
  receives: (item: string) => Set<string>,
): GuidanceMaterial {
  const uses = m.usedBy.filter((u) => selected.has(u.item));
  const itemMaterials = uses
    .map((u) => items.get(u.item)!.content.materials.find((x) => x.id === u.material)!)
    .filter(Boolean);
  const certificateType = m.satisfiedBy ? m.satisfiedBy.slice('certificate:'.length) : null;
  // Produced here only when every item using it gets it from an earlier item of this application.
  const produced = certificateType !== null && uses.every((u) => receives(u.item).has(certificateType));
  const provision = certificateType ? (produced ? 'produced' : 'certificate') : 'upload';
  return {
    id: m.id,
    name: m.name,
    provision,
    certificateType,
    required: itemMaterials.some((x) => x.required),
    // A gap is tolerated only if every item using the material tolerates it.
    toleratedGapAllowed: itemMaterials.length > 0 && itemMaterials.every((x) => x.toleratedGapAllowed || !x.required),
    usedBy: uses.map((u) => u.item),
  };
}

/** Checks the submitted materials against the notice; `ownedFiles` are the applicant's uploaded files. */
export function checkMaterials(
  g: Guidance,
  submitted: SubmittedMaterial[],
  ownedFiles: ReadonlySet<string>,
): FieldError[] {
  const errors: FieldError[] = [];
  const byId = new Map(g.materials.map((m) => [m.id, m]));
  const given = new Set<string>();
  submitted.forEach((s, i) => {
    const m = byId.get(s.id);
    const at = ['materials', i];
    if (!m) {
      errors.push({
        pointer: toPointer([...at, 'id']),
        code: 'applications.unlisted_material',
        detail: {
          zh: `材料 "${s.id}" 不在本次申请的材料清单中`,
          en: `material "${s.id}" is not on this application's list`,
        },
      });
      return;
    }
    if (given.has(s.id))
      errors.push({
        pointer: toPointer([...at, 'id']),
        code: 'applications.duplicate_material',
        detail: { zh: `材料 "${s.id}" 重复提交`, en: `material "${s.id}" is given twice` },
      });
    given.add(s.id);
    if (s.kind === 'certificate' && m.provision !== 'certificate') {
      errors.push({
        pointer: toPointer([...at, 'kind']),
        code: 'applications.no_certificate',
        detail: { zh: '该材料不能由电子证照替代', en: 'no e-certificate can stand in for this material' },
      });
    }
    if (s.kind === 'gap' && !m.toleratedGapAllowed) {
      errors.push({
        pointer: toPointer([...at, 'kind']),
        code: 'applications.gap_not_allowed',
        detail: { zh: '该材料不允许容缺', en: 'this material cannot be a tolerated gap' },
      });
    }
    if (s.kind === 'upload') {
      s.fileIds.forEach((f, j) => {
        if (!ownedFiles.has(f))
          errors.push({
            pointer: toPointer([...at, 'fileIds', j]),
            code: 'applications.unknown_file',
            detail: { zh: '文件不存在', en: 'no such file' },
          });
      });
    }
  });
  for (const m of g.materials) {
    if (m.required && m.provision !== 'produced' && !given.has(m.id)) {
      errors.push({
        pointer: toPointer(['materials']),
        code: 'applications.material_missing',
        detail: {
          zh: `缺少必需材料：${m.name.zh}（${m.id}）`,
          en: `required material missing: ${m.name.en} (${m.id})`,
        },
      });
    }
  }
  return errors;
}

/** Copies the shared form's fields into one item's fields (一表申请 → each department's data). */
export function mapFields(form: Record<string, unknown>, map: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [from, to] of Object.entries(map)) {
    let v: unknown = form;
    for (const key of from.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
    if (v !== undefined) out[to] = v;
  }
  return out;
}
