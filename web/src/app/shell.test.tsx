// The shell's plain parts (no antd in the first download): the error page offers a reload and is announced; the
// spinner is a named status.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/react';
import '../i18n';
import { RouteError } from './RouteError';
import { PageSpinner } from './PageSpinner';

afterEach(() => vi.unstubAllGlobals());

describe('the shell', () => {
  it('shows a failed page as an alert with a way forward: reloading', () => {
    const reload = vi.fn();
    vi.stubGlobal('location', { ...window.location, reload });
    render(<RouteError />);
    expect(screen.getByRole('alert').textContent).toContain('页面出错了');
    fireEvent.click(screen.getByRole('button', { name: '刷新页面' }));
    expect(reload).toHaveBeenCalledOnce();
  });

  it('names the spinner for screen readers', () => {
    render(<PageSpinner />);
    expect(screen.getByRole('status', { name: '加载中…' })).toBeTruthy();
  });
});
