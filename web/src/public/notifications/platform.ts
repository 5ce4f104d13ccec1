// Whether this browser can take Web Push, from what it exposes. iPhone and iPad deliver Web Push only to a web app
// added to the home screen (iOS 16.4 and later): in Safari's tab the resident is told how to add it.

export interface BrowserFacts {
  userAgent: string;
  platform: string;
  maxTouchPoints: number;
  /** Safari's navigator.standalone: true when opened from the home screen. */
  standalone: boolean | undefined;
  /** matchMedia('(display-mode: standalone)'). */
  displayModeStandalone: boolean;
  serviceWorker: boolean;
  pushManager: boolean;
  notification: boolean;
}

export type PushSupport = 'supported' | 'home-screen' | 'unsupported';

/** An iPhone, iPod or iPad (which calls itself a Mac with a touch screen since iPadOS 13). */
export function isAppleMobile(facts: Pick<BrowserFacts, 'userAgent' | 'platform' | 'maxTouchPoints'>): boolean {
  return /iPhone|iPad|iPod/.test(facts.userAgent) || (facts.platform === 'MacIntel' && facts.maxTouchPoints > 1);
}

export function isStandalone(facts: Pick<BrowserFacts, 'standalone' | 'displayModeStandalone'>): boolean {
  return facts.standalone === true || facts.displayModeStandalone;
}

export function pushSupport(facts: BrowserFacts): PushSupport {
  if (isAppleMobile(facts) && !isStandalone(facts)) return 'home-screen';
  return facts.serviceWorker && facts.pushManager && facts.notification ? 'supported' : 'unsupported';
}

/** The facts of the browser the page runs in. */
export function thisBrowser(): BrowserFacts {
  return {
    userAgent: navigator.userAgent,
    platform: navigator.platform,
    maxTouchPoints: navigator.maxTouchPoints ?? 0,
    standalone: (navigator as Navigator & { standalone?: boolean }).standalone,
    displayModeStandalone: typeof matchMedia === 'function' && matchMedia('(display-mode: standalone)').matches,
    serviceWorker: 'serviceWorker' in navigator,
    pushManager: 'PushManager' in globalThis,
    notification: 'Notification' in globalThis,
  };
}
