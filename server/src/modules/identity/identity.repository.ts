import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Executor } from '../../platform/db.ts';
import { accounts, sessions } from '../../platform/schema.ts';

export type AccountRow = typeof accounts.$inferSelect;
export type NewAccount = typeof accounts.$inferInsert;

export async function findAccountByUsername(ex: Executor, username: string): Promise<AccountRow | undefined> {
  const rows = await ex.db.select().from(accounts).where(eq(accounts.username, username)).limit(1);
  return rows[0];
}

export async function insertAccount(ex: Executor, account: NewAccount): Promise<void> {
  await ex.db.insert(accounts).values(account);
}

export async function countAccounts(ex: Executor): Promise<number> {
  const { rows } = await ex.query<{ n: number }>('SELECT count(*)::int AS n FROM accounts');
  return rows[0]?.n ?? 0;
}

export async function insertSession(ex: Executor, tokenHash: string, accountId: string, expiresAt: Date): Promise<void> {
  await ex.db.insert(sessions).values({ tokenHash, accountId, expiresAt });
}

export async function findLiveSession(ex: Executor, tokenHash: string, now: Date): Promise<AccountRow | undefined> {
  const rows = await ex.db
    .select({ account: accounts })
    .from(sessions)
    .innerJoin(accounts, eq(accounts.id, sessions.accountId))
    .where(and(eq(sessions.tokenHash, tokenHash), isNull(sessions.revokedAt), gt(sessions.expiresAt, now), eq(accounts.disabled, false)))
    .limit(1);
  return rows[0]?.account;
}

export async function revokeSession(ex: Executor, tokenHash: string, now: Date): Promise<void> {
  await ex.db.update(sessions).set({ revokedAt: now }).where(and(eq(sessions.tokenHash, tokenHash), isNull(sessions.revokedAt)));
}
