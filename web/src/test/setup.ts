// jsdom lacks what antd reads on start-up: matchMedia (responsive hooks) and getComputedStyle with
// pseudo-elements (logs "not implemented"). Stubs, not behaviour. Pure tests run in node and skip this.
import { afterEach } from 'vitest';

if (typeof window !== 'undefined') {
  Object.defineProperty(window, 'matchMedia', {
    writable: true,
    value: (query: string) => ({
      matches: false,
      media: query,
      onchange: null,
      addListener() {},
      removeListener() {},
      addEventListener() {},
      removeEventListener() {},
      dispatchEvent: () => false,
    }),
  });
  const original = window.getComputedStyle.bind(window);
  window.getComputedStyle = (el: Element) => original(el);
  const { cleanup } = await import('@testing-library/react');
  afterEach(() => cleanup());
}
