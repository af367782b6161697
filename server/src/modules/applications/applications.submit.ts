// One submission (一次提交): checked whole against the pinned bundle and item versions, everything wrong reported
// at once, then written as one application and one case per selected item in one statement. An Idempotency-Key
// makes a retry return the application the first attempt created.
import crypto from 'node:crypto';
import type { ValidateFunction } from 'ajv';
import {
  ApplicationsErrors,
  ApplicationsFieldErrors,
  ApplicationsMessages,
  type ApplicationView,
  type SubmitBody,
} from '@onething/shared/applications';
import { canonicalJson } from '@onething/shared/json';
import { fieldError, localize, type FieldError } from '@onething/shared/problem';
import { newSubjectsAuditPart, type AuditEntry } from '../../platform/audit.ts';
import { actingRecord, type Principal } from '../../platform/auth.ts';
import { insertTogether, isUniqueViolation } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import type { RequestContext } from '../../platform/request-context.ts';
import { createSchemaCompiler, evaluateCondition, type ResolvedBundle } from '../catalogue/index.ts';
import type { ApplicationRef, NewCaseItem } from '../cases/index.ts';
import { notificationPart } from '../notifications/index.ts';
import { requireSubmit } from './applications.access.ts';
import type { ApplicationsDeps } from './applications.deps.ts';
import { checkAnswers, checkMaterials, guidance, mapFields, type PinnedItem } from './applications.domain.ts';
import * as repo from './applications.repository.ts';
import { applicationView } from './applications.view.ts';

/** A submission as the route has parsed it (materials defaulted). */
export type SubmitInput = SubmitBody;

export interface SubmitOptions {
  /** The caller's Idempotency-Key: a retry under it returns the first attempt's application. */
  idempotencyKey?: string | undefined;
}

/** The application, and whether this request created it or replayed an earlier one under the same key. */
export interface Submitted {
  created: boolean;
  application: ApplicationView;
}

type BundleItem = ResolvedBundle['content']['items'][number];

/**
 * One submission. The channel is the context's, except that window staff acting under a consent recorded at the
 * window submit through the window channel.
 */
export async function submit(
  deps: ApplicationsDeps,
  ctx: RequestContext,
  input: SubmitInput,
  options: SubmitOptions = {},
): Promise<Submitted> {
  requireSubmit(ctx.principal, input.bundle);
  const requestSha256 = crypto.createHash('sha256').update(canonicalJson(input)).digest('hex');
  // No read of the key first: a new key is the rule and a retry the exception. A retry is found by the unique
  // index on the key refusing the write, or, when a check refuses it first (a file removed since, the bundle
  // changed), by the catch below: an earlier submission under the key always wins.
  try {
    return await submitNew(deps, ctx, input, { idempotencyKey: options.idempotencyKey ?? null, requestSha256 });
  } catch (err) {
    if (options.idempotencyKey && (isUniqueViolation(err) || err instanceof AppError)) {
      const again = await replay(deps, ctx, options.idempotencyKey, requestSha256);
      if (again) return again;
    }
    throw err;
  }
}

/** The earlier submission under this key, if there is one; the same key with another request is refused. */
async function replay(
  deps: ApplicationsDeps,
  ctx: RequestContext,
  idempotencyKey: string,
  requestSha256: string,
): Promise<Submitted | undefined> {
  const prior = await repo.findByIdempotencyKey(deps.db, ctx.principal.subjectId, idempotencyKey);
  if (!prior) return undefined;
  if (prior.requestSha256 !== requestSha256) throw new AppError(ApplicationsErrors.idempotencyMismatch);
  return { created: false, application: await applicationView(deps, deps.db, prior) };
}

/** A submission under a key not used before (or none). */
async function submitNew(
  deps: ApplicationsDeps,
  ctx: RequestContext,
  input: SubmitInput,
  key: { idempotencyKey: string | null; requestSha256: string },
): Promise<Submitted> {
  const { db, catalogue, cases, clock } = deps;
  const p = ctx.principal;
  const b = await catalogue.resolveBundle(input.bundle, input.version);
  const selected = await checkSubmission(deps, p, b, input);
  const today = clock.today();
  const declaredGaps = declaredGapsOf(b, input);
  const channel = p.acting?.proxyKind === 'window_consent' ? 'window' : ctx.channel;
  const id = crypto.randomUUID();
  // Decided before the write: a date the calendar cannot give refuses the submission with nothing written.
  const newCases = await cases.newCases(ctx, id, caseItems(b, selected, input.form));
  const itemCodes = selected.map((bi) => b.items.get(bi.item)!.code);
  // Two statements whatever the number of items: the number (the audit rows carry it), then one that writes
  // the application, its cases and their first events, every audit row, the notification and the deletion
  // of the draft it came from, atomically without BEGIN and COMMIT (a round trip per table cost more than
  // the rows, docs/adr/0009).
  const number = await repo.nextApplicationNumber(db, today);
  const at = new Date();
  const written = repo.newApplicationPart(deps.pii, {
    id,
    number,
    applicantId: p.subjectId,
    submittedBy: p.accountId,
    onBehalf: onBehalfOf(p),
    bundleCode: b.code,
    bundleVersion: b.version,
    regionCode: b.content.regionCode,
    channel,
    ...newCases.progress,
    answers: input.answers,
    form: input.form,
    materials: input.materials,
    declaredGaps,
    idempotencyKey: key.idempotencyKey,
    requestSha256: key.requestSha256,
    submittedOn: today,
    submittedAt: at,
    updatedAt: at,
  });
  const ref: ApplicationRef = {
    id,
    number,
    applicantId: p.subjectId,
    submittedBy: p.accountId,
    bundleCode: b.code,
    submittedOn: today,
    declaredGaps,
  };
  const caseParts = newCases.write(ref, at);
  const submitted: AuditEntry = {
    actorId: p.accountId,
    action: 'application.submitted',
    subjectType: 'application',
    subjectId: id,
    data: {
      number,
      bundle: `${b.code}@${b.version}`,
      items: itemCodes,
      channel,
      applicant: p.subjectId,
      ...actingRecord(p),
    },
    requestId: ctx.requestId,
  };
  const returned = await insertTogether(db, [
    written.part,
    ...caseParts.parts,
    newSubjectsAuditPart(db, [submitted, ...caseParts.audit], at),
    notificationPart(
      {
        recipientId: p.subjectId,
        applicationId: id,
        kind: 'application.submitted',
        payload: {
          applicationNumber: number,
          bundle: b.code,
          promisedDate: newCases.progress.promisedDate,
          items: itemCodes.length,
        },
      },
      at,
    ),
    ...(input.draftId ? [repo.deleteDraftPart(input.draftId, p.subjectId)] : []),
  ]);
  const created = { app: written.stored, ...caseParts.stored(returned) };
  return {
    created: true,
    application: await applicationView(deps, db, created.app, {
      cases: created.cases,
      events: created.events,
      cal: newCases.calendar,
    }),
  };
}

/** Who acted when it was not the applicant themself: an enterprise's agent, a family member, window staff. */
function onBehalfOf(p: Principal) {
  if (!p.acting) return null;
  return {
    kind: p.acting.kind,
    actor: { id: p.accountId, name: p.displayName },
    ...(p.acting.proxyId ? { proxyId: p.acting.proxyId, proxyKind: p.acting.proxyKind } : {}),
  };
}

/** Which item materials each declared gap covers, so the department can accept with exactly those. */
function declaredGapsOf(b: ResolvedBundle, input: SubmitInput): Record<string, string[]> {
  const gapMaterials = input.materials.filter((m) => m.kind === 'gap').map((m) => m.id);
  const declaredGaps: Record<string, string[]> = {};
  for (const m of b.content.materials.filter((x) => gapMaterials.includes(x.id))) {
    for (const u of m.usedBy) (declaredGaps[u.item] ??= []).push(m.id);
  }
  return declaredGaps;
}

/** The selected items as the cases that will handle them need them, each with its own fields from the form. */
function caseItems(b: ResolvedBundle, selected: BundleItem[], form: SubmitInput['form']): NewCaseItem[] {
  const selectedCodes = new Set(selected.map((i) => i.item));
  return selected.map((bi): NewCaseItem => {
    const item = b.items.get(bi.item)!;
    return {
      itemCode: item.code,
      itemVersion: item.version,
      departmentCode: item.content.departmentCode,
      regionCode: item.content.regionCode,
      dependsOn: bi.after.filter((d) => selectedCodes.has(d)),
      data: mapFields(form, bi.map),
      outputs: item.content.outputs,
      promisedDays: item.content.promisedDays,
      statutoryDays: item.content.statutoryDays,
    };
  });
}

// ---- checks: everything wrong with a submission at once, pointing into the request; nothing is written ----

/** The items the answers select, once the answers, the form, each item's fields and the materials pass. */
async function checkSubmission(
  { db }: ApplicationsDeps,
  p: Principal,
  b: ResolvedBundle,
  input: SubmitInput,
): Promise<BundleItem[]> {
  const answerErrors = checkAnswers(b.content, input.answers, true);
  if (answerErrors.length) throw new AppError(ApplicationsErrors.invalid, {}, answerErrors);
  const g = guidance(b.content, b.version, b.items as Map<string, PinnedItem>, input.answers);
  const selected = b.content.items.filter((i) => !i.when || evaluateCondition(i.when, input.answers));
  if (selected.length === 0)
    throw new AppError(ApplicationsErrors.noItems, {}, [fieldError('/answers', ApplicationsFieldErrors.noItems)]);
  const errors = formErrors(b, input.form);
  // A field wrong for the form and for an item, or for two items, is reported once.
  for (const e of itemFieldErrors(b, selected, input.form))
    if (!errors.some((x) => x.pointer === e.pointer)) errors.push(e);
  const fileIds = input.materials.flatMap((m) => (m.kind === 'upload' ? m.fileIds : []));
  const owned = fileIds.length ? await repo.ownedFileIds(db, p.subjectId, fileIds) : new Set<string>();
  errors.push(...checkMaterials(g, input.materials, owned));
  if (errors.length) throw new AppError(ApplicationsErrors.invalid, {}, errors);
  return selected;
}

function formErrors(b: ResolvedBundle, form: SubmitInput['form']): FieldError[] {
  const v = validatorFor(`form:${b.contentSha256}`, b.content.form);
  if (v(form)) return [];
  return ajvErrors(v, (instancePath, missing) => `/form${instancePath}${missing ? `/${missing}` : ''}`);
}

/** Each item checks its own fields, reported at the form field that feeds it. */
function itemFieldErrors(b: ResolvedBundle, selected: BundleItem[], form: SubmitInput['form']): FieldError[] {
  const errors: FieldError[] = [];
  for (const bi of selected) {
    const item = b.items.get(bi.item)!;
    const v = validatorFor(`fields:${item.contentSha256}`, item.content.fields);
    if (v(mapFields(form, bi.map))) continue;
    const back = new Map(Object.entries(bi.map).map(([from, to]) => [to, from]));
    const pointerFor = (instancePath: string, missing?: string) => {
      const from = back.get(missing ?? instancePath.split('/')[1] ?? '');
      return from ? `/form/${from.split('.').join('/')}` : `/form`;
    };
    for (const e of ajvErrors(v, pointerFor))
      errors.push({
        ...e,
        detail: localize(ApplicationsMessages.ofItem, { detail: e.detail, item: item.content.name }),
      });
  }
  return errors;
}

const ajv = createSchemaCompiler();
const validators = new Map<string, ValidateFunction>();

/**
 * A compiled validator per published schema, kept by the hash of the content it comes from: a published version
 * never changes, and the same code and version in another database (a test's) is another key.
 */
function validatorFor(key: string, schema: object): ValidateFunction {
  let v = validators.get(key);
  if (!v) {
    v = ajv.compile({ ...schema, $id: undefined });
    validators.set(key, v);
  }
  return v;
}

/** The validator's errors as field errors; `pointerFor`: where in the request each one points. */
function ajvErrors(v: ValidateFunction, pointerFor: (instancePath: string, missing?: string) => string): FieldError[] {
  return (v.errors ?? []).map((e) => {
    const missing =
      e.keyword === 'required' ? String((e.params as { missingProperty?: string }).missingProperty) : undefined;
    const msg =
      e.keyword === 'required'
        ? ApplicationsFieldErrors.formRequired.detail
        : localize(ApplicationsFieldErrors.formInvalid.detail, {
            message: { zh: e.message ?? '', en: e.message ?? 'invalid' },
          });
    return {
      pointer: pointerFor(e.instancePath, missing),
      code: `applications.form_${e.keyword}`,
      detail: msg,
    };
  });
}
