// When the page sends the outbox: at start, the moment the phone is back online, when the page is shown again, and on
// a timer that follows each item's backoff. Where the browser has Background Sync, the service worker also sends it
// when connectivity returns, even with the page closed.
import type { Mounted } from '../core/mounted';
import type { Outbox } from './outbox';
import { syncTag } from './swCaches';

/** Background Sync, where the browser has it (not in the DOM typings). */
interface SyncRegistration {
  sync?: { register(tag: string): Promise<void> };
}

export interface Sending extends Mounted {
  /** Sends what is due now; `promptly` sends every waiting item, whatever its backoff. */
  now(promptly?: boolean): Promise<void>;
}

export function startSending(outbox: Outbox, registration: Promise<ServiceWorkerRegistration | null>): Sending {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const askForSync = () =>
    void registration
      .then((r) => (r as (ServiceWorkerRegistration & SyncRegistration) | null)?.sync?.register(syncTag))
      .catch((error: unknown) => console.info('background sync not available', error));

  const run = async (promptly = false) => {
    clearTimeout(timer);
    timer = undefined;
    if (stopped) return;
    const result = await outbox.drain({ promptly });
    if (stopped || result.waiting === 0) return;
    askForSync();
    // navigator.onLine can be wrong either way: keep the timer running offline too, at the backoff's pace.
    const wait = Math.max(1_000, (result.nextAttemptAt ?? Date.now()) - Date.now());
    timer = setTimeout(() => void run(false), wait);
  };

  const online = () => void run(true);
  const visible = () => {
    if (document.visibilityState === 'visible') void run(false);
  };
  window.addEventListener('online', online);
  document.addEventListener('visibilitychange', visible);
  void run(false);

  return {
    now: (promptly = false) => run(promptly),
    dispose: () => {
      stopped = true;
      clearTimeout(timer);
      window.removeEventListener('online', online);
      document.removeEventListener('visibilitychange', visible);
    },
  };
}
