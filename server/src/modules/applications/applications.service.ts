// Intake: the one-time notice, drafts, one submission that becomes one application and one case per item
// in one transaction (with an Idempotency-Key making a retry return the same application), the applicant's
// single view of progress, uploads and prefill from the profile.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ValidateFunction } from 'ajv';
import { insertTogether, isUniqueViolation, type Database, type Executor } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import { CommonErrors, fieldError, localize, toPointer, type FieldError } from '@onething/shared/problem';
import { newSubjectsAuditPart, recordAudit } from '../../platform/audit.ts';
import type { Clock } from '../../platform/clock.ts';
import { actingRecord, authorize, type Principal } from '../../platform/auth.ts';
import { canonicalJson } from '@onething/shared/json';
import { maskPersonalData, revealPersonalData } from '../../platform/pii-reads.ts';
import {
  createSchemaCompiler,
  evaluateCondition,
  type CatalogueService,
  type ResolvedBundle,
} from '../catalogue/index.ts';
import { openJson } from '../../platform/pii.ts';
import { notificationPart } from '../notifications/index.ts';
import type {
  ApplicationPort,
  ApplicationRef,
  CaseEventRow,
  CaseRow,
  CasesService,
  CaseStatus,
  CorrectionRow,
  NewCaseItem,
  PlannedOutput,
} from '../cases/index.ts';
import type { WorkCalendar } from '../calendar/index.ts';
import type {
  Answers,
  ApplicationCase,
  ApplicationSummary,
  ApplicationView,
  CaseCorrection,
  CaseOutput,
  CaseTimelineEvent,
  Draft,
  DraftSummary,
  Guidance,
  OnBehalf,
  Prefill,
  SubmitBody,
  SubmittedMaterial,
  UploadedFile,
} from '@onething/shared/applications';
import { checkAnswers, checkMaterials, guidance, mapFields, type PinnedItem } from './applications.domain.ts';
import * as repo from './applications.repository.ts';
import { ApplicationsErrors, ApplicationsFieldErrors, ApplicationsMessages } from '@onething/shared/applications';
import { IdentityErrors } from '@onething/shared/identity';

/** A submission as the route has parsed it (materials defaulted). */
export type SubmitInput = SubmitBody;

const ajv = createSchemaCompiler();
const validators = new Map<string, ValidateFunction>();

/** A compiled validator per published schema (immutable, so cached by its key). */
function validatorFor(key: string, schema: object): ValidateFunction {
  let v = validators.get(key);
  if (!v) {
    v = ajv.compile({ ...schema, $id: undefined });
    validators.set(key, v);
  }
  return v;
}

function ajvErrors(
  v: ValidateFunction,
  base: string[],
  pointerFor: (instancePath: string, missing?: string) => string,
): FieldError[] {
  return (v.errors ?? []).map((e) => {
    const missing =
      e.keyword === 'required' ? String((e.params as { missingProperty?: string }).missingProperty) : undefined;
    const pointer = pointerFor(e.instancePath, missing);
    const msg =
      e.keyword === 'required'
        ? ApplicationsFieldErrors.formRequired.detail
        : localize(ApplicationsFieldErrors.formInvalid.detail, {
            message: { zh: e.message ?? '', en: e.message ?? 'invalid' },
          });
    return {
      pointer: base.length ? toPointer([...base]) + pointer : pointer,
      code: `applications.form_${e.keyword}`,
      detail: msg,
    };
  });
}

export function applicationPort(deps: { catalogue: CatalogueService; dataDir: string }): ApplicationPort {
  /** The bundle materials serving an item (those whose condition the answers meet), with what was submitted for each. */
  async function itemMaterials(ex: Executor, applicationId: string, itemCode: string) {
    const a = await repo.findApplication(ex, applicationId);
    if (!a) return undefined;
    const b = await deps.catalogue.resolveBundle(a.bundleCode, a.bundleVersion);
    const answers = openJson(a.answers) as Record<string, unknown>;
    const submitted = new Map((openJson(a.materials) as SubmittedMaterial[]).map((m) => [m.id, m]));
    const materials = b.content.materials.filter(
      (m) => m.usedBy.some((u) => u.item === itemCode) && (!m.when || evaluateCondition(m.when, answers)),
    );
    return { application: a, materials: materials.map((m) => ({ material: m, given: submitted.get(m.id) })) };
  }
  const uploadedIds = (given: SubmittedMaterial | undefined) => (given?.kind === 'upload' ? given.fileIds : []);

  return {
    async find(ex, id) {
      const a = await repo.findApplication(ex, id);
      return a ? toRef(a) : undefined;
    },
    async materialsFor(ex, applicationId, itemCode, received) {
      const found = await itemMaterials(ex, applicationId, itemCode);
      if (!found) return [];
      const files = new Map(
        (
          await repo.filesOf(
            ex,
            found.application.applicantId,
            found.materials.flatMap((m) => uploadedIds(m.given)),
          )
        ).map((f) => [f.id, f]),
      );
      return found.materials.map(({ material: m, given }) => {
        const certificateType = m.satisfiedBy ? m.satisfiedBy.slice('certificate:'.length) : null;
        const how = given?.kind ?? (certificateType && received.has(certificateType) ? 'produced' : 'missing');
        return {
          id: m.id,
          name: m.name,
          given: how,
          certificateType,
          files: uploadedIds(given).flatMap((id) => {
            const f = files.get(id);
            return f ? [{ id: f.id, name: f.fileName, contentType: f.contentType, size: f.size }] : [];
          }),
          commitment: given?.kind === 'gap' ? given.commitment : null,
        };
      });
    },
    async fileFor(ex, applicationId, itemCode, fileId) {
      const found = await itemMaterials(ex, applicationId, itemCode);
      if (!found?.materials.some((m) => uploadedIds(m.given).includes(fileId))) return undefined;
      const [f] = await repo.filesOf(ex, found.application.applicantId, [fileId]);
      if (!f) return undefined;
      const target = path.join(deps.dataDir, f.storageKey);
      return {
        id: f.id,
        name: f.fileName,
        contentType: f.contentType,
        size: f.size,
        sha256: f.sha256,
        ownerId: f.ownerId,
        open: () => fs.createReadStream(target),
      };
    },
  };
}

function toRef(a: repo.ApplicationRow): ApplicationRef {
  return {
    id: a.id,
    number: a.number,
    applicantId: a.applicantId,
    submittedBy: a.submittedBy,
    bundleCode: a.bundleCode,
    submittedOn: a.submittedOn,
    declaredGaps: a.declaredGaps,
  };
}

/**
 * The subject's own applications, drafts and files, and under a proxy only those of the bundles it covers. What
 * is not the caller's is "not found", never "forbidden": someone else's application does not exist for them.
 */
function mayRead(p: Principal, ownerId: string, bundle: string): boolean {
  return authorize(p, 'applications.read', { ownerId, bundle });
}

/** Acting on the subject's behalf for this bundle: refused when a proxy does not cover it. */
function requireSubmit(p: Principal, bundle: string): void {
  if (!authorize(p, 'applications.submit', { ownerId: p.subjectId, bundle })) {
    if (authorize(p, 'applications.submit', { ownerId: p.subjectId }))
      throw new AppError(IdentityErrors.outsideProxyScope, { bundle });
    throw new AppError(CommonErrors.forbidden);
  }
}

export function createApplicationsService(
  db: Database,
  deps: { catalogue: CatalogueService; cases: CasesService; clock: Clock; dataDir: string },
) {
  const { catalogue, cases, clock } = deps;

  function pinned(b: ResolvedBundle): Map<string, PinnedItem> {
    return b.items as Map<string, PinnedItem>;
  }

  /** Everything wrong with a submission at once, pointing into the request; nothing is written. */
  async function check(b: ResolvedBundle, input: SubmitInput, p: Principal) {
    const answerErrors = checkAnswers(b.content, input.answers, true);
    if (answerErrors.length) throw new AppError(ApplicationsErrors.invalid, {}, answerErrors);
    const g = guidance(b.content, b.version, pinned(b), input.answers);
    const selected = b.content.items.filter((i) => !i.when || evaluateCondition(i.when, input.answers));
    if (selected.length === 0)
      throw new AppError(ApplicationsErrors.noItems, {}, [fieldError('/answers', ApplicationsFieldErrors.noItems)]);
    const errors: FieldError[] = [];
    const form = validatorFor(`bundle:${b.code}@${b.version}`, b.content.form);
    if (!form(input.form)) {
      errors.push(
        ...ajvErrors(form, [], (instancePath, missing) => `/form${instancePath}${missing ? `/${missing}` : ''}`),
      );
    }
    // Each item checks its own fields, reported at the form field that feeds it.
    for (const bi of selected) {
      const item = b.items.get(bi.item)!;
      const data = mapFields(input.form, bi.map);
      const v = validatorFor(`item:${item.code}@${item.version}`, item.content.fields);
      if (!v(data)) {
        const back = new Map(Object.entries(bi.map).map(([from, to]) => [to, from]));
        for (const e of ajvErrors(v, [], (instancePath, missing) => {
          const field = missing ?? instancePath.split('/')[1] ?? '';
          const from = back.get(field);
          return from ? `/form/${from.split('.').join('/')}` : `/form`;
        })) {
          if (!errors.some((x) => x.pointer === e.pointer))
            errors.push({
              ...e,
              detail: localize(ApplicationsMessages.ofItem, { detail: e.detail, item: item.content.name }),
            });
        }
      }
    }
    const fileIds = input.materials.flatMap((m) => (m.kind === 'upload' ? m.fileIds : []));
    const owned = fileIds.length ? await repo.ownedFileIds(db, p.subjectId, fileIds) : new Set<string>();
    errors.push(...checkMaterials(g, input.materials, owned));
    if (errors.length) throw new AppError(ApplicationsErrors.invalid, {}, errors);
    return { g, selected };
  }

  /**
   * The applicant's view of one application. `known`: what the caller has just written and read (a new submission's
   * cases, events and calendar), so that the view does not read them back.
   */
  async function view(
    ex: Executor,
    a: repo.ApplicationRow,
    known?: { cases: CaseRow[]; events: CaseEventRow[]; cal: WorkCalendar },
  ): Promise<ApplicationView> {
    const rows = known
      ? [...known.cases].sort((x, y) => x.itemCode.localeCompare(y.itemCode))
      : await cases.casesOf(ex, a.id);
    const ids = rows.map((c) => c.id);
    const [events, corrections, cal] = known
      ? [known.events, [] as CorrectionRow[], known.cal]
      : await Promise.all([cases.eventsOf(ex, ids), cases.correctionsOf(ex, ids), cases.calendar()]);
    // A date in the year whose holiday notice is not loaded yet was counted provisionally and may still move.
    const provisional = (d: string | null) => d !== null && cal.isProvisional(d);
    // Case data and events may hold ID and phone numbers (stored encrypted): the applicant's view shows them masked.
    return maskPersonalData<ApplicationView>({
      id: a.id,
      number: a.number,
      bundle: { code: a.bundleCode, version: a.bundleVersion },
      status: a.status,
      channel: a.channel,
      submittedOn: a.submittedOn,
      submittedAt: a.submittedAt.toISOString(),
      // Who acted when it was not the applicant: an enterprise's agent, a family member, window staff.
      onBehalf: a.onBehalf as OnBehalf | null,
      promisedDate: a.promisedDate,
      promisedDateProvisional: provisional(a.promisedDate),
      completedAt: a.completedAt?.toISOString() ?? null,
      cases: rows.map(
        (c): ApplicationCase => ({
          id: c.id,
          item: { code: c.itemCode, version: c.itemVersion },
          departmentCode: c.departmentCode,
          status: c.status as CaseStatus,
          dependsOn: c.dependsOn,
          receivedOn: c.receivedOn,
          acceptedOn: c.acceptedOn,
          dueDate: c.dueDate,
          dueDateProvisional: provisional(c.dueDate),
          statutoryDueDate: c.statutoryDueDate,
          pausedSince: c.pausedSince,
          pausedWorkdays: null as number | null,
          nearDue: c.nearDue,
          overdue: c.overdue,
          decision: c.decision,
          decisionReason: c.decisionReason,
          toleratedGap: c.toleratedGap ? { ...c.toleratedGap, status: c.gapStatus } : null,
          // What a prerequisite issued, as released to this case (cases.service.ts: the release action).
          inputs: c.inputs as CaseOutput[],
          outputs: (c.outputs as PlannedOutput[]).filter((o) => o.issued),
          corrections: corrections
            .filter((n) => n.caseId === c.id)
            .map(
              (n): CaseCorrection => ({
                id: n.id,
                issuedOn: n.issuedOn,
                problems: n.problems,
                note: n.note,
                suppliedOn: n.suppliedOn,
              }),
            ),
          timeline: events
            .filter((e) => e.caseId === c.id)
            .map(
              (e): CaseTimelineEvent => ({
                at: e.at.toISOString(),
                day: e.onDay,
                action: e.action,
                from: e.fromStatus,
                to: e.toStatus,
                reason: e.reason,
                data: e.data,
              }),
            ),
        }),
      ),
    });
  }

  async function ownApplication(id: string, p: Principal, forWrite = false): Promise<repo.ApplicationRow> {
    const a = /^[0-9a-f-]{36}$/i.test(id) ? await repo.findApplication(db, id) : undefined;
    if (!a || !mayRead(p, a.applicantId, a.bundleCode)) throw new AppError(ApplicationsErrors.notFound);
    if (forWrite) requireSubmit(p, a.bundleCode);
    return a;
  }

  /** A submission under a key not used before (or none); submit() turns a retry into its replay. */
  async function submitNew(
    input: SubmitInput,
    p: Principal,
    options: { idempotencyKey?: string | undefined; channel: 'web' | 'window' | 'api'; requestId: string },
    requestSha256: string,
  ) {
    const b = await catalogue.resolveBundle(input.bundle, input.version);
    const { selected } = await check(b, input, p);
    const today = clock.today();
    const selectedCodes = new Set(selected.map((i) => i.item));
    const gapMaterials = input.materials.filter((m) => m.kind === 'gap').map((m) => m.id);
    // Which item materials each declared gap covers, so the department can accept with exactly those.
    const declaredGaps: Record<string, string[]> = {};
    for (const m of b.content.materials.filter((x) => gapMaterials.includes(x.id))) {
      for (const u of m.usedBy) (declaredGaps[u.item] ??= []).push(m.id);
    }
    // Window staff acting under a consent recorded at the window submit through the window channel.
    const channel = p.acting?.proxyKind === 'window_consent' ? 'window' : options.channel;
    const onBehalf = p.acting
      ? {
          kind: p.acting.kind,
          actor: { id: p.accountId, name: p.displayName },
          ...(p.acting.proxyId ? { proxyId: p.acting.proxyId, proxyKind: p.acting.proxyKind } : {}),
        }
      : null;
    const id = crypto.randomUUID();
    // Decided before the write: a date the calendar cannot give refuses the submission with nothing written.
    const newCases = await cases.newCases(
      id,
      selected.map((bi): NewCaseItem => {
        const item = b.items.get(bi.item)!;
        return {
          itemCode: item.code,
          itemVersion: item.version,
          departmentCode: item.content.departmentCode,
          regionCode: item.content.regionCode,
          dependsOn: bi.after.filter((d) => selectedCodes.has(d)),
          data: mapFields(input.form, bi.map),
          outputs: item.content.outputs,
          promisedDays: item.content.promisedDays,
          statutoryDays: item.content.statutoryDays,
        };
      }),
    );
    const itemCodes = selected.map((bi) => b.items.get(bi.item)!.code);
    // Two statements whatever the number of items: the number (the audit rows carry it), then one that writes
    // the application, its cases and their first events, every audit row, the notification and the deletion
    // of the draft it came from, atomically without BEGIN and COMMIT (a round trip per table cost more than
    // the rows, docs/adr/0009).
    const number = await repo.nextApplicationNumber(db, today);
    const at = new Date();
    const written = repo.newApplicationPart({
      id,
      number,
      applicantId: p.subjectId,
      submittedBy: p.accountId,
      onBehalf,
      bundleCode: b.code,
      bundleVersion: b.version,
      regionCode: b.content.regionCode,
      channel,
      ...newCases.progress,
      answers: input.answers,
      form: input.form,
      materials: input.materials,
      declaredGaps,
      idempotencyKey: options.idempotencyKey ?? null,
      requestSha256,
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
    const caseParts = newCases.write(ref, options.requestId, at);
    const audit = newSubjectsAuditPart(
      db,
      [
        {
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
          requestId: options.requestId,
        },
        ...caseParts.audit,
      ],
      at,
    );
    const returned = await insertTogether(db, [
      written.part,
      ...caseParts.parts,
      audit,
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
      created: true as const,
      application: await view(db, created.app, {
        cases: created.cases,
        events: created.events,
        cal: newCases.calendar,
      }),
    };
  }

  return {
    async guidance(code: string, answers: Record<string, unknown>, version?: number): Promise<Guidance> {
      const b = await catalogue.resolveBundle(code, version);
      const errors = checkAnswers(b.content, answers, false);
      if (errors.length) throw new AppError(ApplicationsErrors.invalid, {}, errors);
      return guidance(b.content, b.version, pinned(b), answers);
    },

    /**
     * One submission. Returns the application and whether it was created now or replayed from an earlier
     * request with the same Idempotency-Key.
     */
    async submit(
      input: SubmitInput,
      p: Principal,
      options: { idempotencyKey?: string | undefined; channel: 'web' | 'window' | 'api'; requestId: string },
    ) {
      requireSubmit(p, input.bundle);
      const requestSha256 = crypto.createHash('sha256').update(canonicalJson(input)).digest('hex');
      const replay = async (): Promise<{ created: false; application: ApplicationView } | undefined> => {
        if (!options.idempotencyKey) return undefined;
        const prior = await repo.findByIdempotencyKey(db, p.subjectId, options.idempotencyKey);
        if (!prior) return undefined;
        if (prior.requestSha256 !== requestSha256) throw new AppError(ApplicationsErrors.idempotencyMismatch);
        return { created: false, application: await view(db, prior) };
      };
      // No read of the key first: a new key is the rule and a retry the exception. A retry is found by the unique
      // index on the key refusing the write, or, when a check refuses it first (a file removed since, the bundle
      // changed), by the catch below: an earlier submission under the key always wins.
      try {
        return await submitNew(input, p, options, requestSha256);
      } catch (err) {
        if (options.idempotencyKey && (isUniqueViolation(err) || err instanceof AppError)) {
          const again = await replay();
          if (again) return again;
        }
        throw err;
      }
    },

    async get(id: string, p: Principal): Promise<ApplicationView> {
      return view(db, await ownApplication(id, p));
    },

    async list(p: Principal, limit: number, offset: number): Promise<ApplicationSummary[]> {
      const rows = await repo.listApplications(db, p.subjectId, limit, offset, p.acting?.bundles ?? null);
      return rows.map(
        (a): ApplicationSummary => ({
          id: a.id,
          number: a.number,
          bundle: { code: a.bundleCode, version: a.bundleVersion },
          status: a.status,
          submittedOn: a.submittedOn,
          promisedDate: a.promisedDate,
        }),
      );
    },

    async withdraw(id: string, p: Principal, reason: string | undefined, requestId: string): Promise<ApplicationView> {
      const a = await ownApplication(id, p, true);
      if (a.status !== 'in_progress') throw new AppError(ApplicationsErrors.notOpen);
      const cal = await cases.calendar();
      await db.transaction(async (tx) => {
        await cases.withdrawAll(tx, toRef(a), p.accountId, reason, requestId, cal, actingRecord(p));
      });
      return view(db, (await repo.findApplication(db, id))!);
    },

    // ---- drafts: saved as they are (checked at submission), resumable from any device ----

    async createDraft(
      p: Principal,
      input: {
        bundle: string;
        answers?: Record<string, unknown>;
        form?: Record<string, unknown>;
        materials?: unknown[];
      },
    ): Promise<Draft> {
      requireSubmit(p, input.bundle);
      const b = await catalogue.resolveBundle(input.bundle);
      const id = crypto.randomUUID();
      await repo.insertDraft(db, {
        id,
        applicantId: p.subjectId,
        bundleCode: b.code,
        bundleVersion: b.version,
        answers: input.answers ?? {},
        form: input.form ?? {},
        materials: input.materials ?? [],
      });
      return this.getDraft(id, p);
    },

    async updateDraft(
      id: string,
      p: Principal,
      input: { answers?: Record<string, unknown>; form?: Record<string, unknown>; materials?: unknown[] },
    ): Promise<Draft> {
      const d = /^[0-9a-f-]{36}$/i.test(id) ? await repo.findDraft(db, id, p.subjectId) : undefined;
      if (!d || !mayRead(p, d.applicantId, d.bundleCode)) throw new AppError(ApplicationsErrors.draftNotFound);
      const ok = await repo.updateDraft(db, id, p.subjectId, {
        ...(input.answers ? { answers: input.answers } : {}),
        ...(input.form ? { form: input.form } : {}),
        ...(input.materials ? { materials: input.materials } : {}),
      });
      if (!ok) throw new AppError(ApplicationsErrors.draftNotFound);
      return this.getDraft(id, p);
    },

    async getDraft(id: string, p: Principal): Promise<Draft> {
      const d = /^[0-9a-f-]{36}$/i.test(id) ? await repo.findDraft(db, id, p.subjectId) : undefined;
      if (!d || !mayRead(p, d.applicantId, d.bundleCode)) throw new AppError(ApplicationsErrors.draftNotFound);
      // The applicant continues their own draft: the full numbers they typed, read through an audited reveal.
      return revealPersonalData<Draft>(
        db,
        {
          id: d.id,
          bundle: { code: d.bundleCode, version: d.bundleVersion },
          // Saved through the route's DraftBody, so its answers are Answers.
          answers: d.answers as Answers,
          form: d.form,
          materials: d.materials,
          updatedAt: d.updatedAt.toISOString(),
        },
        {
          actorId: p.accountId,
          whose: d.applicantId,
          subjectType: 'application_draft',
          subjectId: d.id,
          route: 'application draft',
          purpose: 'applicant continues the draft',
        },
      );
    },

    async listDrafts(p: Principal): Promise<DraftSummary[]> {
      return (await repo.listDrafts(db, p.subjectId))
        .filter((d) => mayRead(p, d.applicantId, d.bundleCode))
        .map(
          (d): DraftSummary => ({
            id: d.id,
            bundle: { code: d.bundleCode, version: d.bundleVersion },
            updatedAt: d.updatedAt.toISOString(),
          }),
        );
    },

    async deleteDraft(id: string, p: Principal) {
      const d = /^[0-9a-f-]{36}$/i.test(id) ? await repo.findDraft(db, id, p.subjectId) : undefined;
      if (!d || !mayRead(p, d.applicantId, d.bundleCode) || !(await repo.deleteDraft(db, id, p.subjectId)))
        throw new AppError(ApplicationsErrors.draftNotFound);
    },

    // ---- prefill from the profile (一人一档 / 一企一档) ----

    /** Values for the bundle's form fields marked `x-prefill: "<attribute>"`, each with where it came from. */
    async prefill(code: string, p: Principal): Promise<Prefill> {
      if (!mayRead(p, p.subjectId, code)) throw new AppError(IdentityErrors.outsideProxyScope, { bundle: code });
      const b = await catalogue.resolveBundle(code);
      const attrs = new Map((await repo.profileOf(db, p.subjectId)).map((a) => [a.attribute, a]));
      const values: Record<string, unknown> = {};
      const sources: Record<string, { attribute: string; source: string }> = {};
      const walk = (schema: unknown, at: string[]) => {
        const s = schema as { properties?: Record<string, unknown>; 'x-prefill'?: string } | null;
        const attr = s?.['x-prefill'];
        if (attr && attrs.has(attr)) {
          let target = values;
          for (const key of at.slice(0, -1)) target = (target[key] ??= {}) as Record<string, unknown>;
          target[at[at.length - 1]!] = attrs.get(attr)!.value;
          sources[at.join('.')] = { attribute: attr, source: attrs.get(attr)!.source };
        }
        for (const [k, sub] of Object.entries(s?.properties ?? {})) walk(sub, [...at, k]);
      };
      walk(b.content.form, []);
      // Prefill puts the profile's full numbers into the applicant's form: an audited reveal.
      return revealPersonalData<Prefill>(
        db,
        { bundle: { code: b.code, version: b.version }, values, sources },
        {
          actorId: p.accountId,
          whose: p.subjectId,
          subjectType: 'account',
          subjectId: p.subjectId,
          route: 'GET /api/v1/applications/prefill',
          purpose: 'prefill the form from the profile',
        },
      );
    },

    async setProfileAttribute(accountId: string, attribute: string, value: unknown, source: string) {
      await repo.upsertProfileAttribute(db, accountId, attribute, value, source);
    },

    // ---- uploads ----

    async upload(p: Principal, file: { name: string; contentType: string; body: Buffer }): Promise<UploadedFile> {
      const id = crypto.randomUUID();
      const sha256 = crypto.createHash('sha256').update(file.body).digest('hex');
      const storageKey = path.join('files', sha256.slice(0, 2), id);
      const target = path.join(deps.dataDir, storageKey);
      await fs.promises.mkdir(path.dirname(target), { recursive: true });
      await fs.promises.writeFile(target, file.body, { flag: 'wx' });
      await db.transaction(async (tx) => {
        // The file belongs to whom the upload is for, so that their application can use it; the audit names the actor.
        await repo.insertFile(tx, {
          id,
          ownerId: p.subjectId,
          fileName: file.name,
          contentType: file.contentType,
          size: file.body.length,
          sha256,
          storageKey,
        });
        await recordAudit(tx, {
          actorId: p.accountId,
          action: 'file.uploaded',
          subjectType: 'file',
          subjectId: id,
          data: {
            sha256,
            size: file.body.length,
            contentType: file.contentType,
            owner: p.subjectId,
            ...actingRecord(p),
          },
        });
      });
      return { id, name: file.name, contentType: file.contentType, size: file.body.length, sha256 };
    },
  };
}

export type ApplicationsService = ReturnType<typeof createApplicationsService>;
