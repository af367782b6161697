// Pages and parts that draw antd components get antd's theme, locale and sizes (AntdScope) with their code: the
// scope's chunk is fetched together with theirs, not after, and the shell and the queue, which draw none, do not
// wait for it.
import { lazy, type ComponentProps, type ComponentType, type LazyExoticComponent } from 'react';

const loadScope = () => import('./AntdScope');

/** A loader for React.lazy whose component renders inside AntdScope. */
// `any` props, as React.lazy's own signature has them.
function withAntd<C extends ComponentType<any>>(load: () => Promise<{ default: C }>): () => Promise<{ default: C }> {
  return async () => {
    const [page, scope] = await Promise.all([load(), loadScope()]);
    const Inner = page.default as ComponentType<ComponentProps<C>>;
    const { AntdScope } = scope;
    function InAntdScope(props: ComponentProps<C>) {
      return (
        <AntdScope>
          <Inner {...props} />
        </AntdScope>
      );
    }
    InAntdScope.displayName = `InAntdScope(${Inner.displayName ?? Inner.name})`;
    return { default: InAntdScope as unknown as C };
  };
}

/** React.lazy for a component that uses antd. */
// `any` props, as React.lazy's own signature has them.
export function lazyAntd<C extends ComponentType<any>>(load: () => Promise<{ default: C }>): LazyExoticComponent<C> {
  return lazy(withAntd(load));
}
