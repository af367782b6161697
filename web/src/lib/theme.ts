// Ant Design tokens chosen for contrast: every text colour against its background is at least 4.5:1
// (WCAG AA), which antd's defaults are not (primary #1677ff on white is 4.1:1, secondary text 0.45 alpha
// is 2.9:1). The elderly mode adds larger text and controls and near-black text with stronger borders.
import type { ThemeConfig } from 'antd';

export const BRAND = '#0a4fbf'; // white on it: 6.9:1
const ERROR = '#b3261e'; // on white: 6.5:1

export function themeFor(elderly: boolean): ThemeConfig {
  const base: ThemeConfig = {
    token: {
      colorPrimary: BRAND,
      colorLink: BRAND,
      colorError: ERROR,
      colorErrorText: ERROR,
      colorSuccess: '#2e7d32',
      colorWarning: '#a15c00',
      colorInfo: BRAND,
      colorText: 'rgba(0, 0, 0, 0.88)',
      colorTextSecondary: 'rgba(0, 0, 0, 0.70)',
      colorTextTertiary: 'rgba(0, 0, 0, 0.62)',
      colorTextDescription: 'rgba(0, 0, 0, 0.65)',
      colorTextPlaceholder: 'rgba(0, 0, 0, 0.56)',
      colorTextDisabled: 'rgba(0, 0, 0, 0.56)',
      fontFamily: '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", system-ui, sans-serif',
      borderRadius: 6,
    },
    // One key per mode rather than one per ConfigProvider (antd's default, from useId): each page that uses antd has
    // its own provider (AntdScope), and a new key per page visited would add another set of the theme's CSS variables.
    cssVar: { key: 'onething' },
  };
  if (!elderly) return base;
  return {
    cssVar: { key: 'onething-elderly' },
    token: {
      ...base.token,
      colorPrimary: '#003a99',
      colorLink: '#003a99',
      colorText: '#000000',
      colorTextSecondary: 'rgba(0, 0, 0, 0.85)',
      colorTextDescription: 'rgba(0, 0, 0, 0.8)',
      colorTextPlaceholder: 'rgba(0, 0, 0, 0.65)',
      colorBorder: '#4a4a4a',
      fontSize: 19,
      fontSizeLG: 21,
      fontSizeHeading1: 34,
      fontSizeHeading2: 28,
      fontSizeHeading3: 24,
      fontSizeHeading4: 21,
      controlHeight: 46,
      controlHeightLG: 54,
      lineHeight: 1.7,
    },
  };
}
