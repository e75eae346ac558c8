/** The chosen language for the React tree: remembered in localStorage, applied to <html lang dir>. */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { initialLanguage, LANGUAGE_KEY, translator, type Language, type Translator } from './i18n';

interface I18n extends Translator {
  setLanguage(lang: Language): void;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLang] = useState<Language>(() => initialLanguage(localStorage.getItem(LANGUAGE_KEY), navigator.languages ?? []));
  useEffect(() => {
    document.documentElement.lang = lang;
    document.documentElement.dir = translator(lang).dir;
  }, [lang]);
  const setLanguage = useCallback((next: Language) => {
    localStorage.setItem(LANGUAGE_KEY, next);
    setLang(next);
  }, []);
  const value = useMemo(() => ({ ...translator(lang), setLanguage }), [lang, setLanguage]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error('useI18n outside I18nProvider');
  return ctx;
}
