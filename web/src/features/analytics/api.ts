// The console's dashboard: the case statistics.
import type { CaseStats } from '@onething/shared/analytics';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api';

export const useCaseStats = () =>
  useQuery({ queryKey: ['admin', 'stats'], queryFn: () => api<CaseStats>('/api/v1/stats/cases') });
