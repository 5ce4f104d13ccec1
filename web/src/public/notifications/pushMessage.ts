// What the public view's service worker (/public-sw.js) shows for a push message, pure: the server's payload
// (Notifications/NoticeWording.cs) in, the arguments of showNotification out, and where a tap on it leads.

/** The decrypted payload the server sends (camelCase JSON). */
export interface PushPayload {
  noticeId: number;
  title: string;
  body: string;
  /** "district:…", "shelter:…" or "town": a newer notice on the same subject replaces the older one. */
  tag: string;
  /** The public page to open: /public?district=…, /public#shelter-…, /public/en#official-title. */
  url: string;
  language: 'ja' | 'en';
  /** Levels 3–5, 特別警報, 土砂災害警戒情報: kept on screen until seen. */
  urgent: boolean;
  icon: string;
  drill: boolean;
}

/** showNotification's options as this worker uses them (the DOM library no longer lists renotify). */
export interface NoticeOptions {
  body: string;
  tag: string;
  icon: string;
  badge: string;
  lang: string;
  requireInteraction: boolean;
  renotify: boolean;
  data: { url: string };
}

export const badgeIcon = '/notifications/badge.png';
const appIcon = '/icons/public-192.png';

// A message the worker cannot read still has to show something (a push is always visible): the page, in both languages.
const unreadable = {
  title: '高畠町 防災情報 / Takahata disaster information',
  body: '新しい情報があります。開いて確認してください。 / There is new information: open the page to see it.',
};

const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

/** Only a page of the public view on this site: a payload never sends the resident elsewhere. */
export function publicPath(url: unknown): string {
  return typeof url === 'string' && /^\/public(?:[/?#]|$)/.test(url) ? url : '/public';
}

/** The notification for a push message's JSON (anything else: the unreadable one). */
export function notificationOf(payload: unknown): { title: string; options: NoticeOptions } {
  const p = (typeof payload === 'object' && payload !== null ? payload : {}) as Partial<Record<keyof PushPayload, unknown>>;
  const readable = isText(p.title);
  return {
    title: readable ? (p.title as string) : unreadable.title,
    options: {
      body: readable ? (isText(p.body) ? p.body : '') : unreadable.body,
      tag: isText(p.tag) ? p.tag : 'bousai',
      icon: typeof p.icon === 'string' && /^\/notifications\/[a-z0-9-]+\.png$/.test(p.icon) ? p.icon : appIcon,
      badge: badgeIcon,
      lang: p.language === 'en' ? 'en' : 'ja',
      requireInteraction: p.urgent === true,
      // A newer notice on the same subject (tag) replaces the shown one and still alerts the resident.
      renotify: true,
      data: { url: publicPath(p.url) },
    },
  };
}

/** Where a tap leads: the notification's page, as an absolute URL on this site. */
export function pageToOpen(data: unknown, origin: string): string {
  const url = typeof data === 'object' && data !== null ? (data as { url?: unknown }).url : undefined;
  return new URL(publicPath(url), origin).href;
}

/** Of the open windows, the one to reuse: a page of the public view on this site (the focused one first). */
export function publicWindow<C extends { url: string; focused?: boolean }>(windows: readonly C[], origin: string): C | undefined {
  const pages = windows.filter((w) => {
    const url = new URL(w.url);
    return url.origin === origin && /^\/public(?:\/|$)/.test(url.pathname);
  });
  return pages.find((w) => w.focused) ?? pages[0];
}
