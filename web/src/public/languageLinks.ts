// The language switch of the public view is two links, /public and /public/en (each page rendered by the server in
// its language), keeping the district the resident chose. The server renders them; without it the script does.
import { h } from '../core/dom';
import type { Lang } from '../core/i18n';

/** Only `district` is carried over from the current address. */
function districtQuery(search: string): string {
  const district = new URLSearchParams(search).get('district');
  return district ? `?district=${encodeURIComponent(district)}` : '';
}

/** The full page in `lang`: /public or /public/en, with the chosen district. */
export function languageHref(lang: Lang, search: string): string {
  return `${lang === 'en' ? '/public/en' : '/public'}${districtQuery(search)}`;
}

/** The text-only version (災害時軽量版) in `lang`, with the chosen district. */
export function textVersionHref(lang: Lang, search: string): string {
  return `${lang === 'en' ? '/public/text/en' : '/public/text'}${districtQuery(search)}`;
}

/** Fills `nav` with the two links unless the server did; marks the current one. */
export function mountLanguageLinks(nav: HTMLElement, current: Lang, search: string): void {
  if (!nav.querySelector('a')) {
    nav.replaceChildren(
      h('a', { href: languageHref('ja', search), lang: 'ja', hreflang: 'ja' }, '日本語'),
      h('a', { href: languageHref('en', search), lang: 'en', hreflang: 'en' }, 'English'),
    );
  }
  nav.querySelectorAll<HTMLAnchorElement>('a[hreflang]').forEach((link) => {
    if (link.hreflang === current) link.setAttribute('aria-current', 'true');
    else link.removeAttribute('aria-current');
  });
}
