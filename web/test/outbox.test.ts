import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Outbox } from '../src/field/outbox';
import { queued, type OutboxItem, type SendOutcome } from '../src/field/outboxRules';
import { postReport, reportForm } from '../src/field/sender';
import type { NewReport } from '../src/field/report';

let opened: Outbox[] = [];
afterEach(() => {
  opened.forEach((outbox) => outbox.close());
  opened = [];
});

async function open(): Promise<Outbox> {
  // A database of its own per test: the outbox lives on after a page closes, as on the phone.
  const outbox = await Outbox.open(`bousai-field-test-${crypto.randomUUID()}`);
  opened.push(outbox);
  return outbox;
}

function report(n: number): NewReport {
  return {
    clientId: `00000000-0000-4000-8000-00000000000${n}`,
    category: 'road_blocked',
    severity: 'critical',
    observedAt: '2026-12-02T09:40:00+09:00',
    longitude: 140.2,
    latitude: 38.01,
  };
}

const photo = { bytes: new Uint8Array([0xff, 0xd8, 0xff, 0xd9]).buffer, type: 'image/jpeg', width: 1600, height: 1200, preview: 'data:,' };

describe('the outbox in IndexedDB', () => {
  it('keeps an item with its photos, newest first', async () => {
    const outbox = await open();
    await outbox.add(queued(report(1), [photo], 1000));
    await outbox.add(queued(report(2), [], 2000));
    const items = await outbox.list();
    expect(items.map((i) => i.clientId)).toEqual([report(2).clientId, report(1).clientId]);
    expect(new Uint8Array(items[1].photos[0].bytes)).toEqual(new Uint8Array([0xff, 0xd8, 0xff, 0xd9]));
  });

  it('sends what waits, oldest first, and keeps the server number', async () => {
    const outbox = await open();
    await outbox.add(queued(report(1), [], 1000));
    await outbox.add(queued(report(2), [], 2000));
    const sentOrder: string[] = [];
    const post = vi.fn(async (item: OutboxItem): Promise<SendOutcome> => {
      sentOrder.push(item.clientId);
      expect(item.state).toBe('sending');
      return { kind: 'sent', reportId: sentOrder.length + 40 };
    });
    const result = await outbox.drain({ post, now: () => 5000 });
    expect(sentOrder).toEqual([report(1).clientId, report(2).clientId]);
    expect(result).toEqual({ waiting: 0, nextAttemptAt: undefined, offline: false });
    expect((await outbox.get(report(1).clientId))).toMatchObject({ state: 'sent', reportId: 41, attempts: 1 });
  });

  it('never says sent before the server answered', async () => {
    const outbox = await open();
    await outbox.add(queued(report(1), [], 1000));
    let answer!: (outcome: SendOutcome) => void;
    const drained = outbox.drain({ post: () => new Promise((resolve) => (answer = resolve)), now: () => 5000 });
    await vi.waitFor(() => expect(answer).toBeDefined());
    expect(await outbox.get(report(1).clientId)).toMatchObject({ state: 'sending' });
    answer({ kind: 'sent', reportId: 7 });
    await drained;
    expect(await outbox.get(report(1).clientId)).toMatchObject({ state: 'sent', reportId: 7 });
  });

  it('a refused item fails once and is not sent again', async () => {
    const outbox = await open();
    await outbox.add(queued(report(1), [], 1000));
    const post = vi.fn(async (): Promise<SendOutcome> => ({ kind: 'failed', problem: { status: 400, title: 'Outside the town', fields: {} } }));
    await outbox.drain({ post, now: () => 5000 });
    await outbox.drain({ post, promptly: true, now: () => 10 ** 13 });
    expect(post).toHaveBeenCalledTimes(1);
    expect(await outbox.get(report(1).clientId)).toMatchObject({ state: 'failed', attempts: 1, problem: { title: 'Outside the town' } });
  });

  it('stops at the first network failure and says when the next try is due', async () => {
    const outbox = await open();
    await outbox.add(queued(report(1), [], 1000));
    await outbox.add(queued(report(2), [], 2000));
    const post = vi.fn(async (): Promise<SendOutcome> => ({ kind: 'retry', reason: 'offline' }));
    const result = await outbox.drain({ post, now: () => 5000 });
    expect(post).toHaveBeenCalledTimes(1);
    expect(result.offline).toBe(true);
    expect(result.waiting).toBe(2);
    expect(result.nextAttemptAt).toBe(2000);
    expect(await outbox.get(report(1).clientId)).toMatchObject({ state: 'waiting', waitingReason: 'offline', attempts: 1 });
    expect((await outbox.get(report(1).clientId))!.nextAttemptAt).toBeGreaterThanOrEqual(5000 + 4000);
  });

  it('waits out the backoff unless told to send promptly', async () => {
    const outbox = await open();
    await outbox.add(queued(report(1), [], 1000));
    const post = vi.fn(async (): Promise<SendOutcome> => ({ kind: 'retry', reason: 'server_error' }));
    await outbox.drain({ post, now: () => 5000 });
    await outbox.drain({ post, now: () => 5001 });
    expect(post).toHaveBeenCalledTimes(1);
    await outbox.drain({ post, promptly: true, now: () => 5002 });
    expect(post).toHaveBeenCalledTimes(2);
  });

  it('an item claimed by another copy of the app (the service worker) is not sent twice', async () => {
    const outbox = await open();
    const other = await Outbox.open(outbox.name);
    opened.push(other);
    await outbox.add(queued(report(1), [], 1000));
    let answer!: (outcome: SendOutcome) => void;
    const first = outbox.drain({ post: () => new Promise((resolve) => (answer = resolve)), now: () => 5000 });
    await vi.waitFor(() => expect(answer).toBeDefined());
    const second = vi.fn(async (): Promise<SendOutcome> => ({ kind: 'sent', reportId: 1 }));
    await other.drain({ post: second, promptly: true, now: () => 5000 });
    expect(second).not.toHaveBeenCalled();
    answer({ kind: 'sent', reportId: 3 });
    await first;
  });

  it('after a reload, an item left sending is waiting again and is sent', async () => {
    const outbox = await open();
    await outbox.add(queued(report(1), [], 1000));
    // The page went away during the POST: the answer never came.
    void outbox.drain({ post: () => new Promise(() => undefined), now: () => 5000 });
    await vi.waitFor(async () => expect(await outbox.get(report(1).clientId)).toMatchObject({ state: 'sending' }));
    const reopened = await Outbox.open(outbox.name);
    opened.push(reopened);
    await reopened.tidy(6000);
    expect(await reopened.get(report(1).clientId)).toMatchObject({ state: 'waiting', attempts: 1 });
    const post = vi.fn(async (): Promise<SendOutcome> => ({ kind: 'sent', reportId: 9 }));
    await reopened.drain({ post, now: () => 6000 });
    expect(await reopened.get(report(1).clientId)).toMatchObject({ state: 'sent', reportId: 9, attempts: 2 });
  });

  it('an edit with a new clientId replaces the old entry', async () => {
    const outbox = await open();
    await outbox.add(queued(report(1), [], 1000));
    await outbox.update(report(1).clientId, (item) => ({ ...item, clientId: 'other', report: { ...item.report, clientId: 'other' } }));
    expect((await outbox.list()).map((i) => i.clientId)).toEqual(['other']);
  });

  it('tells its listeners of every change', async () => {
    const outbox = await open();
    const listener = vi.fn();
    const stop = outbox.onChange(listener);
    await outbox.add(queued(report(1), [], 1000));
    await outbox.remove(report(1).clientId);
    stop();
    await outbox.add(queued(report(2), [], 1000));
    expect(listener).toHaveBeenCalledTimes(2);
  });
});

describe('the POST', () => {
  it('is multipart with the report as JSON text and each photo as a JPEG file', async () => {
    const item = queued(report(1), [photo, photo], 1000);
    const form = reportForm(item);
    expect(JSON.parse(String(form.get('report')))).toEqual(report(1));
    const photos = form.getAll('photos') as File[];
    expect(photos).toHaveLength(2);
    expect(photos[1].type).toBe('image/jpeg');
    expect(photos[1].name).toBe('photo-2.jpg');
    expect(photos[0].size).toBe(4);
  });

  it('turns answers into outcomes: created, refused, and no network', async () => {
    const item = queued(report(1), [], 1000);
    const answer = (response: Response | Error) =>
      vi.stubGlobal('fetch', vi.fn(async () => {
        if (response instanceof Error) throw response;
        return response;
      }));
    answer(new Response(JSON.stringify({ reportId: 5 }), { status: 201, headers: { 'Content-Type': 'application/json' } }));
    expect(await postReport(item)).toEqual({ kind: 'sent', reportId: 5 });
    answer(new Response(JSON.stringify({ title: 'Too old', errors: { observedAt: ['older than 24 h'] } }), {
      status: 400,
      headers: { 'Content-Type': 'application/problem+json' },
    }));
    expect(await postReport(item)).toMatchObject({ kind: 'failed', problem: { status: 400, title: 'Too old', fields: { observedAt: ['older than 24 h'] } } });
    answer(new TypeError('Failed to fetch'));
    expect(await postReport(item)).toEqual({ kind: 'retry', reason: 'offline' });
    answer(new Response('busy', { status: 503 }));
    expect(await postReport(item)).toMatchObject({ kind: 'retry', reason: 'server_error' });
    answer(new Response(null, { status: 429, headers: { 'Retry-After': '12' } }));
    expect(await postReport(item)).toMatchObject({ kind: 'retry', reason: 'busy', retryAfterMs: 12_000 });
  });
});
