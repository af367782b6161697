// Accounts: persons (who register and prove their ID number in identity.proofing.ts), enterprises claimed by the
// legal representative the enterprise register (一企一档) names, who adds and removes agents (经办人), staff
// created by administrators within their jurisdiction, and the demo accounts of the seed.
import crypto from 'node:crypto';
import type { PersonAccount, StaffAccount } from '@onething/shared/identity';
import { isUniqueViolation, type Executor } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import { fieldError, type FieldError } from '@onething/shared/problem';
import { recordAudit } from '../../platform/audit.ts';
import type { PiiSealer } from '../../platform/pii.ts';
import { authorize, isWithinJurisdiction, type Principal, type Role } from '../../platform/auth.ts';
import { maskIdNumber, validateDivision, validateIdNumber, validateUscc } from '../identifiers/index.ts';
import {
  PHONE,
  USERNAME,
  hashPassword,
  isRealName,
  isSameEnterpriseName,
  maskPhone,
  passwordProblems,
  realNameLevelOf,
} from './identity.domain.ts';
import type { RequestContext } from '../../platform/request-context.ts';
import type { IdentityDeps } from './identity.context.ts';
import * as repo from './identity.repository.ts';
import { IdentityErrors, IdentityFieldErrors } from '@onething/shared/identity';

export interface AccountSpec {
  kind: 'person' | 'enterprise' | 'staff';
  username: string;
  displayName: string;
  /** Absent: the account cannot log in. */
  password?: string | null;
  roles: Role[];
  departmentCode?: string | null;
  regionCode?: string | null;
  jurisdiction?: string | null;
  /** A person's ID number, as a claim: it is bound only once proved (the seed proves from its register). */
  idNumber?: string | null;
  phone?: string | null;
  uscc?: string | null;
  loginOtp?: boolean;
}

export interface StaffInput {
  username: string;
  displayName: string;
  password: string;
  phone: string;
  departmentCode: string | null;
  jurisdiction: string;
  roles: string[];
}

export type StaffPatch = Partial<
  Pick<StaffInput, 'displayName' | 'phone' | 'departmentCode' | 'jurisdiction' | 'roles'>
> & { disabled?: boolean };

/** A staff account as a row of an imported sheet: a new username creates, a known one updates. */
export interface StaffImportRow {
  /** Where the row came from (its number in the sheet), for the problems. */
  row: number;
  username: string;
  displayName: string;
  /** Empty, or the masked number the export wrote: the stored one stays. */
  phone: string;
  departmentCode: string | null;
  jurisdiction: string;
  roles: string[];
  disabled: boolean;
  /** Only for a new account. */
  password: string;
}

/** A resident ID number that passes GB 11643, normalised; or the reason at `pointer`. */
export function checkIdNumber(value: string, pointer: string, errors: FieldError[]): string | null {
  const v = validateIdNumber(value);
  if (!v.valid) {
    errors.push({ pointer, code: `identifiers.${v.reason.code}`, detail: { zh: v.reason.zh, en: v.reason.en } });
    return null;
  }
  return v.normalized;
}

export function staffView(a: repo.AccountRow, roles: Role[]): StaffAccount {
  return {
    id: a.id,
    username: a.username,
    displayName: a.displayName,
    kind: a.kind,
    roles,
    departmentCode: a.departmentCode,
    jurisdiction: a.jurisdiction,
    phone: a.phone ? maskPhone(a.phone) : null,
    disabled: a.disabled,
    createdAt: a.createdAt.toISOString(),
  };
}

export function personView(a: repo.AccountRow): PersonAccount {
  const idNumber = a.idNumber ?? a.claimedIdNumber;
  return {
    id: a.id,
    username: a.username,
    displayName: a.displayName,
    kind: a.kind,
    idNumber: idNumber ? maskIdNumber(idNumber) : null,
    realNameLevel: realNameLevelOf(a),
    phone: a.phone ? maskPhone(a.phone) : null,
    createdAt: a.createdAt.toISOString(),
  };
}

/**
 * The person in front of the staff member (identified from the ID card: number and name). An existing account must
 * carry the same name; without one, a record without a password is made so that applications have an applicant.
 */
export async function presentPerson(
  ex: Executor,
  pii: PiiSealer,
  ctx: RequestContext,
  input: { idNumber: string; name: string },
  pointer: string,
): Promise<repo.AccountRow> {
  const staff = ctx.principal;
  const errors: FieldError[] = [];
  const idNumber = checkIdNumber(input.idNumber, `${pointer}/idNumber`, errors);
  if (!isRealName(input.name)) errors.push(fieldError(`${pointer}/name`, IdentityFieldErrors.nameInvalid));
  if (errors.length || !idNumber) throw new AppError(IdentityErrors.invalid, {}, errors);
  const found = await repo.findPersonByIdNumber(ex, pii, idNumber);
  if (found) {
    if (found.displayName !== input.name.trim())
      throw new AppError(IdentityErrors.personMismatch, {}, [
        fieldError(`${pointer}/name`, IdentityFieldErrors.personMismatch),
      ]);
    return found;
  }
  const id = crypto.randomUUID();
  const account: repo.NewAccount = {
    id,
    kind: 'person',
    username: `pending:${id}`,
    displayName: input.name.trim(),
    passwordHash: null,
    idNumber,
    regionCode: idNumber.slice(0, 6),
    createdBy: staff.accountId,
    // Made from the ID card of the person present: seen in person.
    realNameLevel: 3,
    proofingMethod: 'window',
    proofedAt: new Date(),
    proofedBy: staff.accountId,
  };
  await repo.insertAccount(ex, pii, account);
  await repo.setRoles(ex, id, ['applicant'], staff.accountId);
  await recordAudit(ex, {
    actorId: staff.accountId,
    action: 'identity.person_recorded',
    subjectType: 'account',
    subjectId: id,
    data: { at: 'window', department: staff.departmentCode },
    requestId: ctx.requestId,
  });
  return (await repo.findAccountById(ex, pii, id))!;
}

/** A registered person named by ID number and name; both must match, and a mismatch says no more than "not found". */
export async function registeredPerson(
  ex: Executor,
  pii: PiiSealer,
  input: { idNumber: string; name: string },
  pointer: string,
): Promise<repo.AccountRow> {
  const errors: FieldError[] = [];
  const idNumber = checkIdNumber(input.idNumber, `${pointer}/idNumber`, errors);
  if (errors.length || !idNumber) throw new AppError(IdentityErrors.invalid, {}, errors);
  const found = await repo.findPersonByIdNumber(ex, pii, idNumber);
  if (!found || found.disabled || found.displayName !== input.name.trim())
    throw new AppError(IdentityErrors.personNotFound);
  return found;
}

/** The enterprise if the caller (acting as themself) is its legal representative; anyone else: 404. */
async function representedEnterprise(deps: IdentityDeps, p: Principal, enterpriseId: string): Promise<repo.Agency> {
  const { db, pii } = deps;
  const agency = await repo.liveAgency(db, enterpriseId, p.accountId);
  // The resource belongs to its legal representative for this purpose: enterprises.manage is subject-scoped.
  if (agency?.role !== 'legal_representative' || !authorize(p, 'enterprises.manage', { ownerId: p.accountId }))
    throw new AppError(IdentityErrors.enterpriseNotFound);
  return agency;
}

async function checkStaffFields(
  deps: IdentityDeps,
  p: Principal,
  input: Partial<StaffInput>,
  errors: FieldError[],
): Promise<void> {
  const { db, pii } = deps;
  if (input.jurisdiction !== undefined) {
    const j = input.jurisdiction;
    if (!/^\d{6}(\d{3}(\d{3})?)?$/.test(j))
      errors.push(fieldError('/jurisdiction', IdentityFieldErrors.jurisdictionInvalid));
    // Township and village parts are not in the GB/T 2260 data we ship: only their county is checked.
    else if (!validateDivision(j.slice(0, 6)).valid)
      errors.push(fieldError('/jurisdiction', IdentityFieldErrors.jurisdictionUnknown));
    else if (!authorize(p, 'accounts.manage', { regionCode: j }))
      throw new AppError(IdentityErrors.outsideJurisdiction, {}, [
        fieldError('/jurisdiction', IdentityFieldErrors.outsideJurisdiction),
      ]);
  }
  if (input.departmentCode) {
    const region = await repo.departmentRegion(db, input.departmentCode);
    if (!region) errors.push(fieldError('/departmentCode', IdentityFieldErrors.departmentUnknown));
    else if (!authorize(p, 'accounts.manage', { regionCode: region }))
      throw new AppError(IdentityErrors.outsideJurisdiction, {}, [
        fieldError('/departmentCode', IdentityFieldErrors.departmentOutsideJurisdiction),
      ]);
    else if (input.jurisdiction && !isWithinJurisdiction(input.jurisdiction, region))
      errors.push(fieldError('/jurisdiction', IdentityFieldErrors.jurisdictionOutsideDepartment));
  }
  if (input.roles !== undefined) {
    const known = new Map((await repo.roleCatalogue(db)).map((r) => [r.code, r.audience]));
    if (input.roles.length === 0) errors.push(fieldError('/roles', IdentityFieldErrors.rolesEmpty));
    input.roles.forEach((r, i) => {
      if (known.get(r) !== 'staff') errors.push(fieldError(`/roles/${i}`, IdentityFieldErrors.roleInvalid));
    });
  }
  if (input.phone !== undefined && !PHONE.test(input.phone))
    errors.push(fieldError('/phone', IdentityFieldErrors.phoneInvalid));
}

/** An account as given, for the seed and for administrators' tools; validation is the caller's. */
export async function createAccount(
  deps: IdentityDeps,
  spec: AccountSpec,
  createdBy: string | null = null,
): Promise<string> {
  const { db, pii } = deps;
  const id = crypto.randomUUID();
  const passwordHash = spec.password ? await hashPassword(spec.password) : null;
  await db.transaction(async (tx) => {
    await repo.insertAccount(tx, pii, {
      id,
      kind: spec.kind,
      username: spec.username,
      displayName: spec.displayName,
      passwordHash,
      departmentCode: spec.departmentCode ?? null,
      regionCode: spec.regionCode ?? spec.jurisdiction?.slice(0, 6) ?? null,
      jurisdiction: spec.jurisdiction ?? null,
      claimedIdNumber: spec.kind === 'person' ? (spec.idNumber ?? null) : null,
      phone: spec.phone ?? null,
      uscc: spec.uscc ?? null,
      loginOtp: spec.loginOtp ?? false,
      createdBy,
    });
    await repo.setRoles(tx, id, spec.roles, createdBy);
    await recordAudit(tx, {
      actorId: createdBy,
      action: 'identity.account_created',
      subjectType: 'account',
      subjectId: id,
      data: { username: spec.username, kind: spec.kind, roles: spec.roles },
    });
  });
  return id;
}

export async function findAccountIdByUsername(deps: IdentityDeps, username: string): Promise<string | undefined> {
  return (await repo.findAccountByUsername(deps.db, deps.pii, username))?.id;
}

/** For the seed: gives an account a phone number, ID number (claimed) or jurisdiction it lacks (older demo data). */
export async function fillMissing(
  deps: IdentityDeps,
  accountId: string,
  values: {
    phone?: string | null | undefined;
    idNumber?: string | null | undefined;
    jurisdiction?: string | null | undefined;
  },
): Promise<void> {
  const { db, pii } = deps;
  const a = await repo.findAccountById(db, pii, accountId);
  if (!a) return;
  await repo.updateAccount(db, pii, accountId, {
    ...(!a.phone && values.phone ? { phone: values.phone } : {}),
    ...(!a.idNumber && !a.claimedIdNumber && values.idNumber && a.kind === 'person'
      ? { claimedIdNumber: values.idNumber }
      : {}),
    ...(!a.jurisdiction && values.jurisdiction && a.kind === 'staff' ? { jurisdiction: values.jurisdiction } : {}),
  });
}

/** For the seed: makes a person an agent (or the legal representative) of an enterprise unless they are one. */
export async function linkAgent(
  deps: IdentityDeps,
  enterpriseId: string,
  personId: string,
  role: 'legal_representative' | 'agent',
  grantedBy: string | null = null,
): Promise<boolean> {
  const { db, now, pii } = deps;
  if (await repo.liveAgency(db, enterpriseId, personId)) return false;
  await db.transaction(async (tx) => {
    await repo.insertAgency(tx, {
      id: crypto.randomUUID(),
      enterpriseId,
      personId,
      role,
      grantedBy,
      grantedAt: now(),
    });
    await recordAudit(tx, {
      actorId: grantedBy,
      action: role === 'agent' ? 'identity.agent_added' : 'identity.enterprise_registered',
      subjectType: 'account',
      subjectId: enterpriseId,
      data: { person: personId, role },
    });
  });
  return true;
}

export async function setLoginOtp(deps: IdentityDeps, ctx: RequestContext, enabled: boolean) {
  const { db, pii } = deps;
  const p = ctx.principal;
  await db.transaction(async (tx) => {
    await repo.updateAccount(tx, pii, p.accountId, { loginOtp: enabled });
    await recordAudit(tx, {
      actorId: p.accountId,
      action: 'identity.login_otp_set',
      subjectType: 'account',
      subjectId: p.accountId,
      data: { enabled },
      requestId: ctx.requestId,
    });
  });
}

// ---- enterprises ----

/**
 * The caller claims an enterprise (USCC, GB 32100) as its legal representative: the enterprise register (一企一档)
 * must name the number bound to the caller's account (real-name level 2 or more) as the legal representative.
 */
export async function registerEnterprise(
  deps: IdentityDeps,
  ctx: RequestContext,
  input: { name?: string | undefined; uscc: string },
) {
  const { db, now, pii } = deps;
  const p = ctx.principal;
  if (p.kind !== 'person' || p.acting) throw new AppError(IdentityErrors.cannotAct);
  const v = validateUscc(input.uscc);
  if (!v.valid)
    throw new AppError(IdentityErrors.invalid, {}, [
      { pointer: '/uscc', code: `identifiers.${v.reason.code}`, detail: { zh: v.reason.zh, en: v.reason.en } },
    ]);
  const caller = await repo.findAccountById(db, pii, p.accountId);
  if (!caller?.idNumber || caller.realNameLevel < 2) throw new AppError(IdentityErrors.realNameRequired);
  const record = await repo.findEnterpriseRecord(db, pii, v.normalized);
  if (!record)
    throw new AppError(IdentityErrors.invalid, {}, [fieldError('/uscc', IdentityFieldErrors.usccNotInRegister)]);
  if (record.legalRepresentativeIdNumber.toUpperCase() !== caller.idNumber.toUpperCase())
    throw new AppError(IdentityErrors.notLegalRepresentative, {}, [
      fieldError('/uscc', IdentityFieldErrors.notLegalRepresentative),
    ]);
  if (input.name !== undefined && !isSameEnterpriseName(input.name, record.name))
    throw new AppError(IdentityErrors.invalid, {}, [
      fieldError('/name', IdentityFieldErrors.enterpriseNameMismatch, { name: record.name }),
    ]);
  if (await repo.findEnterpriseByUscc(db, pii, v.normalized)) throw new AppError(IdentityErrors.enterpriseExists);
  const id = crypto.randomUUID();
  const division = validateDivision(v.divisionCode);
  await db.transaction(async (tx) => {
    await repo.insertAccount(tx, pii, {
      id,
      kind: 'enterprise',
      username: v.normalized,
      displayName: record.name,
      passwordHash: null,
      uscc: v.normalized,
      regionCode: division.valid ? v.divisionCode : null,
      createdBy: p.accountId,
    });
    await repo.setRoles(tx, id, ['applicant'], p.accountId);
    await repo.insertAgency(tx, {
      id: crypto.randomUUID(),
      enterpriseId: id,
      personId: p.accountId,
      role: 'legal_representative',
      grantedBy: p.accountId,
      grantedAt: now(),
    });
    await recordAudit(tx, {
      actorId: p.accountId,
      action: 'identity.enterprise_registered',
      subjectType: 'account',
      subjectId: id,
      data: { uscc: v.normalized, legalRepresentative: p.accountId },
      requestId: ctx.requestId,
    });
  });
  return { id, name: record.name, creditCode: v.normalized, role: 'legal_representative' as const };
}

export async function listAgents(deps: IdentityDeps, ctx: RequestContext, enterpriseId: string) {
  const { db, pii } = deps;
  const p = ctx.principal;
  await representedEnterprise(deps, p, enterpriseId);
  return (await repo.agentsOf(db, pii, enterpriseId)).map((a) => ({
    personId: a.personId,
    name: a.name,
    idNumber: a.idNumber ? maskIdNumber(a.idNumber) : null,
    role: a.role,
    since: a.grantedAt.toISOString(),
  }));
}

export async function addAgent(
  deps: IdentityDeps,
  ctx: RequestContext,
  enterpriseId: string,
  person: { idNumber: string; name: string },
) {
  const { db, now, pii } = deps;
  const p = ctx.principal;
  await representedEnterprise(deps, p, enterpriseId);
  const agent = await registeredPerson(db, pii, person, '/person');
  if (await repo.liveAgency(db, enterpriseId, agent.id)) throw new AppError(IdentityErrors.alreadyAgent);
  await db.transaction(async (tx) => {
    await repo.insertAgency(tx, {
      id: crypto.randomUUID(),
      enterpriseId,
      personId: agent.id,
      role: 'agent',
      grantedBy: p.accountId,
      grantedAt: now(),
    });
    await recordAudit(tx, {
      actorId: p.accountId,
      action: 'identity.agent_added',
      subjectType: 'account',
      subjectId: enterpriseId,
      data: { person: agent.id },
      requestId: ctx.requestId,
    });
  });
  return {
    personId: agent.id,
    name: agent.displayName,
    idNumber: agent.idNumber ? maskIdNumber(agent.idNumber) : null,
    role: 'agent' as const,
    since: now().toISOString(),
  };
}

/** Removes an agent; their sessions acting for the enterprise are refused from the next request. */
export async function removeAgent(deps: IdentityDeps, ctx: RequestContext, enterpriseId: string, personId: string) {
  const { db, now, pii } = deps;
  const p = ctx.principal;
  const mine = await representedEnterprise(deps, p, enterpriseId);
  const removed = await db.transaction(async (tx) => {
    const ok = await repo.revokeAgency(tx, enterpriseId, personId, p.accountId, now());
    if (ok)
      await recordAudit(tx, {
        actorId: p.accountId,
        action: 'identity.agent_removed',
        subjectType: 'account',
        subjectId: enterpriseId,
        data: { person: personId },
        requestId: ctx.requestId,
      });
    return ok;
  });
  if (!removed)
    throw new AppError(
      personId === p.accountId && mine.role === 'legal_representative'
        ? IdentityErrors.legalRepresentativeStays
        : IdentityErrors.agentNotFound,
    );
}

// ---- staff, by administrators within their jurisdiction ----

export async function listStaff(
  deps: IdentityDeps,
  ctx: RequestContext,
  f: { role?: string | undefined; departmentCode?: string | undefined; limit: number; offset: number },
) {
  const { db, pii } = deps;
  const p = ctx.principal;
  if (!p.jurisdiction) return [];
  return (await repo.listStaff(db, pii, { ...f, jurisdiction: p.jurisdiction })).map((a) => staffView(a, a.roles));
}

/** A staff account within the caller's jurisdiction; outside it or not staff: 404. */
export async function getStaff(deps: IdentityDeps, ctx: RequestContext, id: string) {
  const { db, pii } = deps;
  const p = ctx.principal;
  const a = await repo.findAccountById(db, pii, id);
  if (a?.kind !== 'staff' || !authorize(p, 'accounts.read', { regionCode: a.jurisdiction }))
    throw new AppError(IdentityErrors.accountNotFound);
  return staffView(a, await repo.rolesOf(db, a.id));
}

export async function createStaff(deps: IdentityDeps, ctx: RequestContext, input: StaffInput) {
  const { db, pii } = deps;
  const p = ctx.principal;
  const errors: FieldError[] = [];
  if (!USERNAME.test(input.username)) errors.push(fieldError('/username', IdentityFieldErrors.usernameInvalid));
  for (const x of passwordProblems(input.password, input.username)) errors.push({ pointer: '/password', ...x });
  await checkStaffFields(deps, p, input, errors);
  if (errors.length) throw new AppError(IdentityErrors.invalid, {}, errors);
  if (await repo.findAccountByUsername(db, pii, input.username)) throw new AppError(IdentityErrors.usernameTaken);
  const id = crypto.randomUUID();
  const passwordHash = await hashPassword(input.password);
  await db.transaction(async (tx) => {
    await repo.insertAccount(tx, pii, {
      id,
      kind: 'staff',
      username: input.username,
      displayName: input.displayName,
      passwordHash,
      phone: input.phone,
      departmentCode: input.departmentCode,
      jurisdiction: input.jurisdiction,
      regionCode: input.jurisdiction.slice(0, 6),
      createdBy: p.accountId,
    });
    await repo.setRoles(tx, id, input.roles as Role[], p.accountId);
    await recordAudit(tx, {
      actorId: p.accountId,
      action: 'identity.staff_created',
      subjectType: 'account',
      subjectId: id,
      data: {
        username: input.username,
        roles: input.roles,
        departmentCode: input.departmentCode,
        jurisdiction: input.jurisdiction,
      },
      requestId: ctx.requestId,
    });
  });
  return staffView((await repo.findAccountById(db, pii, id))!, input.roles as Role[]);
}

/** Every staff account within the caller's jurisdiction, for the export. */
export async function allStaff(deps: IdentityDeps, ctx: RequestContext) {
  const { db, pii } = deps;
  const p = ctx.principal;
  if (!p.jurisdiction) return [];
  return (await repo.listStaff(db, pii, { jurisdiction: p.jurisdiction, limit: 100000, offset: 0 })).map((a) => ({
    ...staffView(a, a.roles),
    phone: a.phone ? maskPhone(a.phone) : null,
  }));
}

/**
 * Staff accounts from a sheet, all or nothing: every row is checked as the single-account routes check it, and
 * any problem (pointer /<row>/<field>; `found` are the caller's own, e.g. an unreadable cell) stops the import
 * before anything is written. Then one transaction
 * creates the new usernames, changes the known ones (ending their sessions when roles, place or status
 * changed) and writes an audit row for each.
 */
export async function importStaff(
  deps: IdentityDeps,
  ctx: RequestContext,
  rows: StaffImportRow[],
  found: FieldError[] = [],
): Promise<{ created: number; updated: number; unchanged: number }> {
  const { db, now, pii } = deps;
  const p = ctx.principal;
  const errors: FieldError[] = [...found];
  const firstRow = new Map<string, number>();
  type Plan = {
    r: StaffImportRow;
    existing: repo.AccountRow | undefined;
    roles: Role[];
    phone: string | undefined;
  };
  const plans: Plan[] = [];
  for (const r of rows) {
    const e: FieldError[] = [];
    const existing = r.username ? await repo.findAccountByUsername(db, pii, r.username) : undefined;
    const previous = firstRow.get(r.username);
    if (!r.username) e.push(fieldError('/username', IdentityFieldErrors.required));
    else if (previous !== undefined)
      e.push(fieldError('/username', IdentityFieldErrors.usernameRepeated, { previous }));
    else firstRow.set(r.username, r.row);
    if (
      existing &&
      (existing.kind !== 'staff' || !authorize(p, 'accounts.manage', { regionCode: existing.jurisdiction }))
    )
      e.push(fieldError('/username', IdentityFieldErrors.usernameTaken));
    const keepPhone = r.phone === '' || (!!existing?.phone && maskPhone(existing.phone) === r.phone);
    const phone = keepPhone ? undefined : r.phone;
    if (!r.displayName) e.push(fieldError('/displayName', IdentityFieldErrors.required));
    if (!existing && r.username) {
      if (!USERNAME.test(r.username)) e.push(fieldError('/username', IdentityFieldErrors.usernameInvalid));
      if (!r.password) e.push(fieldError('/password', IdentityFieldErrors.passwordRequired));
      else for (const x of passwordProblems(r.password, r.username)) e.push({ pointer: '/password', ...x });
      if (phone === undefined) e.push(fieldError('/phone', IdentityFieldErrors.phoneInvalid));
    }
    try {
      await checkStaffFields(
        deps,
        p,
        {
          departmentCode: r.departmentCode,
          jurisdiction: r.jurisdiction,
          roles: r.roles,
          ...(phone !== undefined ? { phone } : {}),
        },
        e,
      );
    } catch (err) {
      if (err instanceof AppError && err.def === IdentityErrors.outsideJurisdiction) e.push(...err.errors);
      else throw err;
    }
    errors.push(...e.map((x) => ({ ...x, pointer: `/${r.row}${x.pointer}` })));
    plans.push({ r, existing, roles: existing ? await repo.rolesOf(db, existing.id) : [], phone });
  }
  if (errors.length)
    throw new AppError(
      IdentityErrors.importInvalid,
      { rows: new Set(errors.map((x) => x.pointer.split('/')[1])).size },
      errors,
    );
  const hashes = new Map<string, string>();
  for (const { r, existing } of plans) if (!existing) hashes.set(r.username, await hashPassword(r.password));
  const count = { created: 0, updated: 0, unchanged: 0 };
  await db
    .transaction(async (tx) => {
      for (const { r, existing, roles, phone } of plans) {
        if (!existing) {
          const id = crypto.randomUUID();
          await repo.insertAccount(tx, pii, {
            id,
            kind: 'staff',
            username: r.username,
            displayName: r.displayName,
            passwordHash: hashes.get(r.username)!,
            phone: phone!,
            departmentCode: r.departmentCode,
            jurisdiction: r.jurisdiction,
            regionCode: r.jurisdiction.slice(0, 6),
            disabled: r.disabled,
            createdBy: p.accountId,
          });
          await repo.setRoles(tx, id, r.roles as Role[], p.accountId);
          await recordAudit(tx, {
            actorId: p.accountId,
            action: 'identity.staff_created',
            subjectType: 'account',
            subjectId: id,
            data: {
              username: r.username,
              roles: r.roles,
              departmentCode: r.departmentCode,
              jurisdiction: r.jurisdiction,
              via: 'import',
            },
            requestId: ctx.requestId,
          });
          count.created++;
          continue;
        }
        const sameRoles = [...roles].sort().join() === [...r.roles].sort().join();
        const patch: StaffPatch = {
          ...(r.displayName !== existing.displayName ? { displayName: r.displayName } : {}),
          ...(phone !== undefined && phone !== existing.phone ? { phone } : {}),
          ...(r.departmentCode !== existing.departmentCode ? { departmentCode: r.departmentCode } : {}),
          ...(r.jurisdiction !== existing.jurisdiction ? { jurisdiction: r.jurisdiction } : {}),
          ...(!sameRoles ? { roles: r.roles } : {}),
          ...(r.disabled !== existing.disabled ? { disabled: r.disabled } : {}),
        };
        if (Object.keys(patch).length === 0) {
          count.unchanged++;
          continue;
        }
        await repo.updateAccount(tx, pii, existing.id, {
          ...(patch.displayName !== undefined ? { displayName: patch.displayName } : {}),
          ...(patch.phone !== undefined ? { phone: patch.phone } : {}),
          ...(patch.departmentCode !== undefined ? { departmentCode: patch.departmentCode } : {}),
          ...(patch.jurisdiction !== undefined
            ? { jurisdiction: patch.jurisdiction, regionCode: patch.jurisdiction.slice(0, 6) }
            : {}),
          ...(patch.disabled !== undefined ? { disabled: patch.disabled } : {}),
        });
        if (patch.roles) await repo.setRoles(tx, existing.id, patch.roles as Role[], p.accountId);
        const ended =
          patch.roles !== undefined ||
          patch.jurisdiction !== undefined ||
          patch.departmentCode !== undefined ||
          patch.disabled === true
            ? await repo.revokeAllSessions(tx, existing.id, now())
            : 0;
        await recordAudit(tx, {
          actorId: p.accountId,
          action: 'identity.staff_updated',
          subjectType: 'account',
          subjectId: existing.id,
          data: {
            ...patch,
            ...(patch.phone ? { phone: maskPhone(patch.phone) } : {}),
            sessionsEnded: ended,
            via: 'import',
          },
          requestId: ctx.requestId,
        });
        count.updated++;
      }
    })
    .catch((err: unknown) => {
      if (isUniqueViolation(err)) throw new AppError(IdentityErrors.usernameTaken);
      throw err;
    });
  return count;
}

/** Changes a staff account; a change of roles, place or status ends its sessions, so no old permission lingers. */
export async function updateStaff(deps: IdentityDeps, ctx: RequestContext, id: string, patch: StaffPatch) {
  const { db, now, pii } = deps;
  const p = ctx.principal;
  const a = await repo.findAccountById(db, pii, id);
  if (a?.kind !== 'staff' || !authorize(p, 'accounts.manage', { regionCode: a.jurisdiction }))
    throw new AppError(IdentityErrors.accountNotFound);
  const errors: FieldError[] = [];
  const department = patch.departmentCode !== undefined ? patch.departmentCode : a.departmentCode;
  await checkStaffFields(
    deps,
    p,
    { ...patch, departmentCode: department, jurisdiction: patch.jurisdiction ?? a.jurisdiction ?? undefined },
    errors,
  );
  if (errors.length) throw new AppError(IdentityErrors.invalid, {}, errors);
  await db.transaction(async (tx) => {
    await repo.updateAccount(tx, pii, id, {
      ...(patch.displayName !== undefined ? { displayName: patch.displayName } : {}),
      ...(patch.phone !== undefined ? { phone: patch.phone } : {}),
      ...(patch.departmentCode !== undefined ? { departmentCode: patch.departmentCode } : {}),
      ...(patch.jurisdiction !== undefined
        ? { jurisdiction: patch.jurisdiction, regionCode: patch.jurisdiction.slice(0, 6) }
        : {}),
      ...(patch.disabled !== undefined ? { disabled: patch.disabled } : {}),
    });
    if (patch.roles) await repo.setRoles(tx, id, patch.roles as Role[], p.accountId);
    const ended =
      patch.roles !== undefined ||
      patch.jurisdiction !== undefined ||
      patch.departmentCode !== undefined ||
      patch.disabled === true
        ? await repo.revokeAllSessions(tx, id, now())
        : 0;
    await recordAudit(tx, {
      actorId: p.accountId,
      action: 'identity.staff_updated',
      subjectType: 'account',
      subjectId: id,
      data: { ...patch, ...(patch.phone ? { phone: maskPhone(patch.phone) } : {}), sessionsEnded: ended },
      requestId: ctx.requestId,
    });
  });
  return staffView((await repo.findAccountById(db, pii, id))!, await repo.rolesOf(db, id));
}
