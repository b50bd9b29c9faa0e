/**
 * Vietnamese by default, English on request (remembered in the browser). Each module keeps its own strings
 * with `defineMessages`, so a page brings its words with it; both languages must have every key (the type says so).
 */
export type Lang = 'vi' | 'en';
const STORAGE_KEY = 'busflow.lang';

let current: Lang = readStored();
const listeners = new Set<() => void>();

function readStored(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'vi';
  } catch {
    return 'vi';
  }
}

export function lang(): Lang {
  return current;
}

export function setLang(next: Lang): void {
  if (next === current) return;
  current = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // Private browsing: the choice lasts this visit.
  }
  document.documentElement.lang = next;
  for (const l of listeners) l();
}

export function onLangChange(listener: () => void): void {
  listeners.add(listener);
}

type Messages = Record<string, string>;

/**
 * `const t = defineMessages({ vi: { hello: 'Xin chào {name}' }, en: { hello: 'Hello {name}' } })`, then
 * `t('hello', { name })` in the current language.
 */
export function defineMessages<K extends string>(dict: {
  vi: Record<K, string>;
  en: Record<K, string>;
}): (key: K, vars?: Record<string, string | number>) => string {
  return (key, vars) => {
    const text = (dict[current] as Messages)[key] ?? (dict.vi as Messages)[key] ?? key;
    return vars ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m)) : text;
  };
}

/** Clock time HH:MM in Ho Chi Minh City, whatever the browser's zone. */
export function hhmm(iso: string | number): string {
  return new Intl.DateTimeFormat('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(iso));
}
