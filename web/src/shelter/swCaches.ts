// What the shelter page's service worker and the page agree on: cache names (the page empties the data cache on
// sign-out) and the header that marks an answer taken from the cache. Kept apart so the worker imports nothing that
// needs a document.
export const shellCacheName = 'bousai-shelter-shell-v1';
export const dataCacheName = 'bousai-shelter-data-v1';
/** Set by the service worker on an answer it took from its cache because the network failed. */
export const fromCacheHeader = 'X-Bousai-From-Cache';
