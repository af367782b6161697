// The SSO context's use cases: administrators register, list and remove department systems (clients); the
// login page authenticates through the identity context; the provider reads the claims of an account.
import crypto from 'node:crypto';
import type { Client, RegisteredClient } from '@onething/shared/sso';
import { sqlState, type Database } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import { recordAudit } from '../../platform/audit.ts';
import type { IdentityService, LoginContext } from '../identity/index.ts';
import {
  accountClaims,
  authContext,
  clientInputProblems,
  providerMetadata,
  sha256Hex,
  type ClientInput,
  type ClientRecord,
} from './sso.domain.ts';
import * as repo from './sso.repository.ts';
import { SsoErrors } from '@onething/shared/sso';

export interface Actor {
  accountId: string;
  requestId: string;
}

function toView(c: ClientRecord): Client {
  return {
    clientId: c.clientId,
    name: c.name,
    departmentCode: c.departmentCode,
    redirectUris: c.redirectUris,
    postLogoutRedirectUris: c.postLogoutRedirectUris,
    authMethod: c.authMethod,
    scopes: c.scopes,
    firstParty: c.firstParty,
    createdAt: c.createdAt.toISOString(),
  };
}

/** Where a login at the provider stands after a step. */
export type LoginOutcome =
  | { next: 'done'; accountId: string; acr: string; amr: string[] }
  | { next: 'otp'; challengeId: string; destination: string; devCode?: string };

function isForeignKeyViolation(err: unknown): boolean {
  return sqlState(err) === '23503';
}

export function createSsoService(db: Database, deps: { identity: IdentityService }) {
  return {
    /** Registers a department system. The secret of a confidential client is in this answer and nowhere else. */
    async registerClient(input: ClientInput, actor: Actor): Promise<RegisteredClient> {
      const problems = clientInputProblems(input);
      if (problems.length) throw new AppError(SsoErrors.invalidClient, {}, problems);
      const clientId = `ot-${crypto.randomBytes(12).toString('base64url')}`;
      const clientSecret = input.authMethod === 'none' ? undefined : crypto.randomBytes(32).toString('base64url');
      const record: Omit<ClientRecord, 'createdAt'> = {
        clientId,
        name: input.name,
        departmentCode: input.departmentCode ?? null,
        redirectUris: input.redirectUris,
        postLogoutRedirectUris: input.postLogoutRedirectUris ?? [],
        authMethod: input.authMethod,
        secretSha256: clientSecret ? sha256Hex(clientSecret) : null,
        scopes: [...new Set(input.scopes)],
        firstParty: input.firstParty,
        createdBy: actor.accountId,
      };
      try {
        await db.transaction(async (tx) => {
          await repo.insertClient(tx, record);
          const { secretSha256: _secret, ...audited } = record;
          await recordAudit(tx, {
            actorId: actor.accountId,
            action: 'sso.client_registered',
            subjectType: 'sso_client',
            subjectId: clientId,
            data: audited,
            requestId: actor.requestId,
          });
        });
      } catch (err) {
        if (isForeignKeyViolation(err))
          throw new AppError(SsoErrors.departmentNotFound, { code: input.departmentCode ?? '' });
        throw err;
      }
      const view = toView({ ...record, createdAt: new Date() });
      return clientSecret ? { ...view, clientSecret } : view;
    },

    async listClients(): Promise<Client[]> {
      return (await repo.listClients(db)).map(toView);
    },

    /** Removes a client; its codes, tokens and grants go with it, so a removed system signs nobody in. */
    async deleteClient(clientId: string, actor: Actor): Promise<void> {
      await db.transaction(async (tx) => {
        if (!(await repo.deleteClient(tx, clientId))) throw new AppError(SsoErrors.clientNotFound, { clientId });
        await recordAudit(tx, {
          actorId: actor.accountId,
          action: 'sso.client_deleted',
          subjectType: 'sso_client',
          subjectId: clientId,
          requestId: actor.requestId,
        });
      });
    },

    /** The client as oidc-provider reads it, or nothing for an unknown id. */
    async clientMetadata(clientId: string): Promise<Record<string, unknown> | undefined> {
      const c = await repo.findClient(db, clientId);
      return c ? providerMetadata(c) : undefined;
    },

    /**
     * The password step of a login at the provider, through the identity context (its lockout, rate limits and
     * one-time code policy apply as they do to the platform's own login). Identity answers with a platform session
     * or a challenge; the session is ended at once, since the person signs in to the provider (its own cookie),
     * not to the platform's API.
     */
    async beginLogin(username: string, password: string, c: LoginContext): Promise<LoginOutcome> {
      const step = await deps.identity.beginLogin(username, password, c);
      if (step.next === 'otp')
        return {
          next: 'otp',
          challengeId: step.challenge.id,
          destination: step.challenge.destination,
          ...(step.devCode ? { devCode: step.devCode } : {}),
        };
      await deps.identity.logout(step.token);
      return { next: 'done', accountId: step.principal.accountId, ...authContext(['password']) };
    },

    /** The one-time code step; identity counts wrong codes and locks as it does for its own login. */
    async verifyOtp(challengeId: string, code: string, c: LoginContext): Promise<LoginOutcome> {
      const issued = await deps.identity.verifyOtp(challengeId, code, c);
      await deps.identity.logout(issued.token);
      return { next: 'done', accountId: issued.principal.accountId, ...authContext(['password', 'otp']) };
    },

    async recordLogin(accountId: string, clientId: string, acr: string, requestId: string): Promise<void> {
      await recordAudit(db, {
        actorId: accountId,
        action: 'sso.login',
        subjectType: 'account',
        subjectId: accountId,
        data: { clientId, acr },
        requestId,
      });
    },

    /** The claims of an account, or nothing when it does not exist or is disabled (its tokens then stop working). */
    async claimsOf(accountId: string) {
      const account = await deps.identity.accountClaims(accountId);
      return account ? accountClaims(account) : undefined;
    },
  };
}

export type SsoService = ReturnType<typeof createSsoService>;
