// The public view's service worker (/public-sw.js, scope /public): residents' notifications (Web Push). It shows each
// push message the server sends (pushMessage.ts makes the notification from the payload) and, on a tap, brings the
// resident to the page it names: an open public page is focused and taken there, or a new window opens. No offline
// cache and no fetch handler: the public page is the server's, always fresh.
import { notificationOf, pageToOpen, publicWindow, type NoticeOptions } from './notifications/pushMessage';

// The service worker's own globals, declared here: the project compiles against the DOM library, not webworker.
interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface PushEvent extends ExtendableEvent {
  readonly data: { json(): unknown } | null;
}
interface NotificationEvent extends ExtendableEvent {
  readonly notification: Notification;
}
interface WindowClient {
  readonly url: string;
  readonly focused: boolean;
  focus(): Promise<WindowClient>;
  navigate(url: string): Promise<WindowClient | null>;
}
interface PublicWorkerScope {
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'push', listener: (event: PushEvent) => void): void;
  addEventListener(type: 'notificationclick', listener: (event: NotificationEvent) => void): void;
  skipWaiting(): Promise<void>;
  clients: {
    claim(): Promise<void>;
    matchAll(options: { type: 'window'; includeUncontrolled: boolean }): Promise<WindowClient[]>;
    openWindow(url: string): Promise<WindowClient | null>;
  };
  registration: { showNotification(title: string, options: NoticeOptions): Promise<void> };
  location: Location;
}

const worker = self as unknown as PublicWorkerScope;

// A new version takes over at once: it holds no caches that an old page could depend on.
worker.addEventListener('install', (event) => event.waitUntil(worker.skipWaiting()));
worker.addEventListener('activate', (event) => event.waitUntil(worker.clients.claim()));

worker.addEventListener('push', (event) => {
  let payload: unknown = null;
  try {
    payload = event.data?.json() ?? null;
  } catch (error) {
    console.warn('a push message that is not JSON', error);
  }
  const { title, options } = notificationOf(payload);
  event.waitUntil(worker.registration.showNotification(title, options));
});

worker.addEventListener('notificationclick', (event) => {
  event.notification.close();
  event.waitUntil(openPage(pageToOpen(event.notification.data, worker.location.origin)));
});

async function openPage(url: string): Promise<unknown> {
  const open = publicWindow(await worker.clients.matchAll({ type: 'window', includeUncontrolled: true }), worker.location.origin);
  if (open) {
    try {
      const focused = await open.focus();
      // navigate() works only for a page this worker controls; otherwise a new window.
      if (await focused.navigate(url)) return;
    } catch (error) {
      console.warn('the open page could not be taken to the notice', error);
    }
  }
  return worker.clients.openWindow(url);
}
