// Early requests are used only when they match what the page asks for, succeeded and are fresh; the workbench's
// early paths are the ones its page builds.
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  chinaYear,
  earlyAnswer,
  FIRST_QUEUE_PAGE,
  QUEUE_PAGE_SIZE,
  preloadRouteModules,
  rememberReviewer,
  startEarly,
  startEarlyRequests,
  takeEarly,
} from './early';
import { initialFromEarly, initialPageFromEarly } from './initialData';
import { queueSearch } from '../../features/cases/staff';
import { todayInChina } from '@onething/shared/calendar';

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('early requests', () => {
  it('hands a successful early answer to the first request of the same path, once', async () => {
    const fetch = vi.fn(async () => json({ ok: 1 }));
    vi.stubGlobal('fetch', fetch);
    startEarly('/api/v1/x');
    const res = await takeEarly('/api/v1/x');
    expect(await res?.json()).toEqual({ ok: 1 });
    expect(await takeEarly('/api/v1/x')).toBeUndefined();
    expect(await takeEarly('/api/v1/y')).toBeUndefined();
  });

  it('does not use a failed or a stale answer; a 401 (not signed in) is used', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => json({ title: '未登录' }, 401)),
    );
    startEarly('/api/v1/me');
    expect((await takeEarly('/api/v1/me'))?.status).toBe(401);
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => json({ title: '无权限' }, 403)),
    );
    startEarly('/api/v1/me');
    expect(await takeEarly('/api/v1/me')).toBeUndefined();
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        throw new TypeError('network');
      }),
    );
    startEarly('/api/v1/me');
    expect(await takeEarly('/api/v1/me')).toBeUndefined();
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => json({})),
    );
    vi.useFakeTimers({ now: new Date('2026-12-06T08:00:00Z') });
    startEarly('/api/v1/me');
    vi.setSystemTime(new Date('2026-12-06T08:00:11Z'));
    expect(await takeEarly('/api/v1/me')).toBeUndefined();
  });

  it('asks for the queue together with the session when this browser’s last user was a reviewer', async () => {
    const asked: string[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (path: string) => {
        asked.push(path);
        return json(path === '/api/v1/auth/me' ? { roles: ['applicant'] } : []);
      }),
    );
    rememberReviewer(true);
    startEarlyRequests('/staff');
    // All at once, before the session has answered.
    expect(asked).toEqual([
      '/api/v1/auth/me',
      FIRST_QUEUE_PAGE,
      '/api/v1/catalogue/items',
      '/api/v1/catalogue/bundles?limit=100',
      `/api/v1/calendar/years/${chinaYear()}`,
    ]);
    for (const p of asked) await takeEarly(p);
    rememberReviewer(false);
    asked.length = 0;
    startEarlyRequests('/staff');
    await new Promise((r) => setTimeout(r, 10));
    expect(asked).toEqual(['/api/v1/auth/me']); // the session said applicant: nothing more
    await takeEarly('/api/v1/auth/me');
  });

  it('starts the workbench’s first requests only for a reviewer on /staff', async () => {
    const asked: string[] = [];
    const roles = { roles: ['reviewer'] };
    vi.stubGlobal(
      'fetch',
      vi.fn(async (path: string) => {
        asked.push(path);
        return json(path === '/api/v1/auth/me' ? roles : []);
      }),
    );
    startEarlyRequests('/staff');
    await vi.waitFor(() => expect(asked).toHaveLength(5));
    expect(asked).toEqual([
      '/api/v1/auth/me',
      FIRST_QUEUE_PAGE,
      '/api/v1/catalogue/items',
      '/api/v1/catalogue/bundles?limit=100',
      `/api/v1/calendar/years/${chinaYear()}`,
    ]);
    for (const p of asked) await takeEarly(p);

    asked.length = 0;
    roles.roles = ['window_staff'];
    startEarlyRequests('/staff');
    startEarlyRequests('/bundles/newborn');
    await new Promise((r) => setTimeout(r, 10));
    expect(asked).toEqual(['/api/v1/auth/me', '/api/v1/auth/me']);
  });

  it('asks for the paths the workbench builds', () => {
    expect(FIRST_QUEUE_PAGE).toBe(`/api/v1/cases?${queueSearch({ page: 1, pageSize: QUEUE_PAGE_SIZE })}`);
    expect(String(chinaYear())).toBe(todayInChina().slice(0, 4));
    expect(chinaYear(Date.parse('2026-12-31T16:30:00Z'))).toBe(2027); // 00:30 on 1 January in Beijing
  });
});

describe('early answers for the first render', () => {
  const settle = () => new Promise((r) => setTimeout(r, 0));

  it('hands over an answer that is in, read, once; until it is in, the request in flight is what takeEarly gets', async () => {
    let answer!: (res: Response) => void;
    vi.stubGlobal(
      'fetch',
      vi.fn(() => new Promise<Response>((r) => (answer = r))),
    );
    startEarly('/api/v1/items');
    expect(earlyAnswer('/api/v1/items')).toBeUndefined(); // not in yet: left for takeEarly
    answer(json([{ code: 'a' }]));
    await settle();
    expect(earlyAnswer('/api/v1/items')).toMatchObject({ status: 200, body: [{ code: 'a' }], total: null });
    expect(earlyAnswer('/api/v1/items')).toBeUndefined();
    expect(await takeEarly('/api/v1/items')).toBeUndefined(); // taken once, by either
  });

  it('keeps a list’s total, a 401 without a body, and nothing of a failure or a stale answer', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(
        async () => new Response('[]', { headers: { 'content-type': 'application/json', 'x-total-count': '100000' } }),
      ),
    );
    startEarly('/api/v1/cases');
    await settle();
    const page = initialPageFromEarly<unknown>('/api/v1/cases');
    expect(page.initialData()).toEqual({ rows: [], total: 100000, more: false });
    expect(page.initialDataUpdatedAt()).toBeGreaterThan(0);

    // Counted only so far: "more than 10,000".
    vi.stubGlobal(
      'fetch',
      vi.fn(
        async () =>
          new Response('[]', { headers: { 'content-type': 'application/json', 'x-total-count-exceeds': '10000' } }),
      ),
    );
    startEarly('/api/v1/cases?limit=20');
    await settle();
    expect(initialPageFromEarly<unknown>('/api/v1/cases?limit=20').initialData()).toEqual({
      rows: [],
      total: 10000,
      more: true,
    });

    vi.stubGlobal(
      'fetch',
      vi.fn(async () => json({ title: '未登录' }, 401)),
    );
    startEarly('/api/v1/auth/me');
    await settle();
    expect(initialFromEarly('/api/v1/auth/me', (body) => body).initialData()).toBeUndefined(); // a 401 only where accepted
    startEarly('/api/v1/auth/me');
    await settle();
    expect(
      initialFromEarly('/api/v1/auth/me', (_body, a) => (a.status === 401 ? null : 'someone'), true).initialData(),
    ).toBeNull();

    vi.stubGlobal(
      'fetch',
      vi.fn(async () => json({ title: '无权限' }, 403)),
    );
    startEarly('/api/v1/x');
    await settle();
    expect(earlyAnswer('/api/v1/x')).toBeUndefined();
    expect(await takeEarly('/api/v1/x')).toBeUndefined();

    vi.stubGlobal(
      'fetch',
      vi.fn(async () => json({ ok: 1 })),
    );
    vi.useFakeTimers({ now: new Date('2026-12-06T08:00:00Z'), toFake: ['Date'] });
    startEarly('/api/v1/y');
    await settle();
    vi.setSystemTime(new Date('2026-12-06T08:00:11Z'));
    const stale = initialFromEarly('/api/v1/y', (body) => body);
    expect(stale.initialData()).toBeUndefined();
    expect(stale.initialDataUpdatedAt()).toBeUndefined();
  });
});

describe('preloading a page’s code', () => {
  const MODULES = { '/staff': { js: ['/assets/QueuePage-a1.js', '/assets/api-b2.js'], css: ['/assets/staff-c3.css'] } };
  const links = () => [
    ...document.head.querySelectorAll<HTMLLinkElement>('link[rel="modulepreload"], link[rel="preload"]'),
  ];
  afterEach(() => links().forEach((l) => l.remove()));

  it('preloads the scripts and the stylesheets of the page at this address', () => {
    preloadRouteModules('/staff/', MODULES);
    expect(links().map((l) => [l.rel, l.getAttribute('href')])).toEqual([
      ['preload', '/assets/staff-c3.css'],
      ['modulepreload', '/assets/QueuePage-a1.js'],
      ['modulepreload', '/assets/api-b2.js'],
    ]);
    // As Vite's stylesheet link asks for it, so that the preloaded answer is the one used.
    expect(links()[0]!.as).toBe('style');
    expect(links()[0]!.getAttribute('crossorigin')).toBe('');
  });

  it('preloads nothing for another page', () => {
    for (const path of ['/', '/staff/cases/1', '/staffing', '/me']) preloadRouteModules(path, MODULES);
    expect(links()).toEqual([]);
  });
});
