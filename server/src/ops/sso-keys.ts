// `onething sso seal-keys`: the SSO provider's keys stored in clear (a server started without
// SSO_KEY_ENCRYPTION_KEY) sealed and replaced by new sealed keys, so that no database copy or backup, earlier or
// later, holds a private key that signs for the live provider (docs/adr/0020). Servers hold their keys in memory:
// run it while they are stopped, then start them with the same SSO_KEY_ENCRYPTION_KEY.
import type { Database } from '../platform/db.ts';
import { checkStoredKeys, replaceClearKeys, type ClearKeysReplaced } from '../modules/sso/index.ts';

export class SealKeysError extends Error {}

export async function sealSsoKeys(
  db: Database,
  options: { encryptionKey: string | undefined },
): Promise<ClearKeysReplaced> {
  const { encryptionKey } = options;
  if (!encryptionKey)
    throw new SealKeysError('SSO_KEY_ENCRYPTION_KEY is not set: it is the key the SSO keys are sealed with');
  // Keys already sealed under another setting would leave a set the servers cannot open: stop before writing.
  const before = await checkStoredKeys(db, { encryptionKey });
  if (before.unopenable.length) throw new SealKeysError(before.unopenable.join('\n'));
  const report = await replaceClearKeys(db, { encryptionKey });
  const after = await checkStoredKeys(db, { encryptionKey });
  if (after.problems.length)
    throw new Error(`SSO keys still not servable after sealing:\n${after.problems.join('\n')}`);
  return report;
}
