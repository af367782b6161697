// One router for the whole portal. Each audience contributes its routes from its own folder (citizen,
// staff, admin), so the workbench and the console are added next to the citizen portal without editing
// it. Every page but the home page is a lazy chunk: the home page's initial JavaScript stays small.
import { createBrowserRouter, type RouteObject } from 'react-router';
import { Layout } from './Layout';
import { RouteError } from './RouteError';
import { citizenRoutes } from '../routes/citizen';
import { staffPageReady, staffRoutes } from '../routes/staff';
import { adminRoutes } from '../routes/admin';
import { lazyAntd } from '../lib/first-load/antd';

const LoginPage = lazyAntd(() => import('./login/LoginPage'));
const RegisterPage = lazyAntd(() => import('./login/RegisterPage'));
const NotFound = lazyAntd(() => import('./NotFound'));

export const routes: RouteObject[] = [
  {
    path: '/',
    element: <Layout />,
    errorElement: <RouteError />,
    children: [
      ...citizenRoutes,
      ...staffRoutes,
      ...adminRoutes,
      { path: 'login', element: <LoginPage /> },
      { path: 'register', element: <RegisterPage /> },
      { path: '*', element: <NotFound /> },
    ],
  },
];

export function createRouter() {
  return createBrowserRouter(routes);
}

/** Resolves when the code of the page at this address is in, for the pages whose code starts loading at once. */
export function firstPageReady(): Promise<unknown> {
  return (staffPageReady ?? Promise.resolve()).catch(() => undefined);
}
