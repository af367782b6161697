// Identity proofing (实名核验, docs/adr/0022): a person registers with a name and a resident ID number and gets an
// account at real-name level 1 that only claims the number. The number is bound to the account, and the level
// raised, when the person proves it: the name matches the population register (一人一档) and they enter the code
// sent to the phone on record there (level 2), or window staff see their ID card (level 3). Registration answers
// the same whether or not the number is in the register or held by another account; the holder is told by SMS.
// At a window, a person whose number another account holds reclaims it: that account is frozen.
import crypto from 'node:crypto';
import type {
  PersonAccount,
  ProofingChallenge,
  RegisteredPerson,
  WindowProofBody,
  WindowProofResult,
} from '@onething/shared/identity';
import { IdentityErrors, IdentityFieldErrors } from '@onething/shared/identity';
import { CommonErrors, fieldError, type FieldError } from '@onething/shared/problem';
import { isUniqueViolation, type Executor } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import { recordAudit } from '../../platform/audit.ts';
import type { PiiSealer } from '../../platform/pii.ts';
import type { RequestContext } from '../../platform/request-context.ts';
import { notify } from '../notifications/index.ts';
import {
  LIMITS,
  OTP,
  PHONE,
  PROOFING,
  USERNAME,
  hashPassword,
  isRealName,
  isSameName,
  maskPhone,
  newOtpCode,
  otpHash,
  otpMatches,
  passwordProblems,
  unusableOtpCode,
} from './identity.domain.ts';
import { checkIdNumber, personView } from './identity.accounts.ts';
import type { IdentityDeps, LoginContext } from './identity.context.ts';
import * as repo from './identity.repository.ts';

export interface PersonRegistration {
  username: string;
  password: string;
  realName: string;
  idNumber: string;
  phone: string;
}

const DAY = 24 * 3600_000;

/** A record window staff made from an ID card for a person without an account (no password): not a login. */
function isWindowRecord(a: repo.AccountRow): boolean {
  return a.passwordHash === null && a.createdBy !== null;
}

/**
 * Whether the account holding a number gives it up to one who proves it: a window record (the person's own, made
 * before they had an account), or a login account at level 1, which holds a number it never proved (bound before
 * migration 0014 by an installation that still had it in plaintext then). A proved holder is only reclaimed from.
 */
function yieldsNumber(holder: repo.AccountRow): boolean {
  return isWindowRecord(holder) || holder.realNameLevel === 1;
}

/**
 * Sends a proofing code for the account's claim to the phone on record, when the register has the number under
 * the account's name with a phone and no other login account holds it; otherwise makes a challenge no code can
 * meet, and tells a holder that someone registered with their number. Every case writes the same rows but the
 * outbox's and answers alike.
 */
async function issueProofingCode(
  deps: IdentityDeps,
  tx: Executor,
  account: repo.AccountRow,
  idNumber: string,
  c: { ip: string; requestId: string },
  at: Date,
): Promise<{ challenge: ProofingChallenge; devCode?: string }> {
  const { pii } = deps;
  const record = await repo.findPersonRecord(tx, pii, idNumber);
  const holder = await repo.findPersonByIdNumber(tx, pii, idNumber);
  const heldByOther = !!holder && holder.id !== account.id && !yieldsNumber(holder);
  const destination =
    record?.phone && !heldByOther && isSameName(record.name, account.displayName) ? record.phone : null;
  const id = crypto.randomUUID();
  const code = destination ? newOtpCode() : unusableOtpCode();
  const expiresAt = new Date(at.getTime() + OTP.ttlMs);
  await repo.closeOpenChallenges(tx, account.id, at, 'proofing');
  await repo.insertProofingChallenge(tx, pii, {
    id,
    accountId: account.id,
    codeHash: otpHash(id, code),
    createdAt: at,
    expiresAt,
    ip: c.ip,
    idNumber,
    destination,
  });
  if (destination)
    await notify(tx, {
      recipientId: account.id,
      kind: 'identity.proofing_code',
      payload: {
        challengeId: id,
        code,
        channel: 'sms',
        destination: maskPhone(destination),
        expiresAt: expiresAt.toISOString(),
      },
    });
  if (heldByOther) {
    await notify(tx, {
      recipientId: holder.id,
      kind: 'identity.registration_attempt',
      payload: { at: at.toISOString(), channel: 'sms' },
    });
    await recordAudit(tx, {
      actorId: account.id,
      action: 'identity.number_claimed_by_other',
      subjectType: 'account',
      subjectId: holder.id,
      data: { claimant: account.id },
      requestId: c.requestId,
    });
  }
  await recordAudit(tx, {
    actorId: account.id,
    action: 'identity.proofing_code_sent',
    subjectType: 'account',
    subjectId: account.id,
    data: {
      challengeId: id,
      outcome: destination ? 'sent' : heldByOther ? 'number_held' : record ? 'register_mismatch' : 'not_in_register',
    },
    requestId: c.requestId,
  });
  return {
    challenge: { challengeId: id, method: 'sms_on_record', expiresAt: expiresAt.toISOString() },
    ...(destination && deps.options.otpDelivery === 'dev' ? { devCode: code } : {}),
  };
}

/**
 * Binds a proved number to the account: a window record holding it gives it up (the person's own, made before
 * they had an account), other accounts' claims of it are cleared, and the account takes the level.
 */
async function bind(
  deps: IdentityDeps,
  tx: Executor,
  account: repo.AccountRow,
  idNumber: string,
  how: {
    level: 2 | 3;
    method: 'register_phone' | 'window' | 'seed';
    by: string | null;
    name?: string;
    requestId: string;
    data?: Record<string, string | boolean | null>;
  },
): Promise<void> {
  const { pii } = deps;
  const at = deps.now();
  const holder = await repo.findPersonByIdNumber(tx, pii, idNumber);
  if (holder && holder.id !== account.id) {
    if (!yieldsNumber(holder)) throw new AppError(IdentityErrors.numberHeld);
    await repo.updateAccount(tx, pii, holder.id, {
      idNumber: null,
      realNameLevel: 1,
      proofingMethod: null,
      proofedAt: null,
      proofedBy: null,
    });
    await recordAudit(tx, {
      actorId: how.by ?? account.id,
      action: isWindowRecord(holder) ? 'identity.record_superseded' : 'identity.claim_cleared',
      subjectType: 'account',
      subjectId: holder.id,
      data: { boundTo: account.id },
      requestId: how.requestId,
    });
  }
  for (const other of await repo.accountsClaiming(tx, pii, idNumber, account.id)) {
    await repo.updateAccount(tx, pii, other, { claimedIdNumber: null });
    await recordAudit(tx, {
      actorId: how.by ?? account.id,
      action: 'identity.claim_cleared',
      subjectType: 'account',
      subjectId: other,
      data: { boundTo: account.id },
      requestId: how.requestId,
    });
  }
  const record = await repo.findPersonRecord(tx, pii, idNumber);
  await repo.updateAccount(tx, pii, account.id, {
    idNumber,
    claimedIdNumber: null,
    realNameLevel: how.level,
    proofingMethod: how.method,
    proofedAt: at,
    proofedBy: how.by,
    regionCode: record?.regionCode ?? idNumber.slice(0, 6),
    ...(how.name ? { displayName: how.name } : {}),
  });
  await recordAudit(tx, {
    actorId: how.by ?? account.id,
    action: 'identity.real_name_verified',
    subjectType: 'account',
    subjectId: account.id,
    data: { level: how.level, method: how.method, register: record ? record.asOf : null, ...how.data },
    requestId: how.requestId,
  });
}

/**
 * Self-registration with real name, resident ID number (GB 11643), mobile number and password. The account
 * starts at level 1 with the number as a claim, and a proofing code goes to the phone on record if the register
 * agrees: the answer is the same whatever the register holds and whoever else claims or holds the number.
 */
export async function registerPerson(
  deps: IdentityDeps,
  input: PersonRegistration,
  c: LoginContext,
): Promise<RegisteredPerson & { devCode?: string }> {
  const { db, pii } = deps;
  const at = deps.now();
  if (
    (await repo.stepsOfIp(db, c.ip, new Date(at.getTime() - 3600_000), ['register'])) >=
    LIMITS.registrationsPerIpPerHour
  )
    throw new AppError(CommonErrors.rateLimited);
  const errors: FieldError[] = [];
  if (!USERNAME.test(input.username)) errors.push(fieldError('/username', IdentityFieldErrors.usernameInvalid));
  for (const p of passwordProblems(input.password, input.username)) errors.push({ pointer: '/password', ...p });
  if (!isRealName(input.realName)) errors.push(fieldError('/realName', IdentityFieldErrors.nameInvalid));
  const idNumber = checkIdNumber(input.idNumber, '/idNumber', errors);
  if (!PHONE.test(input.phone)) errors.push(fieldError('/phone', IdentityFieldErrors.phoneInvalid));
  await repo.recordAttempt(db, pii, { at, username: input.username, accountId: null, ip: c.ip, outcome: 'register' });
  if (errors.length || !idNumber) throw new AppError(IdentityErrors.invalid, {}, errors);
  if (await repo.findAccountByUsername(db, pii, input.username)) throw new AppError(IdentityErrors.usernameTaken);
  const id = crypto.randomUUID();
  const passwordHash = await hashPassword(input.password);
  try {
    const issued = await db.transaction(async (tx) => {
      await repo.insertAccount(tx, pii, {
        id,
        kind: 'person',
        username: input.username,
        displayName: input.realName.trim(),
        passwordHash,
        claimedIdNumber: idNumber,
        phone: input.phone,
        regionCode: idNumber.slice(0, 6),
      });
      await repo.setRoles(tx, id, ['applicant'], null);
      await recordAudit(tx, {
        actorId: id,
        action: 'identity.person_registered',
        subjectType: 'account',
        subjectId: id,
        data: { username: input.username },
        requestId: c.requestId,
      });
      return issueProofingCode(deps, tx, (await repo.findAccountById(tx, pii, id))!, idNumber, c, at);
    });
    return {
      ...personView((await repo.findAccountById(db, pii, id))!),
      proofing: issued.challenge,
      ...(issued.devCode ? { devCode: issued.devCode } : {}),
    };
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError(IdentityErrors.usernameTaken);
    throw err;
  }
}

/** A new proofing code for the signed-in person's claim (the last one expired or never came): a few a day. */
export async function startPhoneProofing(
  deps: IdentityDeps,
  ctx: RequestContext,
  c: LoginContext,
): Promise<{ challenge: ProofingChallenge; devCode?: string }> {
  const { db, pii } = deps;
  const p = ctx.principal;
  if (p.kind !== 'person' || p.acting) throw new AppError(IdentityErrors.cannotAct);
  const at = deps.now();
  const account = await repo.findAccountById(db, pii, p.accountId);
  if (!account) throw new AppError(CommonErrors.unauthenticated);
  if (account.realNameLevel >= 2) throw new AppError(IdentityErrors.proofingNotNeeded);
  const idNumber = account.claimedIdNumber ?? account.idNumber;
  if (!idNumber) throw new AppError(IdentityErrors.proofingUnavailable);
  if (
    (await repo.proofingChallengesSince(db, account.id, new Date(at.getTime() - DAY))) >= PROOFING.codesPerAccountPerDay
  )
    throw new AppError(CommonErrors.rateLimited);
  return db.transaction((tx) => issueProofingCode(deps, tx, account, idNumber, c, at));
}

/**
 * The code of a proofing challenge, once, within five minutes and five attempts: binds the claimed number at
 * level 2. A challenge that was never sent fails like a wrong code.
 */
export async function verifyPhoneProofing(
  deps: IdentityDeps,
  challengeId: string,
  code: string,
  c: LoginContext,
): Promise<PersonAccount> {
  const { db, pii } = deps;
  const at = deps.now();
  const challenge = await repo.findChallenge(db, challengeId, 'proofing');
  if (!challenge) throw new AppError(IdentityErrors.proofingExpired);
  const spent = await repo.spendAttempt(db, challenge.id, OTP.maxAttempts, at);
  if (!spent) throw new AppError(IdentityErrors.proofingExpired);
  if (!otpMatches(challenge.id, code, spent.codeHash)) {
    const remaining = OTP.maxAttempts - spent.attempts;
    throw remaining > 0
      ? new AppError(IdentityErrors.proofingIncorrect, { remaining })
      : new AppError(IdentityErrors.proofingExpired);
  }
  if (!(await repo.consumeChallenge(db, challenge.id, at))) throw new AppError(IdentityErrors.proofingExpired);
  await db.transaction(async (tx) => {
    const account = await repo.findAccountById(tx, pii, challenge.accountId);
    if (!account || account.disabled) throw new AppError(IdentityErrors.proofingExpired);
    if (account.realNameLevel >= 2) throw new AppError(IdentityErrors.proofingNotNeeded);
    const idNumber = account.claimedIdNumber ?? account.idNumber;
    // The account, the register or the number's holder may have changed since the code went out.
    const record = idNumber ? await repo.findPersonRecord(tx, pii, idNumber) : undefined;
    const holder = idNumber ? await repo.findPersonByIdNumber(tx, pii, idNumber) : undefined;
    if (
      !idNumber ||
      !repo.provesNumber(pii, challenge, idNumber) ||
      !record ||
      !isSameName(record.name, account.displayName) ||
      (holder && holder.id !== account.id && !yieldsNumber(holder))
    )
      throw new AppError(IdentityErrors.proofingExpired);
    await bind(deps, tx, account, idNumber, {
      level: 2,
      method: 'register_phone',
      by: null,
      requestId: c.requestId,
      data: { challengeId: challenge.id },
    });
  });
  return personView((await repo.findAccountById(db, pii, challenge.accountId))!);
}

/**
 * For the seed: proves a demo person from the register it ships, as a phone proof would (the name matches and the
 * account's phone is the one on record) but without the code. Nothing when it does not match or is done.
 */
export async function proveFromRegister(deps: IdentityDeps, accountId: string): Promise<boolean> {
  const { db, pii } = deps;
  const account = await repo.findAccountById(db, pii, accountId);
  const idNumber = account?.claimedIdNumber ?? account?.idNumber;
  if (account?.kind !== 'person' || account.realNameLevel >= 2 || !idNumber) return false;
  const record = await repo.findPersonRecord(db, pii, idNumber);
  if (!record || !isSameName(record.name, account.displayName) || !record.phone || record.phone !== account.phone)
    return false;
  const holder = await repo.findPersonByIdNumber(db, pii, idNumber);
  if (holder && holder.id !== account.id) return false;
  await db.transaction((tx) =>
    bind(deps, tx, account, idNumber, { level: 2, method: 'seed', by: null, requestId: 'seed' }),
  );
  return true;
}

/**
 * Window staff saw the ID card of the person present, who names their account: its number is bound at level 3,
 * under the name on the card. When another login account holds the number, the staff member confirms a reclaim
 * (`reclaim`): that account is frozen (sessions ended, login refused), its agencies and proxies end, enterprises
 * it represented pass to the person, and the number is bound here. Each step has its audit row.
 */
export async function proveAtWindow(
  deps: IdentityDeps,
  ctx: RequestContext,
  input: WindowProofBody,
): Promise<WindowProofResult> {
  const { db, pii } = deps;
  const staff = ctx.principal;
  const errors: FieldError[] = [];
  const idNumber = checkIdNumber(input.person.idNumber, '/person/idNumber', errors);
  if (!isRealName(input.person.name)) errors.push(fieldError('/person/name', IdentityFieldErrors.nameInvalid));
  if (errors.length || !idNumber) throw new AppError(IdentityErrors.invalid, {}, errors);
  const name = input.person.name.trim();
  const account = await repo.findAccountByUsername(db, pii, input.username);
  if (account?.kind !== 'person' || !account.passwordHash || account.disabled)
    throw new AppError(IdentityErrors.accountNotFound, {}, [
      fieldError('/username', IdentityFieldErrors.accountNotPerson),
    ]);
  const record = await repo.findPersonRecord(db, pii, idNumber);
  if (record && !isSameName(record.name, name))
    throw new AppError(IdentityErrors.personMismatch, {}, [
      fieldError('/person/name', IdentityFieldErrors.registerNameMismatch),
    ]);
  const holder = await repo.findPersonByIdNumber(db, pii, idNumber);
  if (holder?.id === account.id && account.realNameLevel === 3)
    return { account: personView(account), reclaimedFrom: null };
  const taken = holder && holder.id !== account.id && !yieldsNumber(holder) ? holder : null;
  if (taken && !input.reclaim)
    throw new AppError(IdentityErrors.numberHeld, {}, [fieldError('/reclaim', IdentityFieldErrors.reclaimRequired)]);
  const at = deps.now();
  await db.transaction(async (tx) => {
    if (taken) await freezeForReclaim(tx, pii, taken, account, ctx, at);
    await bind(deps, tx, account, idNumber, {
      level: 3,
      method: 'window',
      by: staff.accountId,
      name,
      requestId: ctx.requestId,
      data: {
        idCard: input.idCard.check,
        reference: input.idCard.reference ?? null,
        department: staff.departmentCode,
        reclaimedFrom: taken?.id ?? null,
      },
    });
  });
  return {
    account: personView((await repo.findAccountById(db, pii, account.id))!),
    reclaimedFrom: taken ? { id: taken.id, username: taken.username } : null,
  };
}

/** The account that held a reclaimed number: frozen, its sessions, agencies and proxies ended. */
async function freezeForReclaim(
  tx: Executor,
  pii: PiiSealer,
  impostor: repo.AccountRow,
  owner: repo.AccountRow,
  ctx: RequestContext,
  at: Date,
): Promise<void> {
  const staff = ctx.principal.accountId;
  await repo.updateAccount(tx, pii, impostor.id, {
    idNumber: null,
    claimedIdNumber: null,
    realNameLevel: 1,
    proofingMethod: null,
    proofedAt: null,
    proofedBy: null,
    disabled: true,
    frozenAt: at,
    frozenReason: 'id_number_reclaimed',
    frozenBy: staff,
  });
  const sessionsEnded = await repo.revokeAllSessions(tx, impostor.id, at);
  const agencies = await repo.revokeAgenciesOf(tx, impostor.id, staff, at);
  const proxies = await repo.revokeProxiesOf(tx, pii, impostor.id, staff, 'id_number_reclaimed', at);
  // The enterprises it registered were claimed with the number (the enterprise register names its holder as the
  // legal representative), which is the owner's.
  for (const a of agencies.filter((x) => x.role === 'legal_representative')) {
    const mine = await repo.liveAgency(tx, a.enterpriseId, owner.id);
    if (mine?.role === 'legal_representative') continue;
    if (mine) await repo.revokeAgency(tx, a.enterpriseId, owner.id, staff, at);
    await repo.insertAgency(tx, {
      id: crypto.randomUUID(),
      enterpriseId: a.enterpriseId,
      personId: owner.id,
      role: 'legal_representative',
      grantedBy: staff,
      grantedAt: at,
    });
    await recordAudit(tx, {
      actorId: staff,
      action: 'identity.legal_representative_changed',
      subjectType: 'account',
      subjectId: a.enterpriseId,
      data: { from: impostor.id, to: owner.id, reason: 'id_number_reclaimed' },
      requestId: ctx.requestId,
    });
  }
  await recordAudit(tx, {
    actorId: staff,
    action: 'identity.account_frozen',
    subjectType: 'account',
    subjectId: impostor.id,
    data: {
      reason: 'id_number_reclaimed',
      reclaimedBy: owner.id,
      department: ctx.principal.departmentCode,
      sessionsEnded,
      agenciesEnded: agencies.map((a) => a.enterpriseId),
      proxiesRevoked: proxies,
    },
    requestId: ctx.requestId,
  });
}
