// Follows a situation hub: a snapshot, then event batches that must join end to end, for as long as the page is
// open. Losing the connection, the server ending the stream, a gap between batches or a "resync" message are all
// recovered here, so the views only ever see a snapshot followed by gap-free events.
import { HubConnectionBuilder, HubConnectionState, LogLevel, type IStreamResult, type ISubscription } from '@microsoft/signalr';
import type { SituationEvent, SituationMessage, SituationSnapshot } from './situationMessages';

export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'offline';

export interface LiveStatus {
  state: LiveState;
  /** When the page stopped receiving, or first failed to connect; null while live and before any failure. */
  offlineSince: Date | null;
}

export interface SituationStreamHandlers {
  /** The whole situation: replaces whatever the page showed. */
  snapshot(snapshot: SituationSnapshot): void;
  /** The next events in order, continuing exactly where the snapshot or the previous batch ended. */
  events(events: SituationEvent[]): void;
  status(status: LiveStatus): void;
  /**
   * For a hub that needs a sign-in: whether the page is still signed in, asked after a failed connection attempt
   * (SignalR does not say why a negotiation failed). False stops the retries and calls `unauthorized`.
   */
  signedIn?(): Promise<boolean>;
  unauthorized?(): void;
}

export interface SituationStream {
  status(): LiveStatus;
  /** Starts again from a fresh snapshot (the page showed something else meanwhile, e.g. the past). */
  resync(): void;
  stop(): Promise<void>;
}

// 0, 1, 2, 5, 10 s, then every 10 s for as long as it takes; a jitter keeps every phone in town from
// coming back in the same instant after a server restart.
const retryDelays = [0, 1_000, 2_000, 5_000, 10_000];
function retryDelay(attempt: number): number {
  const base = retryDelays[Math.min(attempt, retryDelays.length - 1)];
  return base === 0 ? 0 : Math.round(base * (0.9 + Math.random() * 0.2));
}

/** A short interruption shows as "reconnecting"; after this long without data the page says it is offline, and since when. */
const offlineAfterMs = 15_000;

/** What the stream uses of a SignalR HubConnection: a test drives the stream through a fake one. */
export interface SituationHub {
  readonly state: HubConnectionState;
  start(): Promise<void>;
  stop(): Promise<void>;
  stream<T>(methodName: string, ...args: unknown[]): IStreamResult<T>;
  onreconnecting(callback: (error?: Error) => void): void;
  onreconnected(callback: (connectionId?: string) => void): void;
  onclose(callback: (error?: Error) => void): void;
}

/** Builds the hub connection; `reconnectDelay` is asked after each lost connection and each failed attempt. */
export type ConnectHub = (hubUrl: string, reconnectDelay: (previousRetryCount: number) => number) => SituationHub;

const signalRHub: ConnectHub = (hubUrl, reconnectDelay) =>
  new HubConnectionBuilder()
    .withUrl(hubUrl)
    .withAutomaticReconnect({ nextRetryDelayInMilliseconds: ({ previousRetryCount }) => reconnectDelay(previousRetryCount) })
    .configureLogging(LogLevel.Warning)
    .build();

export function followSituation(hubUrl: string, handlers: SituationStreamHandlers, connect: ConnectHub = signalRHub): SituationStream {
  const connection = connect(hubUrl, (previousRetryCount) => {
    // The first call comes as the connection drops; later ones after a failed attempt.
    if (previousRetryCount > 0) checkSignIn();
    return retryDelay(previousRetryCount);
  });

  let status: LiveStatus = { state: 'connecting', offlineSince: null };
  let everLive = false;
  let stopped = false;
  let offlineTimer: ReturnType<typeof setTimeout> | undefined;
  let startTimer: ReturnType<typeof setTimeout> | undefined;
  let startAttempt = 0;

  // Position in the log: the `through` of the last batch applied (or the snapshot's seq); null = need a snapshot.
  let lastThrough: number | null = null;
  let subscription: ISubscription<SituationMessage> | null = null;
  // Callbacks of a stream the page has moved on from are ignored.
  let generation = 0;
  let followTimer: ReturnType<typeof setTimeout> | undefined;
  let followAttempt = 0;

  // A lapsed sign-in will not heal itself: stop, and let the page send the user to sign in again.
  let checkingSignIn = false;
  const checkSignIn = () => {
    if (!handlers.signedIn || checkingSignIn || stopped) return;
    checkingSignIn = true;
    void handlers.signedIn().catch(() => true).then((signedIn) => {
      checkingSignIn = false;
      if (signedIn || stopped) return;
      void stream.stop();
      handlers.unauthorized?.();
    });
  };

  const setStatus = (next: LiveStatus) => {
    if (next.state === status.state && next.offlineSince === status.offlineSince) return;
    status = next;
    handlers.status(status);
  };

  // Data flows: the page is live.
  const markLive = () => {
    clearTimeout(offlineTimer);
    offlineTimer = undefined;
    everLive = true;
    setStatus({ state: 'live', offlineSince: null });
  };

  // Data stopped flowing: "reconnecting" at first, "offline since …" when it lasts.
  const markDown = () => {
    if (stopped) return;
    const since = status.offlineSince ?? new Date();
    if (status.state !== 'offline') setStatus({ state: everLive ? 'reconnecting' : 'connecting', offlineSince: since });
    if (offlineTimer === undefined) {
      offlineTimer = setTimeout(() => setStatus({ state: 'offline', offlineSince: since }), offlineAfterMs);
    }
  };

  const follow = (after: number | null) => {
    clearTimeout(followTimer);
    followTimer = undefined;
    subscription?.dispose();
    subscription = null;
    const mine = ++generation;
    // Not connected: onreconnected or the next start follows again from where the page is.
    if (stopped || connection.state !== HubConnectionState.Connected) return;
    lastThrough = after;
    subscription = connection.stream<SituationMessage>('Follow', after).subscribe({
      next: (message) => {
        if (mine === generation) receive(message);
      },
      error: (error) => {
        if (mine === generation) streamEnded(error);
      },
      complete: () => {
        if (mine === generation) streamEnded(null);
      },
    });
  };

  const resync = () => {
    lastThrough = null;
    follow(null);
  };

  const receive = (message: SituationMessage) => {
    followAttempt = 0;
    switch (message.type) {
      case 'snapshot':
        lastThrough = message.snapshot.seq;
        handlers.snapshot(message.snapshot);
        markLive();
        break;
      case 'events':
        // Each batch starts where the last one ended; anything else means something was missed.
        if (lastThrough === null || message.after !== lastThrough) {
          console.warn(`situation stream: batch after ${message.after} does not follow ${lastThrough}; reloading`);
          resync();
          return;
        }
        lastThrough = message.through;
        if (message.events.length > 0) handlers.events(message.events);
        markLive();
        // What a drill made leaves the live picture when it ends: start again from a snapshot without it.
        if (message.events.some((e) => e.kind === 'drill_ended')) resync();
        break;
      case 'resync':
        console.info(`situation stream: server asks for a fresh snapshot (${message.reason})`);
        resync();
        break;
    }
  };

  // The stream errored or the server ended it. A lost connection also fails the stream, before the connection
  // itself leaves the Connected state, so decide on the next turn of the event loop.
  const streamEnded = (error: unknown) => {
    subscription = null;
    if (error) console.warn('situation stream ended', error);
    followTimer = setTimeout(() => {
      if (stopped || connection.state !== HubConnectionState.Connected) return; // onreconnected follows
      markDown();
      followTimer = setTimeout(() => follow(lastThrough), retryDelay(followAttempt++));
    }, 0);
  };

  const start = async () => {
    startTimer = undefined;
    if (stopped) return;
    try {
      await connection.start();
      startAttempt = 0;
      follow(lastThrough);
    } catch (error) {
      if (stopped) return;
      console.warn('situation hub unreachable', error);
      checkSignIn();
      markDown();
      clearTimeout(startTimer);
      startTimer = setTimeout(() => void start(), retryDelay(++startAttempt));
    }
  };

  connection.onreconnecting(() => markDown());
  // A new connection carries no stream: resume from the last position (the server replays what was missed).
  connection.onreconnected(() => follow(lastThrough));
  // Automatic reconnection gave up (or the server closed the connection for good): keep trying from scratch.
  connection.onclose(() => {
    if (stopped) return;
    markDown();
    if (startTimer === undefined) startTimer = setTimeout(() => void start(), retryDelay(startAttempt++));
  });

  // A phone coming back into coverage need not wait out the backoff.
  const onOnline = () => {
    if (startTimer !== undefined) {
      clearTimeout(startTimer);
      void start();
    }
  };
  window.addEventListener('online', onOnline);

  const stream: SituationStream = {
    status: () => status,
    resync,
    stop: async () => {
      stopped = true;
      window.removeEventListener('online', onOnline);
      clearTimeout(startTimer);
      clearTimeout(followTimer);
      clearTimeout(offlineTimer);
      subscription?.dispose();
      await connection.stop();
    },
  };

  handlers.status(status);
  void start();
  return stream;
}
