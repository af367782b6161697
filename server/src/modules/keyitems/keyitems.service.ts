// The yearly key-item list: load the items with the state of the bundles that deliver them and their use within
// the viewer's jurisdiction (from analytics); change the province's part of an item with an audit row.
import type { KeyItem, KeyItemChange, KeyItemList } from '@onething/shared/keyitems';
import type { Database } from '../../platform/db.ts';
import type { Principal } from '../../platform/auth.ts';
import { recordAudit } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import type { AnalyticsService } from '../analytics/index.ts';
import { keyItemStatus, onTimeShare } from './keyitems.domain.ts';
import * as repo from './keyitems.repository.ts';
import { KeyItemErrors, KeyItemFieldErrors } from '@onething/shared/keyitems';
import { fieldError } from '@onething/shared/problem';

export type KeyItemsService = ReturnType<typeof createKeyItemsService>;

/** The window of the usage figures, in calendar days up to today. */
export const USAGE_DAYS = 30;

export function createKeyItemsService(db: Database, deps: { analytics: AnalyticsService }) {
  async function listFor(p: Principal, year: number | null): Promise<KeyItemList> {
    const [years, batches, rows] = await Promise.all([repo.years(db), repo.batches(db, year), repo.items(db, year)]);
    const codes = [...new Set(rows.map((r) => r.bundleCode).filter((c): c is string => c !== null))];
    const states = await repo.bundleStates(db, codes);
    const { from, to, usage } = await deps.analytics.bundleUsage(p, USAGE_DAYS);
    const items = rows.map((r) => {
      const state = r.bundleCode ? states.get(r.bundleCode) : undefined;
      const use = r.bundleCode ? usage.get(r.bundleCode) : undefined;
      const status = keyItemStatus(r.bundleCode, state);
      return {
        id: r.id,
        year: r.year,
        batchId: r.batchId,
        name: { zh: r.nameZh, en: r.nameEn },
        audience: r.audience,
        leadDepartment: r.leadDepartment,
        inferred: r.inferred,
        verified: r.verified,
        sourceUrl: r.sourceUrl,
        sourceNote: r.sourceNoteZh === null ? null : { zh: r.sourceNoteZh, en: r.sourceNoteEn ?? r.sourceNoteZh },
        bundle: r.bundleCode
          ? { code: r.bundleCode, name: state?.nameZh ? { zh: state.nameZh, en: state.nameEn ?? state.nameZh } : null }
          : null,
        status,
        published: status === 'published' && state?.published ? state.published : null,
        usage: r.bundleCode
          ? {
              applications: use?.applications ?? 0,
              concluded: use?.concluded ?? 0,
              onTime: use?.onTime ?? 0,
              onTimeShare: onTimeShare(use?.concluded ?? 0, use?.onTime ?? 0),
            }
          : null,
        targetDate: r.targetDate,
        note: r.note,
        updatedAt: r.updatedAt,
      };
    });
    return {
      year,
      years,
      window: { from, to, days: USAGE_DAYS },
      jurisdiction: p.jurisdiction ?? null,
      batches: batches.map((b) => ({
        id: b.id,
        year: b.year,
        label: { zh: b.labelZh, en: b.labelEn },
        issued: b.issued,
        itemCount: b.itemCount,
        countInferred: b.countInferred,
        sourceUrl: b.sourceUrl,
        note: b.noteZh === null ? null : { zh: b.noteZh, en: b.noteEn ?? b.noteZh },
        namesKnown: rows.filter((r) => r.batchId === b.id).length,
      })),
      items,
      summary: {
        total: items.length,
        linked: items.filter((i) => i.status !== 'not_linked').length,
        published: items.filter((i) => i.status === 'published').length,
      },
    };
  }

  return {
    list: listFor,

    async get(p: Principal, id: string): Promise<KeyItem> {
      const row = await repo.item(db, id);
      if (!row) throw new AppError(KeyItemErrors.notFound, { id });
      const all = await listFor(p, row.year);
      return all.items.find((i) => i.id === id)!;
    },

    /** Links a bundle, sets the target date and the note; what is not given stays as it is. */
    async update(p: Principal, id: string, change: KeyItemChange, requestId: string): Promise<KeyItem> {
      await db.transaction(async (tx) => {
        const row = await repo.item(tx, id, true);
        if (!row) throw new AppError(KeyItemErrors.notFound, { id });
        const next = {
          bundleCode: change.bundleCode === undefined ? row.bundleCode : change.bundleCode,
          targetDate: change.targetDate === undefined ? row.targetDate : change.targetDate,
          note: change.note === undefined ? row.note : change.note === '' ? null : change.note,
        };
        if (next.bundleCode && next.bundleCode !== row.bundleCode && !(await repo.bundleExists(tx, next.bundleCode))) {
          throw new AppError(KeyItemErrors.invalid, {}, [
            fieldError('/bundleCode', KeyItemFieldErrors.unknownBundle, { code: next.bundleCode }),
          ]);
        }
        await repo.update(tx, id, next, p.accountId);
        await recordAudit(tx, {
          actorId: p.accountId,
          action: 'key_item.updated',
          subjectType: 'key_item',
          subjectId: id,
          data: { before: { bundleCode: row.bundleCode, targetDate: row.targetDate, note: row.note }, after: next },
          requestId,
        });
      });
      return this.get(p, id);
    },

    /** The demo seed: links items to the seeded bundles where nobody has edited them yet. */
    async linkSeeded(links: Record<string, string>): Promise<number> {
      let n = 0;
      for (const [id, code] of Object.entries(links)) if (await repo.linkIfUntouched(db, id, code)) n++;
      return n;
    },
  };
}
