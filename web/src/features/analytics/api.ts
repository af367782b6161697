// The console's dashboard: the case statistics.
import type { CaseStats } from '@onething/shared/analytics';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api';
import { analyticsKeys } from './keys';

export const useCaseStats = () =>
  useQuery({ queryKey: analyticsKeys.caseStats(), queryFn: () => api<CaseStats>('/api/v1/stats/cases') });
