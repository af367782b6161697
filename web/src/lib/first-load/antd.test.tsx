// lazyAntd: a component that uses antd is loaded with the theme's scope and drawn inside it (the contrast-checked
// brand colour, one CSS-variable key per mode); outside a scope antd has none of it.
import { Suspense } from 'react';
import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/react';
import { Button } from 'antd';
import '../../i18n';
import { lazyAntd } from './antd';
import { PreferencesProvider } from '../preferences';

describe('lazyAntd', () => {
  it('draws the component inside the theme’s scope', async () => {
    const Themed = lazyAntd(async () => ({
      default: ({ label }: { label: string }) => <Button type="primary">{label}</Button>,
    }));
    render(
      <PreferencesProvider>
        <Suspense fallback={<p>loading</p>}>
          <Themed label="提交" />
        </Suspense>
        <Button>plain</Button>
      </PreferencesProvider>,
    );
    const themed = await screen.findByRole('button', { name: '提交' });
    expect(themed.className).toContain('onething');
    expect(screen.getByRole('button', { name: 'plain' }).className).not.toContain('onething');
    // The theme's variables, brand colour included, are written once for the key.
    const vars = [...document.querySelectorAll('style')]
      .map((s) => s.textContent ?? '')
      .filter((t) => t.includes('.onething{') || t.includes('.onething {'));
    expect(vars.join('')).toContain('#0a4fbf');
  });
});
