// The start-up checks that PII_KEYS opens the personal data the database holds, and of uploads not yet sealed. The pass that seals and
// re-encrypts that data (migration 0006's data step, `onething pii rotate`) is an operator tool: ops/pii-seal.ts.
import type { Executor } from './db.ts';
import { envelopeKeyId, type PiiSealer } from './pii.ts';

/**
 * Checks at start-up that PII_KEYS opens what the database holds, by decrypting a few stored account numbers (a
 * bounded read: the first rows found, not a pass over every account). A server given the wrong keys (another key
 * under the same id, the development keys against production data) would otherwise start and fail on each read of
 * personal data. Returns the problems, one per key id, empty when all is well.
 */
export async function checkKeysOpenStoredData(db: Executor, pii: PiiSealer, sample = 20): Promise<string[]> {
  const { rows } = await db.query<{ id_number_enc: string | null; phone_enc: string | null }>(
    `SELECT id_number_enc, phone_enc FROM accounts WHERE id_number_enc IS NOT NULL OR phone_enc IS NOT NULL LIMIT ${Math.floor(sample)}`,
  );
  const problems = new Map<string, string>();
  for (const value of rows.flatMap((r) => [r.id_number_enc, r.phone_enc])) {
    if (!value) continue;
    const kid = envelopeKeyId(value) ?? '';
    if (problems.has(kid)) continue;
    try {
      pii.decrypt(value);
    } catch (err) {
      problems.set(kid, (err as Error).message);
    }
  }
  return [...problems.values()];
}

/** Uploaded files still stored as uploaded (from before migration 0015), which `onething pii seal` seals. */
export async function countUnsealedFiles(db: Executor): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM files WHERE stored_sha256 IS NULL');
  return rows[0]?.n ?? 0;
}
