// What the field page's service worker and the page agree on: its data cache, the Background Sync tag and the
// from-cache header. Kept apart so the worker imports nothing that needs a document.
import { pageCacheNames } from '../core/pageWorkerCaches';

export { fromCacheHeader } from '../core/pageWorkerCaches';
export const { data: dataCacheName } = pageCacheNames('field');
export const syncTag = 'bousai-field-outbox';
