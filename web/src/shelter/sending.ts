// When the page sends the count queue: after each tap (once its batch is sealed), the moment the phone is back online,
// when the page is shown again, and on a timer that follows the head batch's backoff.
import type { Mounted } from '../core/mounted';
import type { CountQueue, PostCount } from './queue';

export interface Sending extends Mounted {
  /** Sends what is due now; `promptly` ignores the head's backoff. */
  now(promptly?: boolean): Promise<void>;
}

export function startSending(queue: CountQueue, post: PostCount): Sending {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  // Set by every change of the queue: a tap made while a run was ending is looked at by another run.
  let changed = false;
  let running = false;

  const run = async (promptly = false) => {
    clearTimeout(timer);
    timer = undefined;
    if (stopped) return;
    let result;
    running = true;
    try {
      do {
        changed = false;
        result = await queue.drain({ promptly, post });
        // Only the first pass skips the backoff: a refusal met in it waits its turn.
        promptly = false;
      } while (changed && !stopped && !result.offline);
    } finally {
      running = false;
    }
    if (stopped || result.pending === 0) return;
    // navigator.onLine can be wrong either way: the timer runs offline too, at the backoff's pace.
    const wait = Math.max(250, (result.nextAt ?? Date.now()) - Date.now() + 50);
    clearTimeout(timer);
    timer = setTimeout(() => void run(false), wait);
  };

  const online = () => void run(true);
  const visible = () => {
    if (document.visibilityState === 'visible') void run(false);
  };
  const stopQueue = queue.onChange(() => {
    changed = true;
    // A tap made a batch: a run looks at it and sets the timer for when it is sealed.
    if (timer === undefined && !running) void run(false);
  });
  window.addEventListener('online', online);
  document.addEventListener('visibilitychange', visible);
  void run(false);

  return {
    now: (promptly = false) => run(promptly),
    dispose: () => {
      stopped = true;
      clearTimeout(timer);
      stopQueue();
      window.removeEventListener('online', online);
      document.removeEventListener('visibilitychange', visible);
    },
  };
}
