// oidc-provider's storage on the platform's Database, so the provider runs on PGlite and on PostgreSQL alike and
// several instances share sessions, codes and tokens. One adapter per model kind (Session, Interaction, Grant,
// AuthorizationCode, AccessToken …), all in oidc_payloads; clients come from sso_clients, which administrators
// manage through the API (dynamic registration is off).
import { errors, type Adapter, type AdapterPayload } from 'oidc-provider';
import type { Database } from '../../platform/db.ts';
import * as repo from './sso.repository.ts';

/** The kinds that belong to a grant: revoking the grant revokes them (and only they carry grant_id). */
const GRANTABLE = new Set([
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
  'PreAuthorizedCode',
]);

/** How often one process deletes long-expired rows; any instance may, the delete is idempotent. */
const PRUNE_EVERY_MS = 10 * 60_000;

export type ClientLookup = (clientId: string) => Promise<AdapterPayload | undefined>;

function toPayload(row: repo.PayloadRow): AdapterPayload {
  const payload = row.payload as AdapterPayload;
  // The provider refuses a consumed code (and revokes its grant) when `consumed` is set.
  return row.consumed_at ? { ...payload, consumed: Math.floor(new Date(row.consumed_at).getTime() / 1000) } : payload;
}

export function createAdapterFactory(db: Database, findClient: ClientLookup): (kind: string) => Adapter {
  let lastPrune = 0;

  const clientAdapter: Adapter = {
    find: (id) => findClient(id),
    async upsert() {
      throw new Error('clients are registered by administrators through /api/v1/admin/sso/clients');
    },
    async findByUid() {
      return undefined;
    },
    async findByUserCode() {
      return undefined;
    },
    async consume() {},
    async destroy() {},
    async revokeByGrantId() {},
  };

  return (kind) => {
    if (kind === 'Client') return clientAdapter;
    return {
      async upsert(id, payload, expiresIn) {
        await repo.upsertPayload(db, {
          kind,
          id,
          payload,
          grantId: GRANTABLE.has(kind) ? (payload.grantId ?? null) : null,
          userCode: payload.userCode ?? null,
          uid: payload.uid ?? null,
          expiresAt: expiresIn ? new Date(Date.now() + expiresIn * 1000) : null,
        });
        if (Date.now() - lastPrune > PRUNE_EVERY_MS) {
          lastPrune = Date.now();
          await repo.pruneExpired(db);
        }
      },
      async find(id) {
        const row = await repo.findPayload(db, kind, 'id', id);
        return row ? toPayload(row) : undefined;
      },
      async findByUid(uid) {
        const row = await repo.findPayload(db, kind, 'uid', uid);
        return row ? toPayload(row) : undefined;
      },
      async findByUserCode(userCode) {
        const row = await repo.findPayload(db, kind, 'user_code', userCode);
        return row ? toPayload(row) : undefined;
      },
      async consume(id) {
        if (await repo.consumePayload(db, kind, id)) return;
        // The provider reads, checks `consumed`, then consumes: two requests with one code can both pass the check.
        // The loser lands here and is treated as the replay it is: the grant goes, with every token issued under it.
        const grantId = await repo.grantIdOf(db, kind, id);
        if (grantId) await repo.destroyGrantEverywhere(db, grantId);
        throw new errors.InvalidGrant(`${kind} already consumed`);
      },
      async destroy(id) {
        await repo.destroyPayload(db, kind, id);
      },
      async revokeByGrantId(grantId) {
        await repo.destroyByGrant(db, kind, grantId);
      },
    };
  };
}
