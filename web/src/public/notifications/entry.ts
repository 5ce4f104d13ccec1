// The opt-in's place in the first view: the section's button, and nothing more until it is wanted. The form is its
// own chunk (optIn.ts), imported when the resident presses 「通知を受け取る」, or once the page has loaded and is idle
// when this browser already has a subscription, to show what it is told of. So the first view carries only this.
import type { FeatureCollectionJson } from '../../core/api';
import type { DeviceSubscription, OptIn } from './optIn';

export interface NotificationEntry {
  section: HTMLElement;
  districts: Promise<FeatureCollectionJson>;
  shelters: Promise<FeatureCollectionJson>;
}

/** After the load event, when the browser has nothing better to do. */
function whenIdle(run: () => void): void {
  const idle = () => ('requestIdleCallback' in globalThis ? requestIdleCallback(run, { timeout: 5_000 }) : setTimeout(run, 1_000));
  if (document.readyState === 'complete') idle();
  else addEventListener('load', idle, { once: true });
}

/** The subscription this browser holds for the public view, without registering anything. */
async function heldSubscription(): Promise<DeviceSubscription | null> {
  if (!('serviceWorker' in navigator)) return null;
  const registration = await navigator.serviceWorker.getRegistration('/public');
  return (await registration?.pushManager?.getSubscription()) ?? null;
}

export function mountNotificationEntry({ section, districts, shelters }: NotificationEntry): void {
  const button = section.querySelector<HTMLButtonElement>('#notify-open');
  const panel = section.querySelector<HTMLElement>('#notify-panel');
  if (!button || !panel) return;
  let optIn: Promise<OptIn> | null = null;
  const open = () => {
    button.hidden = true;
    panel.hidden = false;
    optIn ??= import('./optIn').then(({ mountOptIn }) => mountOptIn(panel, { districts, shelters }));
    optIn.catch((error: unknown) => {
      console.warn('the notification form could not be loaded', error);
      optIn = null;
      panel.hidden = true;
      button.hidden = false;
    });
    return optIn;
  };

  button.hidden = false;
  section.dataset.ready = 'true';
  // A chunk that fails to load was logged and gave the button back.
  button.addEventListener('click', () => void open().then((form) => form.start(), () => undefined));
  whenIdle(() => {
    heldSubscription().then(
      (held) => {
        if (held && !optIn) void open().then((form) => form.show(held), () => undefined);
      },
      (error: unknown) => console.warn('the notification subscription could not be read', error),
    );
  });
}
