// What a page's service worker and the page agree on: the cache names (the page empties its data cache on sign-out)
// and the header that marks an answer taken from the cache. Kept apart so a worker imports nothing that needs a
// document.

/** Set by a page's service worker on an answer it took from its cache because the network failed. */
export const fromCacheHeader = 'X-Bousai-From-Cache';

/** One page's caches: each page's worker deletes only its own, since they share the origin's cache storage. */
export function pageCacheNames(page: string): { prefix: string; shell: string; data: string } {
  const prefix = `bousai-${page}-`;
  return { prefix, shell: `${prefix}shell-v1`, data: `${prefix}data-v1` };
}
