// The language of the page and its messages. The strings live in message tables: core/messages.ts for what the
// shared core shows, and one table per page (hq/messages.ts, public/messages.ts), so a page ships only its own.
import { coreEn, coreJa, type CoreKey } from './messages';

export type Lang = 'ja' | 'en';

/** A message table: Japanese first, English with exactly the same keys. */
export interface MessageTable<K extends string> {
  ja: Record<K, string>;
  en: Record<K, string>;
}

export interface Translator<K extends string> {
  /** Message in the current language; `{name}` placeholders are filled from `values`. */
  t(key: K, values?: Record<string, string | number>): string;
  /** Message for a key built from data (e.g. a hazard code); falls back to the raw value. */
  tOr(key: string, fallback: string): string;
}

// A cookie rather than localStorage: the server-rendered login page reads the same choice.
const cookieName = 'bousai.lang';
const listeners = new Set<(lang: Lang) => void>();
// Every table registered on this page, merged: what `data-i18n` attributes and `tOr` look keys up in.
const registered: MessageTable<string> = { ja: {}, en: {} };

function storedLang(): Lang {
  const value = document.cookie.split('; ').find((c) => c.startsWith(`${cookieName}=`))?.slice(cookieName.length + 1);
  return value === 'en' ? 'en' : 'ja';
}

/** `?lang=en` in the address chooses the language as it does on the login page (any other value: Japanese). */
function requestedLang(): Lang | null {
  const value = new URLSearchParams(location.search).get('lang');
  return value === null ? null : value === 'en' ? 'en' : 'ja';
}

function storeLang(lang: Lang): void {
  document.cookie = `${cookieName}=${lang}; path=/; max-age=31536000; samesite=lax`;
}

let current: Lang = requestedLang() ?? storedLang();
// Remembered like a choice made with the switch, so the next page (and the login page) keeps it.
if (requestedLang() !== null) storeLang(current);

/**
 * A page the server rendered in a language (the public view: /public, /public/en) speaks the language of its
 * <html lang>, which the server chose; `?lang=` still wins (the address a resident was given). The choice is
 * remembered like one made with the switch, so the login page and the next visit keep it.
 */
export function adoptPageLang(root: HTMLElement = document.documentElement): Lang {
  current = requestedLang() ?? (root.lang.toLowerCase().startsWith('en') ? 'en' : 'ja');
  storeLang(current);
  return current;
}

export function lang(): Lang {
  return current;
}

function format(key: string, values: Record<string, string | number>): string {
  // A key missing at run time shows as itself: visible in review, never a crash.
  const message = registered[current][key] ?? key;
  return message.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ''));
}

/** Registers a page's table (with the core's) and returns its translator, typed by that page's keys. */
export function pageTranslator<K extends string>(table: MessageTable<K>): Translator<K> {
  Object.assign(registered.ja, table.ja);
  Object.assign(registered.en, table.en);
  return {
    t: (key, values = {}) => format(key, values),
    tOr: (key, fallback) => (key in registered.ja ? format(key, {}) : fallback),
  };
}

const core = pageTranslator<CoreKey>({ ja: coreJa, en: coreEn });
/** A message the shared core shows (pages use their own `t`, which knows these keys too). */
export const t = core.t;
export const tOr = core.tOr;

/** Picks the name of a feature in the current language. */
export function localName(props: { name_ja?: string; name_en?: string }): string {
  return (current === 'en' ? props.name_en : props.name_ja) || props.name_ja || props.name_en || '';
}

/** Calls `listener` after each change of language; returns what stops that. */
export function onLangChange(listener: (lang: Lang) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function setLang(next: Lang): void {
  current = next;
  storeLang(next);
  applyStaticText(document);
  [...listeners].forEach((listener) => listener(next));
}

/** Fills every element marked `data-i18n="key"` (text) or `data-i18n-aria="key"` (aria-label). */
export function applyStaticText(root: ParentNode): void {
  document.documentElement.lang = current;
  root.querySelectorAll<HTMLElement>('[data-i18n]').forEach((el) => {
    el.textContent = format(el.dataset.i18n ?? '', {});
  });
  root.querySelectorAll<HTMLElement>('[data-i18n-aria]').forEach((el) => {
    el.setAttribute('aria-label', format(el.dataset.i18nAria ?? '', {}));
  });
  const titleKey = document.body.dataset.titleKey;
  if (titleKey) document.title = format(titleKey, {});
}

/** Wires the 日本語 / English buttons inside `container`; returns what unwires them. */
export function mountLanguageSwitch(container: HTMLElement): () => void {
  const buttons = container.querySelectorAll<HTMLButtonElement>('button[data-lang]');
  const sync = () => buttons.forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.lang === current)));
  const pick = (event: Event) => setLang((event.currentTarget as HTMLElement).dataset.lang === 'en' ? 'en' : 'ja');
  buttons.forEach((b) => b.addEventListener('click', pick));
  const stop = onLangChange(sync);
  sync();
  return () => {
    stop();
    buttons.forEach((b) => b.removeEventListener('click', pick));
  };
}
