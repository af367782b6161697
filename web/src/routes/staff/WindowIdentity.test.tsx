// The window's identity check in jsdom: a number another account holds is refused first, the clerk confirms the
// reclaim, and only then is `reclaim` sent.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import i18n from '../../i18n';
import { WindowIdentity } from './WindowIdentity';

afterEach(() => vi.unstubAllGlobals());

function answer(status: number, body: unknown) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' },
  });
}

describe('WindowIdentity', () => {
  it('offers the reclaim after the server says the number is held, and sends it only when confirmed', async () => {
    await act(() => i18n.changeLanguage('zh-CN'));
    const sent: unknown[] = [];
    const fetch = vi.fn(async (_url: string, init: RequestInit) => {
      sent.push(JSON.parse(String(init.body)));
      return sent.length === 1
        ? answer(409, {
            type: 'urn:onething:problem:identity.number_held',
            title: '该身份证号码已绑定另一个账号',
            status: 409,
            code: 'identity.number_held',
            errors: [{ pointer: '/reclaim', code: 'identity.number_held', detail: '确认找回请选择此项' }],
          })
        : answer(200, {
            account: {
              id: 'a',
              username: 'kong',
              displayName: '孔令伟',
              kind: 'person',
              idNumber: '3201**********4126',
              realNameLevel: 3,
              phone: null,
              createdAt: '',
            },
            reclaimedFrom: { id: 'b', username: 'impostor.kong' },
          });
    });
    vi.stubGlobal('fetch', fetch);
    render(
      <QueryClientProvider client={new QueryClient()}>
        <WindowIdentity />
      </QueryClientProvider>,
    );
    fireEvent.change(screen.getByLabelText('用户名（由本人告知）'), { target: { value: 'kong' } });
    fireEvent.change(screen.getByLabelText('姓名（与身份证一致）'), { target: { value: '孔令伟' } });
    fireEvent.change(screen.getByLabelText('公民身份号码'), { target: { value: '320106198808084126' } });
    expect(screen.queryByTestId('reclaim')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: '核验并绑定身份证号码' }));
    await waitFor(() => expect(screen.getByTestId('reclaim')).toBeTruthy());
    expect(sent[0]).not.toHaveProperty('reclaim');
    expect(screen.getByRole('alert').textContent).toContain('该身份证号码已绑定另一个账号');

    fireEvent.click(screen.getByTestId('reclaim'));
    fireEvent.click(screen.getByRole('button', { name: '确认找回并绑定' }));
    await waitFor(() => expect(screen.getByText(/原持有该号码的账号 impostor.kong 已冻结/)).toBeTruthy());
    expect(sent[1]).toMatchObject({
      username: 'kong',
      person: { name: '孔令伟', idNumber: '320106198808084126' },
      idCard: { check: 'id_card_reader' },
      reclaim: true,
    });
  });
});
