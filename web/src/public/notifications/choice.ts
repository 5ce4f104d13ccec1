// What a resident chose to be told of, as the opt-in form holds it, and the request that subscribes with it
// (PUT /public/notifications/subscription). Pure: the form and its tests share it.
import type { components } from '../../core/http.generated';
import type { Lang } from '../../core/i18n';

export type SubscriptionRequest = components['schemas']['PushSubscriptionRequest'];
export type NotificationChoice = components['schemas']['NotificationChoice'];

export interface Choice {
  districts: ReadonlySet<string>;
  shelters: ReadonlySet<string>;
  /** 高畠町に発表された公式の警報など: on unless the resident turns it off. */
  townWarnings: boolean;
  /** 訓練: off unless the resident asks for drills too. */
  drills: boolean;
}

/** The browser's subscription as PushSubscription.toJSON() gives it. */
export interface BrowserSubscription {
  endpoint?: string;
  keys?: Record<string, string>;
}

export const firstChoice: Choice = { districts: new Set(), shelters: new Set(), townWarnings: true, drills: false };

/** The form's choice from what the server holds (after a lookup, for 「変更」). */
export function choiceFrom(stored: NotificationChoice): Choice {
  const ids = (list: unknown[]) => new Set(list.filter((id): id is string => typeof id === 'string'));
  return { districts: ids(stored.districts), shelters: ids(stored.shelters), townWarnings: stored.townWarnings, drills: stored.drills };
}

/** Nothing to be told of: the server would refuse it (400), so the form says so before asking. */
export function choosesNothing(choice: Choice): boolean {
  return choice.districts.size === 0 && choice.shelters.size === 0 && !choice.townWarnings;
}

/** Ids in the order the page lists them (the layer's); ids it does not list come last, so the server can name them. */
function ordered(chosen: ReadonlySet<string>, order: readonly string[]): string[] {
  const rank = (id: string) => {
    const at = order.indexOf(id);
    return at < 0 ? order.length : at;
  };
  return [...chosen].sort((a, b) => rank(a) - rank(b));
}

/**
 * The request body: the browser's endpoint and keys, the page's language (the words of each notification), and the
 * choice. Null when the browser gave no keys (a subscription the server could not encrypt for).
 */
export function subscriptionRequest(
  subscription: BrowserSubscription,
  choice: Choice,
  language: Lang,
  order: { districts: readonly string[]; shelters: readonly string[] },
): SubscriptionRequest | null {
  const { endpoint, keys } = subscription;
  if (!endpoint || !keys?.p256dh || !keys.auth) return null;
  return {
    endpoint,
    keys: { p256dh: keys.p256dh, auth: keys.auth },
    language,
    districts: ordered(choice.districts, order.districts),
    shelters: ordered(choice.shelters, order.shelters),
    townWarnings: choice.townWarnings,
    drills: choice.drills,
  };
}

/** The VAPID public key (base64url) as the bytes PushManager.subscribe takes for applicationServerKey. */
export function applicationServerKey(base64Url: string): Uint8Array<ArrayBuffer> {
  const base64 = base64Url.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(base64Url.length / 4) * 4, '=');
  const text = atob(base64);
  const bytes = new Uint8Array(new ArrayBuffer(text.length));
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** Whether a subscription the browser already has was made for this key (a server's new key needs a new subscription). */
export function sameKey(existing: ArrayBuffer | null | undefined, key: Uint8Array): boolean {
  if (!existing) return true; // the browser does not say: try it
  const bytes = new Uint8Array(existing);
  return bytes.length === key.length && bytes.every((b, i) => b === key[i]);
}
