// Ant Design's theme (contrast-checked tokens, the elderly mode's sizes), locale and component size for the pages
// that use antd. Not at the root of the app: the workbench's queue and the shell draw no antd component, and
// ConfigProvider's code and its theme's computation cost a first load about 150 ms on the 2-core machine
// (docs/benchmarks.md). Each page that uses antd is wrapped in it as its code loads (lazyAntd in antd.tsx).
import { useMemo, type ReactNode } from 'react';
import { ConfigProvider } from 'antd';
import zhCN from 'antd/es/locale/zh_CN';
import enUS from 'antd/es/locale/en_US';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { usePreferences } from '../preferences';
import { themeFor } from '../theme';

export function AntdScope({ children }: { children: ReactNode }) {
  const { language, elderly } = usePreferences();
  const theme = useMemo(() => themeFor(elderly), [elderly]);
  dayjs.locale(language === 'en' ? 'en' : 'zh-cn');
  // No space inserted between two Chinese characters of a button ("登 录"): screen readers would read it.
  return (
    <ConfigProvider
      locale={language === 'en' ? enUS : zhCN}
      theme={theme}
      componentSize={elderly ? 'large' : 'middle'}
      button={{ autoInsertSpace: false }}
    >
      {children}
    </ConfigProvider>
  );
}
