// The providers every page needs, outermost first: data cache, preferences (language, elderly mode), the
// antd theme and locale that follow them, then the router.
import { useMemo, useState } from 'react';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from 'react-router';
import { ConfigProvider } from 'antd';
import zhCN from 'antd/es/locale/zh_CN';
import enUS from 'antd/es/locale/en_US';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { ApiError } from './api';
import { PreferencesProvider, usePreferences } from './preferences';
import { themeFor } from './theme';
import { createRouter } from './router';

function makeQueryClient() {
  // A session that ended (expired, logged out elsewhere) shows as a 401 on any call: forget it, so that
  // the pages behind login send the user to the login page and back, instead of showing an error.
  const onError = (err: unknown) => {
    if (err instanceof ApiError && err.status === 401) client.setQueryData(['session'], null);
  };
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        // A 4xx will not get better by asking again; a network blip might.
        retry: (count, err) => count < 2 && !(err instanceof ApiError && err.status >= 400 && err.status < 500),
        refetchOnWindowFocus: true,
      },
    },
  });
  return client;
}

function Themed({ router }: { router: ReturnType<typeof createRouter> }) {
  const { language, elderly } = usePreferences();
  const theme = useMemo(() => themeFor(elderly), [elderly]);
  dayjs.locale(language === 'en' ? 'en' : 'zh-cn');
  // No space inserted between two Chinese characters of a button ("登 录"): screen readers would read it.
  return (
    <ConfigProvider locale={language === 'en' ? enUS : zhCN} theme={theme} componentSize={elderly ? 'large' : 'middle'} button={{ autoInsertSpace: false }}>
      <RouterProvider router={router} />
    </ConfigProvider>
  );
}

export function App(props: { queryClient?: QueryClient; router?: ReturnType<typeof createRouter> }) {
  // Created once per mounted app, not per render.
  const [queryClient] = useState(() => props.queryClient ?? makeQueryClient());
  const [router] = useState(() => props.router ?? createRouter());
  return (
    <QueryClientProvider client={queryClient}>
      <PreferencesProvider>
        <Themed router={router} />
      </PreferencesProvider>
    </QueryClientProvider>
  );
}
