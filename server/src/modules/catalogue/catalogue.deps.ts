// What the catalogue's functions are given (ADR 0019); in a file of its own so that the service and the search
// can both name it without importing each other.
import type { Database } from '../../platform/db.ts';
import type { Principal } from '../../platform/auth.ts';
import type { RequestContext } from '../../platform/request-context.ts';
import type { BundleContent, ServiceItemContent } from '@onething/shared/catalogue';
import type { BundleVersionRow } from './catalogue.repository.ts';
import type { BundleIndex, Segmenter } from './catalogue.search.ts';

export interface CatalogueDeps {
  db: Database;
  /** Published bundle versions resolved so far, by code@version: a published version never changes. */
  resolved: Map<string, ResolvedBundle>;
  /** The bundle search's segmenter and index (catalogue.find.ts), rebuilt when what it indexes changes. */
  search: SearchState;
}

/**
 * Who writes, for the audit rows: a request's context, or the seed's and the CLI's import, which act as no
 * account (`{ principal: null, requestId: 'seed' }`).
 */
export type WriteContext = Pick<RequestContext, 'requestId'> & {
  readonly principal: Pick<Principal, 'accountId'> | null;
};

/**
 * A published bundle version with the contents of the item versions it pins. `contentSha256`: of the stored
 * content, so that what is derived from a published schema can be kept by it.
 */
export interface ResolvedBundle {
  code: string;
  version: number;
  contentSha256: string;
  content: BundleContent;
  items: Map<string, { code: string; version: number; contentSha256: string; content: ServiceItemContent }>;
}

/** An index with the published bundles it was built from, by code: a search reads no bundle rows of its own. */
export interface BuiltIndex {
  generation: string;
  index: BundleIndex;
  bundles: Map<string, BundleVersionRow>;
}

export interface SearchState {
  segmenter: Segmenter;
  built: BuiltIndex | null;
  building: Promise<BuiltIndex> | null;
}
