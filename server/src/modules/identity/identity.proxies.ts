// Proxies (帮办代办): window staff act for a person present at the window once consent is recorded; a family
// member acts for an elderly person who authorised them (online, or at a window with staff recording it). Each
// proxy says who, for what (bundles or everything) and until when. Whoever acts under one is recorded as the actor
// with the person as the one acted for (platform/auth.ts actingRecord); the person lists what was done and revokes.
// At a window, staff reach only persons within their jurisdiction, and a window consent needs something from the
// person: the code sent to their phone on record, or their ID card read at the window (docs/adr/0024).
import crypto from 'node:crypto';
import type { ProxyView, ProxyConsent, WindowConsentCode, WindowConsentConfirmation } from '@onething/shared/identity';
import { AppError } from '../../platform/errors.ts';
import { CommonErrors, fieldError } from '@onething/shared/problem';
import { recordAudit } from '../../platform/audit.ts';
import { authorize, type Principal } from '../../platform/auth.ts';
import { maskIdNumber } from '../identifiers/index.ts';
import { notify } from '../notifications/index.ts';
import {
  CONSENT_CODE,
  PROXY_HOURS,
  consentJurisdiction,
  maskPhone,
  newOtpCode,
  otpHash,
  otpMatches,
  type ProxyScope,
} from './identity.domain.ts';
import type { RequestContext } from '../../platform/request-context.ts';
import type { IdentityDeps } from './identity.context.ts';
import { presentPerson, registeredPerson } from './identity.accounts.ts';
import * as repo from './identity.repository.ts';
import { IdentityErrors, IdentityFieldErrors } from '@onething/shared/identity';

export type ConsentMethod = 'signature' | 'id_card_reader' | 'face_match';

export interface PersonRef {
  idNumber: string;
  name: string;
}

export interface WindowConsentInput {
  person: PersonRef;
  scope: ProxyScope;
  validUntil?: string | undefined;
  consent: WindowConsentConfirmation;
}

export interface FamilyAtWindowInput {
  grantor: PersonRef;
  grantee: PersonRef;
  scope: ProxyScope;
  validUntil: string;
  consent: { method: ConsentMethod; reference?: string | undefined };
}

const HOUR = 3600_000;

/**
 * Whether staff may record consent for this person at their window: the person's region (the county, from the
 * ID number when nothing else is known) within the staff member's jurisdiction, a township's widened to its county.
 */
function withinReach(p: Principal, person: repo.AccountRow): boolean {
  const region = person.regionCode?.trim() || person.idNumber?.slice(0, 6) || null;
  return authorize({ ...p, jurisdiction: consentJurisdiction(p.jurisdiction) }, 'proxies.record_consent', {
    regionCode: region,
  });
}

function assertWithinReach(p: Principal, person: repo.AccountRow): void {
  if (!withinReach(p, person)) throw new AppError(IdentityErrors.personOutsideJurisdiction);
}

function status(x: repo.ProxyRow, at: Date): 'active' | 'revoked' | 'expired' | 'pending' {
  if (x.revokedAt) return 'revoked';
  if (x.validUntil <= at) return 'expired';
  return x.validFrom > at ? 'pending' : 'active';
}

function until(value: string | undefined, kind: keyof typeof PROXY_HOURS, at: Date): Date {
  const hours = PROXY_HOURS[kind];
  const d = value ? new Date(value) : new Date(at.getTime() + hours.byDefault * HOUR);
  const max = new Date(at.getTime() + hours.max * HOUR);
  if (Number.isNaN(d.getTime()) || d <= at)
    throw new AppError(IdentityErrors.invalid, {}, [fieldError('/validUntil', IdentityFieldErrors.validUntilPast)]);
  if (d > max)
    throw new AppError(IdentityErrors.invalid, {}, [
      kind === 'window_consent'
        ? fieldError('/validUntil', IdentityFieldErrors.validUntilTooLongHours, { hours: hours.max })
        : fieldError('/validUntil', IdentityFieldErrors.validUntilTooLong, { days: Math.floor(hours.max / 24) }),
    ]);
  return d;
}

async function view(deps: IdentityDeps, x: repo.ProxyListRow, at: Date, withActions: boolean): Promise<ProxyView> {
  const { db } = deps;
  return {
    id: x.id,
    kind: x.kind,
    grantor: {
      id: x.grantorId,
      name: x.grantorName,
      idNumber: x.grantorIdNumber ? maskIdNumber(x.grantorIdNumber) : null,
    },
    grantee: { id: x.granteeId, name: x.granteeName, kind: x.granteeKind },
    scope: x.scope,
    validFrom: x.validFrom.toISOString(),
    validUntil: x.validUntil.toISOString(),
    consent: x.consent,
    status: status(x, at),
    revokedAt: x.revokedAt?.toISOString() ?? null,
    revokeReason: x.revokeReason,
    ...(withActions
      ? {
          actions: (await repo.actionsUnderProxy(db, x.id)).map((e) => ({
            at: e.at.toISOString(),
            action: e.action,
            actor: { id: e.actorId, name: e.actorName },
            subject: { type: e.subjectType, id: e.subjectId },
            data: e.data,
          })),
        }
      : {}),
  };
}

async function viewOf(deps: IdentityDeps, id: string) {
  const { db, now, pii } = deps;
  return view(deps, (await repo.proxyListRow(db, pii, id))!, now(), false);
}

/** The person (acting as themself) authorises a registered family member. */
export async function grantFamilyProxy(
  deps: IdentityDeps,
  ctx: RequestContext,
  input: { grantee: PersonRef; scope: ProxyScope; validUntil: string },
) {
  const { db, now, pii } = deps;
  const p = ctx.principal;
  if (p.kind !== 'person' || p.acting) throw new AppError(IdentityErrors.cannotAct);
  const at = now();
  const validUntil = until(input.validUntil, 'family', at);
  const grantee = await registeredPerson(db, pii, input.grantee, '/grantee');
  if (grantee.id === p.accountId)
    throw new AppError(IdentityErrors.invalid, {}, [fieldError('/grantee', IdentityFieldErrors.proxySelf)]);
  const id = crypto.randomUUID();
  await db.transaction(async (tx) => {
    await repo.insertProxy(tx, pii, {
      id,
      grantorId: p.accountId,
      granteeId: grantee.id,
      kind: 'family',
      scope: input.scope,
      validFrom: at,
      validUntil,
      consent: { method: 'online', recordedBy: p.accountId, recordedAt: at.toISOString() },
      createdBy: p.accountId,
      createdAt: at,
    });
    await recordAudit(tx, {
      actorId: p.accountId,
      action: 'identity.proxy_granted',
      subjectType: 'proxy',
      subjectId: id,
      data: {
        proxyId: id,
        kind: 'family',
        grantor: p.accountId,
        grantee: grantee.id,
        scope: input.scope,
        validUntil: validUntil.toISOString(),
      },
      requestId: ctx.requestId,
    });
  });
  return viewOf(deps, id);
}

/**
 * Sends a code to the phone on record of a registered person within the staff member's reach, through the
 * outbox (kind 'proxy.consent_code', like login codes); the person reads it out to confirm their consent.
 */
export async function requestWindowConsentCode(
  deps: IdentityDeps,
  ctx: RequestContext,
  input: { person: PersonRef },
): Promise<WindowConsentCode & { devCode?: string }> {
  const { db, now, pii } = deps;
  const p = ctx.principal;
  const at = now();
  const person = await registeredPerson(db, pii, input.person, '/person');
  assertWithinReach(p, person);
  if (!person.phone) throw new AppError(IdentityErrors.consentNoPhone);
  if ((await repo.consentCodesSentTo(db, person.id, new Date(at.getTime() - HOUR))) >= CONSENT_CODE.perPersonPerHour)
    throw new AppError(CommonErrors.rateLimited);
  const id = crypto.randomUUID();
  const code = newOtpCode();
  const expiresAt = new Date(at.getTime() + CONSENT_CODE.ttlMs);
  const destination = maskPhone(person.phone);
  await db.transaction(async (tx) => {
    await repo.openConsentChallenge(tx, {
      id,
      personId: person.id,
      staffId: p.accountId,
      codeHash: otpHash(id, code),
      createdAt: at,
      expiresAt,
    });
    await notify(tx, {
      recipientId: person.id,
      kind: 'proxy.consent_code',
      payload: {
        challengeId: id,
        code,
        channel: 'sms',
        destination,
        expiresAt: expiresAt.toISOString(),
        departmentCode: p.departmentCode,
      },
    });
    await recordAudit(tx, {
      actorId: p.accountId,
      action: 'identity.consent_code_sent',
      subjectType: 'account',
      subjectId: person.id,
      data: { challengeId: id, channel: 'sms', department: p.departmentCode },
      requestId: ctx.requestId,
    });
  });
  return {
    challengeId: id,
    destination,
    expiresAt: expiresAt.toISOString(),
    ...(deps.options.otpDelivery === 'dev' ? { devCode: code } : {}),
  };
}

/**
 * Window staff record the consent of the person in front of them (identified from the ID card), confirmed by
 * the code the person received or by their ID card read at the window, and become able to act for them within
 * the scope for the visit (four hours unless told, at most eight).
 */
export async function recordWindowConsent(deps: IdentityDeps, ctx: RequestContext, input: WindowConsentInput) {
  const { db, now, pii } = deps;
  const p = ctx.principal;
  const at = now();
  const validUntil = until(input.validUntil, 'window_consent', at);
  const c = input.consent;
  // A wrong code counts whatever happens next, so its attempt is spent outside the transaction.
  let challengeId: string | null = null;
  if (c.method === 'sms_code') {
    const person = await registeredPerson(db, pii, input.person, '/person');
    assertWithinReach(p, person);
    const spent = await repo.spendConsentAttempt(
      db,
      { id: c.challengeId, personId: person.id, staffId: p.accountId },
      CONSENT_CODE.maxAttempts,
      at,
    );
    if (!spent) throw new AppError(IdentityErrors.consentCodeExpired);
    if (!otpMatches(spent.id, c.code, spent.codeHash)) {
      const remaining = CONSENT_CODE.maxAttempts - spent.attempts;
      throw remaining > 0
        ? new AppError(IdentityErrors.consentCodeIncorrect, { remaining }, [
            fieldError('/consent/code', IdentityFieldErrors.consentCode),
          ])
        : new AppError(IdentityErrors.consentCodeExpired);
    }
    challengeId = spent.id;
  }
  const id = crypto.randomUUID();
  await db.transaction(async (tx) => {
    const person = await presentPerson(tx, pii, ctx, input.person, '/person');
    // A person recorded just now is undone with the transaction.
    assertWithinReach(p, person);
    if (challengeId && !(await repo.consumeConsentChallenge(tx, challengeId, at)))
      throw new AppError(IdentityErrors.consentCodeExpired);
    const confirmation =
      c.method === 'sms_code'
        ? { method: 'sms_code' as const, reference: null, challengeId }
        : { method: 'id_card_reader' as const, reference: c.reference ?? null, cardRead: true };
    await repo.insertProxy(tx, pii, {
      id,
      grantorId: person.id,
      granteeId: p.accountId,
      kind: 'window_consent',
      scope: input.scope,
      validFrom: at,
      validUntil,
      consent: {
        ...confirmation,
        recordedBy: p.accountId,
        recordedAt: at.toISOString(),
        departmentCode: p.departmentCode,
      },
      createdBy: p.accountId,
      createdAt: at,
    });
    await recordAudit(tx, {
      actorId: p.accountId,
      action: 'identity.window_consent_recorded',
      subjectType: 'proxy',
      subjectId: id,
      data: {
        proxyId: id,
        kind: 'window_consent',
        grantor: person.id,
        grantee: p.accountId,
        scope: input.scope,
        method: c.method,
        ...(challengeId ? { challengeId } : { cardRead: true }),
        validUntil: validUntil.toISOString(),
      },
      requestId: ctx.requestId,
    });
  });
  return viewOf(deps, id);
}

/** Window staff record that a person present authorises a (registered) family member. */
export async function recordFamilyProxy(deps: IdentityDeps, ctx: RequestContext, input: FamilyAtWindowInput) {
  const { db, now, pii } = deps;
  const p = ctx.principal;
  const at = now();
  const validUntil = until(input.validUntil, 'family', at);
  const grantee = await registeredPerson(db, pii, input.grantee, '/grantee');
  const id = crypto.randomUUID();
  await db.transaction(async (tx) => {
    const grantor = await presentPerson(tx, pii, ctx, input.grantor, '/grantor');
    assertWithinReach(p, grantor);
    if (grantor.id === grantee.id)
      throw new AppError(IdentityErrors.invalid, {}, [fieldError('/grantee', IdentityFieldErrors.granteeSelf)]);
    await repo.insertProxy(tx, pii, {
      id,
      grantorId: grantor.id,
      granteeId: grantee.id,
      kind: 'family',
      scope: input.scope,
      validFrom: at,
      validUntil,
      consent: {
        method: input.consent.method,
        reference: input.consent.reference ?? null,
        recordedBy: p.accountId,
        recordedAt: at.toISOString(),
        departmentCode: p.departmentCode,
      },
      createdBy: p.accountId,
      createdAt: at,
    });
    await recordAudit(tx, {
      actorId: p.accountId,
      action: 'identity.proxy_granted',
      subjectType: 'proxy',
      subjectId: id,
      data: {
        proxyId: id,
        kind: 'family',
        grantor: grantor.id,
        grantee: grantee.id,
        scope: input.scope,
        recordedAtWindow: true,
        validUntil: validUntil.toISOString(),
      },
      requestId: ctx.requestId,
    });
  });
  return viewOf(deps, id);
}

/** For the seed: a proxy as given, unless the grantor already has a live one for the grantee. */
export async function seedProxy(
  deps: IdentityDeps,
  spec: {
    grantorId: string;
    granteeId: string;
    kind: 'window_consent' | 'family';
    scope: ProxyScope;
    validUntil: Date;
    consent: ProxyConsent;
    createdBy: string;
  },
): Promise<string | null> {
  const { db, now, pii } = deps;
  const at = now();
  const live = (await repo.proxiesOf(db, pii, spec.grantorId, 'grantor')).find(
    (x) => x.granteeId === spec.granteeId && status(x, at) === 'active',
  );
  if (live) return null;
  const id = crypto.randomUUID();
  await db.transaction(async (tx) => {
    await repo.insertProxy(tx, pii, { id, ...spec, validFrom: at, createdAt: at });
    await recordAudit(tx, {
      actorId: spec.createdBy,
      action: 'identity.proxy_granted',
      subjectType: 'proxy',
      subjectId: id,
      data: {
        proxyId: id,
        kind: spec.kind,
        grantor: spec.grantorId,
        grantee: spec.granteeId,
        scope: spec.scope,
        validUntil: spec.validUntil.toISOString(),
      },
    });
  });
  return id;
}

/** Proxies the account granted (with everything done under each) and those granted to it. */
export async function listProxies(deps: IdentityDeps, ctx: RequestContext) {
  const { db, now, pii } = deps;
  const p = ctx.principal;
  const at = now();
  const granted = await repo.proxiesOf(db, pii, p.accountId, 'grantor');
  const received = await repo.proxiesOf(db, pii, p.accountId, 'grantee');
  return {
    granted: await Promise.all(granted.map((x) => view(deps, x, at, true))),
    received: await Promise.all(received.map((x) => view(deps, x, at, false))),
  };
}

/**
 * The grantor revokes, the grantee gives it up, or the staff member who recorded it withdraws it. Sessions acting
 * under it are refused from their next request. Revoking twice is not an error.
 */
export async function revokeProxy(deps: IdentityDeps, ctx: RequestContext, id: string, reason: string | null) {
  const { db, now, pii } = deps;
  const p = ctx.principal;
  const x = await repo.findProxy(db, pii, id);
  if (!x || ![x.grantorId, x.granteeId, x.createdBy].includes(p.accountId))
    throw new AppError(IdentityErrors.proxyNotFound);
  await db.transaction(async (tx) => {
    if (await repo.revokeProxy(tx, pii, id, p.accountId, reason, now())) {
      const by = p.accountId === x.grantorId ? 'grantor' : p.accountId === x.granteeId ? 'grantee' : 'recorder';
      await recordAudit(tx, {
        actorId: p.accountId,
        action: 'identity.proxy_revoked',
        subjectType: 'proxy',
        subjectId: id,
        data: { proxyId: id, by, reason, sessionsActing: await repo.sessionsActingUnder(tx, id) },
        requestId: ctx.requestId,
      });
    }
  });
}
