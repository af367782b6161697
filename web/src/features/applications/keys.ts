// The applications context's query keys.
import type { Answers } from '@onething/shared/applications';

export const applicationsKeys = {
  guidance: (code: string | undefined, answers: Answers, version?: number) =>
    ['guidance', code, version ?? 'latest', answers] as const,
  prefill: (code: string | undefined) => ['prefill', code] as const,
  drafts: () => ['drafts'] as const,
  draft: (id: string | null) => ['draft', id] as const,
  applications: () => ['applications'] as const,
  application: (id: string | undefined) => ['application', id] as const,
};
