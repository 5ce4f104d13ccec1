// The offline half of a phone page's service worker (/field-sw.js, /shelter-sw.js): the page loads with no network
// once visited.
//   - navigations: network first, the cached page when offline;
//   - /assets/* (hashed names, never change): cache first;
//   - the page's start-up reads: network first, the last good answer when offline (marked with fromCacheHeader).
// Each worker is built on its own as one classic script (vite.config.ts), so it runs in every browser that has
// service workers.
import { townBbox, type MapConfig } from './api';
import { fromCacheHeader, pageCacheNames } from './pageWorkerCaches';

// The service worker's own globals, declared here: the project compiles against the DOM library, not webworker.
export interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  readonly request: Request;
  respondWith(response: Promise<Response> | Response): void;
}
export interface ServiceWorkerScope {
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
  addEventListener<E extends ExtendableEvent>(type: string, listener: (event: E) => void): void;
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
  location: Location;
}

export interface OfflinePage {
  /** The page's name in its path and caches: 'field' serves /field and keeps bousai-field-*. */
  readonly page: string;
  /** Reads kept at install and served from the cache when offline (besides /api/config). */
  readonly dataPaths: readonly string[];
  /** The town's geodata layer the page starts with, kept at install for the town's extent. */
  readonly startLayer: string;
  /** Other reads served network first with the cached answer as fallback. */
  readonly alsoData?: (path: string) => boolean;
}

/** Registers install, activate and fetch on this worker for the page; returns the worker for any listener of its own. */
export function serveOffline(options: OfflinePage): ServiceWorkerScope {
  const worker = self as unknown as ServiceWorkerScope;
  const pageUrl = `/${options.page}`;
  const caches_ = pageCacheNames(options.page);
  const dataPaths = ['/api/config', ...options.dataPaths];
  const layerPath = `/api/layers/${options.startLayer}`;

  worker.addEventListener('install', (event) => {
    // Offline-ready from the first visit: the page, its assets, and the data it starts with. A failure here (the
    // network dropped mid-install) leaves the runtime caching below to fill the gaps.
    event.waitUntil(
      Promise.all([cachePage().catch((error: unknown) => console.warn('page not cached', error)), cacheData()]).then(() => worker.skipWaiting()),
    );
  });

  worker.addEventListener('activate', (event) => {
    event.waitUntil(
      (async () => {
        const keep = [caches_.shell, caches_.data];
        for (const name of await caches.keys()) if (name.startsWith(caches_.prefix) && !keep.includes(name)) await caches.delete(name);
        await worker.clients.claim();
      })(),
    );
  });

  worker.addEventListener('fetch', (event) => {
    const request = event.request;
    if (request.method !== 'GET') return;
    const url = new URL(request.url);
    if (url.origin !== worker.location.origin) return;
    if (request.mode === 'navigate') event.respondWith(navigation(request));
    else if (url.pathname.startsWith('/assets/')) event.respondWith(asset(request));
    else if (dataPaths.includes(url.pathname) || url.pathname === layerPath || options.alsoData?.(url.pathname)) event.respondWith(data(request));
  });

  async function navigation(request: Request): Promise<Response> {
    try {
      const response = await fetch(request);
      // Only the page itself is kept: not the sign-in page a lapsed session is sent to, nor an error.
      if (response.ok && response.type === 'basic' && new URL(response.url).pathname === pageUrl) {
        const html = await response.clone().text();
        void keepPage(response.clone(), html);
      }
      return response;
    } catch (error) {
      const cached = await caches.open(caches_.shell).then((cache) => cache.match(pageUrl, { ignoreSearch: true }));
      if (cached) return markedAsCached(cached);
      throw error;
    }
  }

  async function asset(request: Request): Promise<Response> {
    const cache = await caches.open(caches_.shell);
    const cached = await cache.match(request);
    if (cached) return cached;
    const response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    return response;
  }

  async function data(request: Request): Promise<Response> {
    const cache = await caches.open(caches_.data);
    try {
      const response = await fetch(request);
      if (response.ok) await cache.put(request, response.clone());
      // Signed out (401) is the truth, not a reason to show what an earlier session saw.
      else if (response.status === 401) await cache.delete(request);
      return response;
    } catch (error) {
      const cached = await cache.match(request);
      if (!cached) throw error;
      return markedAsCached(cached);
    }
  }

  /** The page and every asset it names (scripts, module preloads, styles). */
  async function cachePage(): Promise<void> {
    const response = await fetch(pageUrl, { credentials: 'same-origin' });
    if (!response.ok || response.redirected) throw new Error(`${pageUrl}: HTTP ${response.status}${response.redirected ? ' (signed out)' : ''}`);
    await keepPage(response.clone(), await response.text());
  }

  async function keepPage(response: Response, html: string): Promise<void> {
    const cache = await caches.open(caches_.shell);
    const assets = [...new Set([...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]))];
    const missing = [];
    for (const path of assets) if (!(await cache.match(path))) missing.push(path);
    await cache.addAll(missing);
    await cache.put(pageUrl, response);
    // Assets of earlier builds are no longer named by the page: let them go.
    for (const request of await cache.keys()) {
      const path = new URL(request.url).pathname;
      if (path.startsWith('/assets/') && !assets.includes(path)) await cache.delete(request);
    }
  }

  /** What the page needs at start: its settings, its reads, and its geodata layer over the town. */
  async function cacheData(): Promise<void> {
    const cache = await caches.open(caches_.data);
    const keep = async (path: string) => {
      const response = await fetch(path, { credentials: 'same-origin' });
      if (response.ok) await cache.put(path, response.clone());
      return response;
    };
    try {
      await Promise.all(options.dataPaths.map(keep));
      const config = (await (await keep('/api/config')).json()) as MapConfig;
      await keep(`${layerPath}?bbox=${townBbox(config.center).join(',')}`);
    } catch (error) {
      console.warn('start-up data not cached', error);
    }
  }

  return worker;
}

/** A cached answer that says so: the page tells its user it shows what was last loaded. */
function markedAsCached(cached: Response): Response {
  const headers = new Headers(cached.headers);
  headers.set(fromCacheHeader, '1');
  return new Response(cached.body, { status: cached.status, statusText: cached.statusText, headers });
}
