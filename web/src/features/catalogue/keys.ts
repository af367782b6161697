// The catalogue context's query keys: the public catalogue's, then the console's (under CONSOLE_KEY).
import { CONSOLE_KEY } from '../../lib/queryKeys';

type Kind = 'bundles' | 'items';

export const catalogueKeys = {
  /** Every list of bundles, whatever its search. */
  bundleLists: () => ['bundles'] as const,
  bundleList: (search: object) => ['bundles', search] as const,
  /** Every bundle's details, whatever its version. */
  bundleDetails: () => ['bundle'] as const,
  bundle: (code: string | undefined, version?: number) => ['bundle', code, version ?? 'latest'] as const,
  item: (code: string, version: number) => ['item', code, version] as const,
  itemNames: () => ['items'] as const,
  departments: () => ['departments'] as const,

  items: () => [...CONSOLE_KEY, 'items'] as const,
  versions: (kind: Kind, code: string | undefined) =>
    [...CONSOLE_KEY, kind === 'bundles' ? 'bundle-versions' : 'item-versions', code] as const,
  versionContent: (kind: Kind, code: string | undefined, version?: number, contentSha256?: string) =>
    [...CONSOLE_KEY, kind === 'bundles' ? 'bundle-content' : 'item-content', code, version, contentSha256] as const,
  itemInfo: (code: string) => [...CONSOLE_KEY, 'item-info', code] as const,
  /** What the bundle designer opened. */
  design: (code: string | undefined) => [...CONSOLE_KEY, 'design', code ?? null] as const,
  /** What the service item editor opened. */
  itemEdit: (code: string | undefined) => [...CONSOLE_KEY, 'item-edit', code ?? null] as const,
  searchTerms: () => [...CONSOLE_KEY, 'search-terms'] as const,
};
