import { afterEach, describe, expect, it, vi } from 'vitest';

/** The i18n module as a page loads it at the given address, with the given remembered choice. */
async function loadAt(search: string, cookie = '') {
  vi.resetModules();
  document.cookie = `bousai.lang=${cookie}; path=/`;
  history.replaceState(null, '', `/${search}`);
  return import('../src/core/i18n');
}

describe('the page language', () => {
  afterEach(() => history.replaceState(null, '', '/'));

  it('follows ?lang=en in the address, as the login page does, and remembers it', async () => {
    const i18n = await loadAt('?lang=en', 'ja');

    expect(i18n.lang()).toBe('en');
    expect(document.cookie).toContain('bousai.lang=en');
  });

  it('is the remembered choice without ?lang, and Japanese for anything but en', async () => {
    expect((await loadAt('', 'en')).lang()).toBe('en');
    expect((await loadAt('?lang=fr', 'en')).lang()).toBe('ja');
  });
});
