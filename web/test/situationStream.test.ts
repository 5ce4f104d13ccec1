import { HubConnectionState, type IStreamResult, type IStreamSubscriber } from '@microsoft/signalr';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SituationEvent, SituationMessage, SituationSnapshot } from '../src/core/live/situationMessages';
import { followSituation, type LiveStatus, type SituationHub } from '../src/core/live/situationStream';
import { batchMessage as fixtureBatch, snapshotMessage } from './fixtures';

/** The fixture batch without its drill's end, which asks for a new snapshot (tested on its own below). */
const batchMessage = () => {
  const message = fixtureBatch();
  message.events = message.events.filter((e) => e.kind !== 'drill_ended');
  return message;
};

/** One `Follow` call the page made: where it asked to start, and the server side of that stream. */
interface FollowCall {
  after: number | null;
  subscriber: IStreamSubscriber<SituationMessage>;
  disposed: boolean;
}

/** A hub connection the test moves by hand: connect, drop, reconnect, and what the server streams. */
class FakeHub implements SituationHub {
  state = HubConnectionState.Disconnected;
  readonly follows: FollowCall[] = [];
  private reconnecting: Array<(error?: Error) => void> = [];
  private reconnected: Array<(id?: string) => void> = [];
  private closed: Array<(error?: Error) => void> = [];

  async start(): Promise<void> {
    this.state = HubConnectionState.Connected;
  }

  async stop(): Promise<void> {
    this.state = HubConnectionState.Disconnected;
  }

  stream<T>(methodName: string, ...args: unknown[]): IStreamResult<T> {
    expect(methodName).toBe('Follow');
    return {
      subscribe: (subscriber) => {
        const call: FollowCall = { after: args[0] as number | null, subscriber: subscriber as IStreamSubscriber<SituationMessage>, disposed: false };
        this.follows.push(call);
        return { dispose: () => (call.disposed = true) };
      },
    };
  }

  onreconnecting(callback: (error?: Error) => void): void {
    this.reconnecting.push(callback);
  }

  onreconnected(callback: (id?: string) => void): void {
    this.reconnected.push(callback);
  }

  onclose(callback: (error?: Error) => void): void {
    this.closed.push(callback);
  }

  /** The server's side of the newest Follow. */
  latest(): FollowCall {
    const call = this.follows.at(-1);
    if (!call) throw new Error('nothing followed yet');
    return call;
  }

  send(message: SituationMessage, call = this.latest()): void {
    call.subscriber.next(message);
  }

  /** The connection drops: the stream fails first, then SignalR reconnects. */
  drop(): void {
    this.latest().subscriber.error(new Error('connection lost'));
    this.state = HubConnectionState.Reconnecting;
    this.reconnecting.forEach((callback) => callback(new Error('connection lost')));
  }

  reconnect(): void {
    this.state = HubConnectionState.Connected;
    this.reconnected.forEach((callback) => callback('new-connection'));
  }
}

function start() {
  const hub = new FakeHub();
  const snapshots: SituationSnapshot[] = [];
  const batches: SituationEvent[][] = [];
  const statuses: LiveStatus[] = [];
  const stream = followSituation(
    '/hubs/situation',
    {
      snapshot: (snapshot) => snapshots.push(snapshot),
      events: (events) => batches.push(events),
      status: (status) => statuses.push(status),
    },
    () => hub,
  );
  return { hub, snapshots, batches, statuses, stream };
}

const events = (after: number, through: number): SituationMessage => ({
  type: 'events',
  after,
  through,
  events: [{ kind: 'field_report_withdrawn', seq: through, at: '2026-08-03T05:50:00+00:00', reportId: through }],
});

// Where the fixtures stand in the log: the snapshot's seq, and the batch that follows it.
const snapshotSeq = snapshotMessage().snapshot.seq;
const batch = batchMessage();
const batchSeqs = batch.events.map((e) => e.seq);

describe('the situation stream', () => {
  it('is fed fixtures that join: the batch starts where the snapshot ends', () => {
    expect(batch.after).toBe(snapshotSeq);
    expect(batchSeqs.at(-1)).toBe(batch.through);
  });

  beforeEach(() => {
    vi.useFakeTimers();
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    vi.spyOn(console, 'info').mockImplementation(() => undefined);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('asks for a snapshot first, then passes on batches that join end to end', async () => {
    const { hub, snapshots, batches, statuses } = start();
    await vi.advanceTimersByTimeAsync(0);
    expect(hub.follows.map((f) => f.after)).toEqual([null]);

    hub.send(snapshotMessage());
    hub.send(batchMessage());
    hub.send(events(batch.through, batch.through + 1));

    expect(snapshots.map((s) => s.seq)).toEqual([snapshotSeq]);
    expect(batches.map((b) => b.map((e) => e.seq))).toEqual([batchSeqs, [batch.through + 1]]);
    expect(statuses.at(-1)?.state).toBe('live');
  });

  it('drops a batch that does not follow the last one and reloads a snapshot', async () => {
    const { hub, batches } = start();
    await vi.advanceTimersByTimeAsync(0);
    hub.send(snapshotMessage());
    const first = hub.latest();

    hub.send(events(snapshotSeq + 2, snapshotSeq + 3)); // the two events after the snapshot never arrived

    expect(batches).toEqual([]);
    expect(first.disposed).toBe(true);
    expect(hub.follows.map((f) => f.after)).toEqual([null, null]);
    // What the abandoned stream still delivers is ignored.
    hub.send(events(snapshotSeq, snapshotSeq + 1), first);
    expect(batches).toEqual([]);
  });

  it('reloads a snapshot when the server asks for a resync', async () => {
    const { hub, snapshots } = start();
    await vi.advanceTimersByTimeAsync(0);
    hub.send(snapshotMessage());
    hub.send(batchMessage());

    hub.send({ type: 'resync', reason: 'too_far_behind' });
    const again = snapshotMessage();
    again.snapshot.seq = 90;
    hub.send(again);
    hub.send(events(90, 91));

    expect(hub.follows.map((f) => f.after)).toEqual([null, null]);
    expect(snapshots.map((s) => s.seq)).toEqual([snapshotSeq, 90]);
  });

  it('reloads a snapshot after a batch in which the drill ended, so what the drill made leaves the page', async () => {
    const { hub, snapshots, batches } = start();
    await vi.advanceTimersByTimeAsync(0);
    hub.send(snapshotMessage());
    const ended = fixtureBatch();
    expect(ended.events.some((e) => e.kind === 'drill_ended')).toBe(true);
    hub.send(ended);

    expect(batches).toHaveLength(1);
    expect(hub.follows.map((f) => f.after)).toEqual([null, null]);
    const again = snapshotMessage();
    again.snapshot.seq = ended.through;
    hub.send(again);
    expect(snapshots.map((s) => s.seq)).toEqual([snapshotSeq, ended.through]);
  });

  it('resumes after a lost connection from the last batch it applied', async () => {
    const { hub, batches, statuses } = start();
    await vi.advanceTimersByTimeAsync(0);
    hub.send(snapshotMessage());
    hub.send(batchMessage());

    hub.drop();
    await vi.advanceTimersByTimeAsync(0);
    expect(statuses.at(-1)?.state).toBe('reconnecting');
    hub.reconnect();
    hub.send(events(batch.through, batch.through + 2));

    expect(hub.follows.map((f) => f.after)).toEqual([null, batch.through]);
    expect(batches.map((b) => b.map((e) => e.seq))).toEqual([batchSeqs, [batch.through + 2]]);
    expect(statuses.at(-1)?.state).toBe('live');
  });

  it('follows again from where it was when the server ends the stream on a live connection', async () => {
    const { hub } = start();
    await vi.advanceTimersByTimeAsync(0);
    hub.send(snapshotMessage());
    hub.send(batchMessage());

    hub.latest().subscriber.complete();
    // Decided on the next turn of the event loop, then retried within the first backoff step.
    await vi.advanceTimersByTimeAsync(1_500);

    expect(hub.follows.map((f) => f.after)).toEqual([null, batch.through]);
  });

  it('says offline, and since when, after 15 s without data', async () => {
    const { hub, statuses } = start();
    await vi.advanceTimersByTimeAsync(0);
    hub.send(snapshotMessage());

    hub.drop();
    await vi.advanceTimersByTimeAsync(15_000);

    const last = statuses.at(-1);
    expect(last?.state).toBe('offline');
    expect(last?.offlineSince).toBeInstanceOf(Date);
  });

  it('stops following when stopped', async () => {
    const { hub, stream, snapshots } = start();
    await vi.advanceTimersByTimeAsync(0);
    const call = hub.latest();

    await stream.stop();
    hub.send(snapshotMessage(), call);

    expect(call.disposed).toBe(true);
    expect(hub.state).toBe(HubConnectionState.Disconnected);
    expect(snapshots.length).toBeLessThanOrEqual(1);
  });
});
