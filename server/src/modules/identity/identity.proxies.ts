// Proxies (帮办代办): window staff act for a person present at the window once consent is recorded; a family
// member acts for an elderly person who authorised them (online, or at a window with staff recording it). Each
// proxy says who, for what (bundles or everything) and until when. Whoever acts under one is recorded as the actor
// with the person as the one acted for (platform/auth.ts actingRecord); the person lists what was done and revokes.
import crypto from 'node:crypto';
import type { ProxyView, ProxyConsent } from '@onething/shared/identity';
import { AppError } from '../../platform/errors.ts';
import { fieldError } from '@onething/shared/problem';
import { recordAudit } from '../../platform/audit.ts';
import { maskIdNumber } from '../identifiers/index.ts';
import { PROXY_MAX_DAYS, type ProxyScope } from './identity.domain.ts';
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
  consent: { method: ConsentMethod; reference?: string | undefined };
}

export interface FamilyAtWindowInput {
  grantor: PersonRef;
  grantee: PersonRef;
  scope: ProxyScope;
  validUntil: string;
  consent: { method: ConsentMethod; reference?: string | undefined };
}

const DAY = 24 * 3600_000;

function status(x: repo.ProxyRow, at: Date): 'active' | 'revoked' | 'expired' | 'pending' {
  if (x.revokedAt) return 'revoked';
  if (x.validUntil <= at) return 'expired';
  return x.validFrom > at ? 'pending' : 'active';
}

function until(value: string | undefined, kind: keyof typeof PROXY_MAX_DAYS, at: Date): Date {
  const d = value ? new Date(value) : new Date(at.getTime() + DAY);
  const max = new Date(at.getTime() + PROXY_MAX_DAYS[kind] * DAY);
  if (Number.isNaN(d.getTime()) || d <= at)
    throw new AppError(IdentityErrors.invalid, {}, [fieldError('/validUntil', IdentityFieldErrors.validUntilPast)]);
  if (d > max)
    throw new AppError(IdentityErrors.invalid, {}, [
      fieldError('/validUntil', IdentityFieldErrors.validUntilTooLong, { days: PROXY_MAX_DAYS[kind] }),
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
  const { db, now } = deps;
  return view(deps, (await repo.proxyListRow(db, id))!, now(), false);
}

/** The person (acting as themself) authorises a registered family member. */
export async function grantFamilyProxy(
  deps: IdentityDeps,
  ctx: RequestContext,
  input: { grantee: PersonRef; scope: ProxyScope; validUntil: string },
) {
  const { db, now } = deps;
  const p = ctx.principal;
  if (p.kind !== 'person' || p.acting) throw new AppError(IdentityErrors.cannotAct);
  const at = now();
  const validUntil = until(input.validUntil, 'family', at);
  const grantee = await registeredPerson(db, input.grantee, '/grantee');
  if (grantee.id === p.accountId)
    throw new AppError(IdentityErrors.invalid, {}, [fieldError('/grantee', IdentityFieldErrors.proxySelf)]);
  const id = crypto.randomUUID();
  await db.transaction(async (tx) => {
    await repo.insertProxy(tx, {
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
 * Window staff record the consent of the person in front of them (identified from the ID card) and become able
 * to act for them within the scope until the time given (a day by default, at most a week).
 */
export async function recordWindowConsent(deps: IdentityDeps, ctx: RequestContext, input: WindowConsentInput) {
  const { db, now } = deps;
  const p = ctx.principal;
  const at = now();
  const validUntil = until(input.validUntil, 'window_consent', at);
  const id = crypto.randomUUID();
  await db.transaction(async (tx) => {
    const person = await presentPerson(tx, ctx, input.person, '/person');
    await repo.insertProxy(tx, {
      id,
      grantorId: person.id,
      granteeId: p.accountId,
      kind: 'window_consent',
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
      action: 'identity.window_consent_recorded',
      subjectType: 'proxy',
      subjectId: id,
      data: {
        proxyId: id,
        kind: 'window_consent',
        grantor: person.id,
        grantee: p.accountId,
        scope: input.scope,
        method: input.consent.method,
        validUntil: validUntil.toISOString(),
      },
      requestId: ctx.requestId,
    });
  });
  return viewOf(deps, id);
}

/** Window staff record that a person present authorises a (registered) family member. */
export async function recordFamilyProxy(deps: IdentityDeps, ctx: RequestContext, input: FamilyAtWindowInput) {
  const { db, now } = deps;
  const p = ctx.principal;
  const at = now();
  const validUntil = until(input.validUntil, 'family', at);
  const grantee = await registeredPerson(db, input.grantee, '/grantee');
  const id = crypto.randomUUID();
  await db.transaction(async (tx) => {
    const grantor = await presentPerson(tx, ctx, input.grantor, '/grantor');
    if (grantor.id === grantee.id)
      throw new AppError(IdentityErrors.invalid, {}, [fieldError('/grantee', IdentityFieldErrors.granteeSelf)]);
    await repo.insertProxy(tx, {
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
  const { db, now } = deps;
  const at = now();
  const live = (await repo.proxiesOf(db, spec.grantorId, 'grantor')).find(
    (x) => x.granteeId === spec.granteeId && status(x, at) === 'active',
  );
  if (live) return null;
  const id = crypto.randomUUID();
  await db.transaction(async (tx) => {
    await repo.insertProxy(tx, { id, ...spec, validFrom: at, createdAt: at });
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
  const { db, now } = deps;
  const p = ctx.principal;
  const at = now();
  const granted = await repo.proxiesOf(db, p.accountId, 'grantor');
  const received = await repo.proxiesOf(db, p.accountId, 'grantee');
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
  const { db, now } = deps;
  const p = ctx.principal;
  const x = await repo.findProxy(db, id);
  if (!x || ![x.grantorId, x.granteeId, x.createdBy].includes(p.accountId))
    throw new AppError(IdentityErrors.proxyNotFound);
  await db.transaction(async (tx) => {
    if (await repo.revokeProxy(tx, id, p.accountId, reason, now())) {
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
