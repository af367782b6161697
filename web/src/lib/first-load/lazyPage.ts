// React.lazy for a page whose code may already be in when it is first rendered. lazy() alone suspends on its
// first render even when the module has loaded (it learns so only from a resolved promise, a task later), so the
// page would show one render after the rest of the screen: on the workbench, a render of the shell with a
// spinner, a layout, then the queue. A page made with lazyPage renders at once when its module is in.
import { createElement, lazy, useState, type ComponentType } from 'react';

export type LazyPage<P extends object> = ComponentType<P> & {
  /** Starts loading the page's code (once); resolves when it is in. */
  preload: () => Promise<unknown>;
};

export function lazyPage<P extends object>(load: () => Promise<{ default: ComponentType<P> }>): LazyPage<P> {
  let loaded: ComponentType<P> | undefined;
  let loading: Promise<{ default: ComponentType<P> }> | undefined;
  const loadOnce = () =>
    (loading ??= load().then(
      (m) => {
        loaded = m.default;
        return m;
      },
      (err: unknown) => {
        loading = undefined; // a failed load (a network blip) may be tried again
        throw err;
      },
    ));
  const Lazy = lazy(loadOnce);
  function Page(props: P) {
    // Chosen once per mounted page: switching from Lazy to the module's component later would remount the page
    // and lose its state.
    const [Component] = useState<ComponentType<P>>(() => loaded ?? Lazy);
    return createElement(Component, props);
  }
  return Object.assign(Page, { preload: loadOnce });
}
