// The providers every page needs, outermost first: data cache, preferences (language, elderly mode), then the
// router. antd's theme and locale follow the preferences in each page that uses antd (AntdScope).
import { useState } from 'react';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from 'react-router';
import { ApiError } from '../lib/api';
import { PreferencesProvider } from '../lib/preferences';
import { createRouter } from './router';
import { identityKeys } from '../features/identity/keys';

function makeQueryClient() {
  // A session that ended (expired, logged out elsewhere) shows as a 401 on any call: forget it, so that
  // the pages behind login send the user to the login page and back, instead of showing an error.
  const onError = (err: unknown) => {
    if (err instanceof ApiError && err.status === 401) client.setQueryData(identityKeys.session(), null);
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

export function App(props: { queryClient?: QueryClient; router?: ReturnType<typeof createRouter> }) {
  // Created once per mounted app, not per render.
  const [queryClient] = useState(() => props.queryClient ?? makeQueryClient());
  const [router] = useState(() => props.router ?? createRouter());
  return (
    <QueryClientProvider client={queryClient}>
      <PreferencesProvider>
        {/* antd's ConfigProvider is not here but around each page that draws antd components (AntdScope,
            lazyAntd): the shell and the workbench's queue draw none, and their first load does not pay for it. */}
        <RouterProvider router={router} />
      </PreferencesProvider>
    </QueryClientProvider>
  );
}
