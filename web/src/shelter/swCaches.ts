// What the shelter page's service worker and the page agree on: its data cache. Kept apart so the worker imports nothing
// that needs a document.
import { pageCacheNames } from '../core/pageWorkerCaches';

export const { data: dataCacheName } = pageCacheNames('shelter');
