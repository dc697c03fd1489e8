import { createContext, useContext } from 'react';

export type Lang = 'zh' | 'en';
export const LANG_KEY = 'gongjian.lang';

export function loadLang(): Lang {
  try {
    return localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

export function saveLang(lang: Lang) {
  try {
    localStorage.setItem(LANG_KEY, lang);
  } catch {
    /* private mode: the choice just does not stick */
  }
}

export interface LangValue {
  lang: Lang;
  setLang: (l: Lang) => void;
  /** Pick the Chinese or the English text; Chinese is the default. */
  t: (zh: string, en: string) => string;
}

export const LangContext = createContext<LangValue>({
  lang: 'zh',
  setLang: () => undefined,
  t: (zh) => zh,
});

export function useLang(): LangValue {
  return useContext(LangContext);
}

/** A quarter's name, as every screen writes it: 第3季度 / Q3. */
export const quarterName = (q: number | string, lang: Lang) => (lang === 'en' ? `Q${q}` : `第${q}季度`);
