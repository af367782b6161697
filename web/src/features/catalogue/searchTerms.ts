// The console's search terms: what people type and what it means in the catalogue's words. Saved as a whole list;
// the rows being edited carry a local key so that a row can be removed while its phrase is still empty.
import type { SearchTerm, SearchTermList, SearchTermsBody } from '@onething/shared/catalogue';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api';
import { catalogueKeys } from './keys';

export interface TermRow extends SearchTerm {
  key: string;
}

export const useSearchTerms = () =>
  useQuery({
    queryKey: catalogueKeys.searchTerms(),
    queryFn: () => api<SearchTermList>('/api/v1/admin/catalogue/search-terms'),
  });

export function useSaveSearchTerms() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: SearchTermsBody) =>
      api<SearchTermList>('/api/v1/admin/catalogue/search-terms', { method: 'PUT', body }),
    onSuccess: (saved) => {
      qc.setQueryData(catalogueKeys.searchTerms(), saved);
      // The portal's results may change with the next query.
      void qc.invalidateQueries({ queryKey: catalogueKeys.bundleLists() });
    },
  });
}

let next = 0;
export const toRows = (terms: SearchTerm[]): TermRow[] =>
  terms.map((t) => ({ key: `t${next++}`, phrase: t.phrase, means: t.means }));
export const newRow = (): TermRow => ({ key: `t${next++}`, phrase: '', means: '' });

/** What is saved: every row, trimmed, in order, so that the server's /terms/N pointers name the rows shown. */
export const toBody = (rows: TermRow[]): SearchTermsBody => ({
  terms: rows.map((r) => ({ phrase: r.phrase.trim(), means: r.means.trim() })),
});

/** The fields left empty, as the server would name them; checked before anything is sent. */
export function emptyFields(rows: TermRow[]): string[] {
  return rows.flatMap((r, i) => [
    ...(r.phrase.trim() ? [] : [`/terms/${i}/phrase`]),
    ...(r.means.trim() ? [] : [`/terms/${i}/means`]),
  ]);
}

/** Rows whose phrase or meaning contains the filter, with their index in the full list (for problem pointers). */
export function filterRows(rows: TermRow[], filter: string): Array<TermRow & { index: number }> {
  const f = filter.trim().toLowerCase();
  return rows
    .map((r, index) => ({ ...r, index }))
    .filter((r) => !f || r.phrase.toLowerCase().includes(f) || r.means.toLowerCase().includes(f));
}
