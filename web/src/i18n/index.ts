// i18next. zh-CN (the default) is bundled with the app; English, which fewer visitors read, is its own chunk,
// loaded when the language is chosen (at start, from the remembered choice, or from the switch), so the home page
// does not carry both catalogues. `i18nReady` resolves once the starting language's strings are there; main.tsx
// renders after it. The choice is remembered on this device.
import i18n from 'i18next';
import resourcesToBackend from 'i18next-resources-to-backend';
import { initReactI18next } from 'react-i18next';
import zhCN from './zh-CN.json';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const LANG_KEY = 'onething.lang';

function initialLanguage(): Language {
  try {
    const saved = globalThis.localStorage?.getItem(LANG_KEY);
    if (saved === 'en' || saved === 'zh-CN') return saved;
  } catch {
    // storage may be blocked (private mode); fall back to the default
  }
  return 'zh-CN';
}

export const i18nReady = i18n
  .use(resourcesToBackend((language: string) => (language === 'en' ? import('./en.json') : Promise.resolve({}))))
  .use(initReactI18next)
  .init({
    resources: { 'zh-CN': { translation: zhCN } },
    // zh-CN comes with the bundle; only what is missing (English) is asked of the backend.
    partialBundledLanguages: true,
    lng: initialLanguage(),
    fallbackLng: false,
    supportedLngs: [...LANGUAGES],
    interpolation: { escapeValue: false },
    returnNull: false,
  });

export default i18n;

/** A whole number grouped by thousands as both languages write it ("100,000"); other numbers by Intl. */
export function formatNumber(value: unknown, lng: string | undefined): string {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value).replace(/\B(?=(\d{3})+$)/g, ',');
  return new Intl.NumberFormat(lng).format(Number(value));
}
// {{count, number}} without Intl for whole numbers: the first Intl formatter of a page costs Chromium 30-60 ms
// (loading ICU's locale data), which the workbench's first load, counting its open cases, would pay.
i18n.services.formatter?.add('number', (value, lng) => formatNumber(value, lng));
