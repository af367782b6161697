// Pure rules of the key-item list: an item's status from what the catalogue holds for its bundle.
import type { KeyItemStatus } from '@onething/shared/keyitems';

export interface BundleState {
  /** The latest published version and when it was published, if any. */
  published: { version: number; publishedAt: string | null } | null;
  hasDraft: boolean;
}

/**
 * not_linked: no bundle delivers the item yet; draft_only: its bundle exists but nothing is published (only a
 * draft, or not even that); published: applicants can use a published version.
 */
export function keyItemStatus(bundleCode: string | null, state: BundleState | undefined): KeyItemStatus {
  if (!bundleCode) return 'not_linked';
  return state?.published ? 'published' : 'draft_only';
}

/** The share concluded on time, to four decimals; null with nothing concluded. */
export function onTimeShare(concluded: number, onTime: number): number | null {
  return concluded === 0 ? null : Math.round((onTime / concluded) * 10_000) / 10_000;
}
