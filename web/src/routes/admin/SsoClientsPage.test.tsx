// The console's SSO client page in jsdom, against a stubbed API: a city administrator sees the clients of the
// city, cannot switch on first-party, registers one (the department goes along) and is shown its secret once.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { Client } from '@onething/shared/sso';
import i18n from '../../i18n';
import { PreferencesProvider } from '../../lib/preferences';
import SsoClientsPage from './SsoClientsPage';

const WUXI: Client = {
  clientId: 'ot-wuxi',
  name: '无锡市办事系统',
  departmentCode: 'wx-data-bureau',
  jurisdiction: '320200',
  redirectUris: ['https://wx.example.gov.cn/cb'],
  postLogoutRedirectUris: [],
  authMethod: 'none',
  scopes: ['openid'],
  firstParty: false,
  createdAt: '2026-12-09T00:00:00.000Z',
};

function stubApi(jurisdiction: string) {
  const posted: unknown[] = [];
  const json = (body: unknown, status = 200) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = new URL(String(input), 'http://localhost');
      if (url.pathname === '/api/v1/auth/me')
        return json({ id: 'a', username: 'admin.wuxi', kind: 'staff', roles: ['admin'], jurisdiction });
      if (url.pathname === '/api/v1/catalogue/departments')
        return json([
          {
            code: 'wx-data-bureau',
            name: { zh: '无锡市数据局', en: 'Wuxi Data Bureau' },
            regionCode: '320200',
            sector: 'data',
          },
        ]);
      if (url.pathname === '/api/v1/admin/sso/clients' && init?.method === 'POST') {
        const body = JSON.parse(String(init.body));
        posted.push(body);
        return json({ ...WUXI, ...body, clientId: 'ot-new', clientSecret: 'the-secret-shown-once' }, 201);
      }
      if (url.pathname === '/api/v1/admin/sso/clients') return json([WUXI]);
      return json({ code: 'not_found', title: 'not found', status: 404 }, 404);
    }),
  );
  return posted;
}

function renderPage() {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={qc}>
      <PreferencesProvider>
        <SsoClientsPage />
      </PreferencesProvider>
    </QueryClientProvider>,
  );
}

// antd's Table and Select measure themselves; jsdom has no ResizeObserver (a stub, not behaviour).
beforeEach(() => {
  vi.stubGlobal(
    'ResizeObserver',
    class {
      observe() {}
      unobserve() {}
      disconnect() {}
    },
  );
});
afterEach(() => vi.unstubAllGlobals());

describe('the SSO client page', () => {
  it('lets a city administrator register a client of the city, not a first-party one, and shows the secret once', async () => {
    await act(() => i18n.changeLanguage('en'));
    const posted = stubApi('320200');
    renderPage();
    const table = await screen.findByTestId('sso-client-table');
    await waitFor(() => expect(within(table).getByText('无锡市办事系统')).toBeTruthy());
    expect(within(table).getByText('320200')).toBeTruthy();
    expect(screen.getByText(/You manage those within your jurisdiction 320200/)).toBeTruthy();

    fireEvent.click(screen.getByTestId('sso-client-new'));
    const dialog = await screen.findByRole('dialog');
    const firstParty = within(dialog).getByRole('switch', { name: 'First-party government system' });
    expect((firstParty as HTMLButtonElement).disabled).toBe(true);
    expect(
      within(dialog).getByText('Only province-level administrators register and manage first-party systems.'),
    ).toBeTruthy();

    fireEvent.change(within(dialog).getByLabelText('Name'), { target: { value: '无锡市新系统' } });
    fireEvent.change(within(dialog).getByLabelText('Callback URLs'), { target: { value: 'https://new.example/cb' } });
    const department = within(dialog).getByLabelText('Department running it');
    fireEvent.mouseDown(department.closest('.ant-select')!);
    await screen.findByRole('option', { name: 'Wuxi Data Bureau (wx-data-bureau · 320200)' });
    fireEvent.keyDown(department, { key: 'Enter', code: 'Enter', keyCode: 13, which: 13 });
    fireEvent.click(screen.getByTestId('sso-client-save'));

    await waitFor(() => expect(posted).toHaveLength(1));
    expect(posted[0]).toEqual({
      name: '无锡市新系统',
      departmentCode: 'wx-data-bureau',
      redirectUris: ['https://new.example/cb'],
      postLogoutRedirectUris: [],
      authMethod: 'client_secret_basic',
      scopes: ['openid', 'profile'],
      firstParty: false,
    });
    expect((await screen.findByTestId('sso-client-secret')).textContent).toContain('the-secret-shown-once');
  });

  it('offers first-party to a province administrator', async () => {
    await act(() => i18n.changeLanguage('zh-CN'));
    stubApi('320000');
    renderPage();
    await screen.findByText(/可管理全省的接入系统/);
    fireEvent.click(screen.getByTestId('sso-client-new'));
    const dialog = await screen.findByRole('dialog');
    expect((within(dialog).getByRole('switch', { name: '免授权确认的政务系统' }) as HTMLButtonElement).disabled).toBe(
      false,
    );
  });
});
