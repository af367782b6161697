// The user's display preferences: language (zh-CN default, English) and the elderly mode (larger text,
// higher contrast, one question or section per screen). Both are remembered on this device, and the
// language sets <html lang> so that screen readers pronounce the page correctly.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LANG_KEY, type Language } from '../i18n';
import type { Lang } from './text';

const ELDERLY_KEY = 'onething.elderly';

interface Preferences {
  language: Language;
  /** The data language of {zh, en} texts. */
  lang: Lang;
  setLanguage(l: Language): void;
  elderly: boolean;
  setElderly(on: boolean): void;
}

const Ctx = createContext<Preferences | null>(null);

function readFlag(key: string): boolean {
  try {
    return globalThis.localStorage?.getItem(key) === '1';
  } catch {
    return false;
  }
}

function save(key: string, value: string): void {
  try {
    globalThis.localStorage?.setItem(key, value);
  } catch {
    // not remembered, but still applied for this visit
  }
}

export function PreferencesProvider({ children }: { children: ReactNode }) {
  const { i18n, t } = useTranslation();
  const language: Language = i18n.language === 'en' ? 'en' : 'zh-CN';
  const [elderly, setElderlyState] = useState(() => readFlag(ELDERLY_KEY));

  const setLanguage = useCallback(
    (l: Language) => {
      save(LANG_KEY, l);
      void i18n.changeLanguage(l);
    },
    [i18n],
  );

  const setElderly = useCallback((on: boolean) => {
    save(ELDERLY_KEY, on ? '1' : '0');
    setElderlyState(on);
  }, []);

  useEffect(() => {
    document.documentElement.lang = language;
    document.title = t('app.title');
  }, [language, t]);

  useEffect(() => {
    document.body.classList.toggle('elderly', elderly);
  }, [elderly]);

  const value = useMemo<Preferences>(
    () => ({ language, lang: language === 'en' ? 'en' : 'zh', setLanguage, elderly, setElderly }),
    [language, setLanguage, elderly, setElderly],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function usePreferences(): Preferences {
  const p = useContext(Ctx);
  if (!p) throw new Error('usePreferences outside PreferencesProvider');
  return p;
}

/** The data language ('zh' | 'en') for picking {zh, en} texts. */
export function useLang(): Lang {
  return usePreferences().lang;
}
