// lazyPage: a page whose code is already in renders in the first render; one whose code is not suspends as with
// React.lazy; a page once mounted keeps its state when its parent renders again after the code came in.
import { Suspense, useState } from 'react';
import { describe, expect, it } from 'vitest';
import { act, fireEvent, render, screen } from '@testing-library/react';
import { lazyPage } from './lazyPage';

function Counter({ label }: { label: string }) {
  const [n, setN] = useState(0);
  return <button type="button" onClick={() => setN(n + 1)}>{`${label} ${n}`}</button>;
}

describe('lazyPage', () => {
  it('renders at once when its code is in', async () => {
    let loads = 0;
    const Page = lazyPage(async () => {
      loads += 1;
      return { default: Counter };
    });
    await Page.preload();
    await Page.preload();
    expect(loads).toBe(1);
    render(
      <Suspense fallback={<p>loading</p>}>
        <Page label="queue" />
      </Suspense>,
    );
    // No act() flush needed: in the very first render, not after a suspended one.
    expect(screen.getByRole('button').textContent).toBe('queue 0');
    expect(screen.queryByText('loading')).toBeNull();
  });

  it('suspends until its code is in, then keeps its state across its parent’s renders', async () => {
    let resolve!: () => void;
    const Page = lazyPage(
      () => new Promise<{ default: typeof Counter }>((r) => (resolve = () => r({ default: Counter }))),
    );
    function Parent() {
      const [, rerender] = useState(0);
      return (
        <>
          <button type="button" onClick={() => rerender((x) => x + 1)}>
            parent
          </button>
          <Suspense fallback={<p>loading</p>}>
            <Page label="queue" />
          </Suspense>
        </>
      );
    }
    render(<Parent />);
    expect(screen.getByText('loading')).toBeTruthy();
    await act(async () => resolve());
    fireEvent.click(await screen.findByText('queue 0'));
    expect(screen.getByText('queue 1')).toBeTruthy();
    fireEvent.click(screen.getByText('parent'));
    expect(screen.getByText('queue 1')).toBeTruthy(); // not remounted
  });

  it('tries again after a failed load', async () => {
    let attempt = 0;
    const Page = lazyPage(async () => {
      attempt += 1;
      if (attempt === 1) throw new Error('network');
      return { default: Counter };
    });
    await expect(Page.preload()).rejects.toThrow('network');
    await Page.preload();
    expect(attempt).toBe(2);
  });
});
