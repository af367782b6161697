// Minimal real identity for the foundations: accounts with hashed passwords, login issuing a session,
// roles. The identity issue grows this into real-name accounts, one-time codes and SSO.
import crypto from 'node:crypto';
import type { Database } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import { recordAudit } from '../../platform/audit.ts';
import type { Principal, Role } from '../../platform/auth.ts';
import { decoyHash, hashPassword, hashToken, newSessionToken, verifyPassword } from './identity.domain.ts';
import * as repo from './identity.repository.ts';

export interface AccountSpec {
  kind: 'person' | 'enterprise' | 'staff';
  username: string;
  displayName: string;
  password: string;
  roles: Role[];
  departmentCode?: string | null;
  regionCode?: string | null;
}

export function createIdentityService(db: Database, options: { sessionTtlHours: number }) {
  function toPrincipal(a: repo.AccountRow): Omit<Principal, 'via'> {
    return {
      accountId: a.id,
      kind: a.kind,
      username: a.username,
      displayName: a.displayName,
      roles: a.roles as Role[],
      departmentCode: a.departmentCode,
      regionCode: a.regionCode,
    };
  }

  return {
    async createAccount(spec: AccountSpec): Promise<string> {
      const id = crypto.randomUUID();
      const passwordHash = await hashPassword(spec.password);
      await db.transaction(async (tx) => {
        await repo.insertAccount(tx, {
          id,
          kind: spec.kind,
          username: spec.username,
          displayName: spec.displayName,
          passwordHash,
          roles: spec.roles,
          departmentCode: spec.departmentCode ?? null,
          regionCode: spec.regionCode ?? null,
        });
        await recordAudit(tx, { actorId: null, action: 'identity.account_created', subjectType: 'account', subjectId: id, data: { username: spec.username, roles: spec.roles } });
      });
      return id;
    },

    async login(username: string, password: string, requestId: string) {
      const account = await repo.findAccountByUsername(db, username);
      const ok = account && !account.disabled ? await verifyPassword(password, account.passwordHash) : (await verifyPassword(password, await decoyHash()), false);
      if (!account || !ok) {
        if (account) {
          await recordAudit(db, { actorId: account.id, action: 'identity.login_failed', subjectType: 'account', subjectId: account.id, requestId });
        }
        throw new AppError('auth.invalid_credentials');
      }
      const token = newSessionToken();
      const expiresAt = new Date(Date.now() + options.sessionTtlHours * 3600_000);
      await db.transaction(async (tx) => {
        await repo.insertSession(tx, hashToken(token), account.id, expiresAt);
        await recordAudit(tx, { actorId: account.id, action: 'identity.login', subjectType: 'account', subjectId: account.id, requestId });
      });
      return { token, expiresAt, principal: toPrincipal(account) };
    },

    async resolveSession(token: string): Promise<Omit<Principal, 'via'> | null> {
      const account = await repo.findLiveSession(db, hashToken(token), new Date());
      return account ? toPrincipal(account) : null;
    },

    async logout(token: string): Promise<void> {
      await repo.revokeSession(db, hashToken(token), new Date());
    },

    countAccounts: () => repo.countAccounts(db),
  };
}

export type IdentityService = ReturnType<typeof createIdentityService>;
