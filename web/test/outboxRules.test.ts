import { describe, expect, it } from 'vitest';
import {
  backoffMs,
  canMove,
  claim,
  classify,
  isDue,
  queued,
  recovered,
  resent,
  settle,
  type OutboxItem,
  type OutboxState,
} from '../src/field/outboxRules';
import type { NewReport } from '../src/field/report';

const report: NewReport = {
  clientId: '7d1f7c52-34b4-4a59-9d1a-6a3c1f1f0a01',
  category: 'flooding',
  severity: 'serious',
  description: '県道が冠水',
  observedAt: '2026-12-02T09:40:00+09:00',
  longitude: 140.2012,
  latitude: 38.0105,
  accuracyMetres: 35,
};
const t0 = 1_800_000_000_000;
const middle = () => 0.5; // no jitter

function sending(attempts = 1): OutboxItem {
  return claim({ ...queued(report, [], t0), attempts: attempts - 1 }, t0);
}

describe('outbox moves', () => {
  const table: Array<[OutboxState, OutboxState, boolean]> = [
    ['waiting', 'sending', true],
    ['waiting', 'sent', true],
    ['waiting', 'failed', false],
    ['sending', 'sent', true],
    ['sending', 'failed', true],
    ['sending', 'waiting', true],
    ['failed', 'waiting', true],
    ['failed', 'sending', false],
    ['failed', 'sent', false],
    ['sent', 'waiting', false],
    ['sent', 'sending', false],
    ['sent', 'failed', false],
  ];
  it.each(table)('%s → %s allowed: %s', (from, to, allowed) => {
    expect(canMove(from, to)).toBe(allowed);
  });

  it('a new item waits, due at once, without attempts', () => {
    const item = queued(report, [], t0);
    expect(item).toMatchObject({ clientId: report.clientId, state: 'waiting', attempts: 0, nextAttemptAt: t0 });
    expect(isDue(item, t0)).toBe(true);
  });

  it('claiming counts an attempt and marks when sending began', () => {
    expect(claim(queued(report, [], t0), t0 + 5)).toMatchObject({ state: 'sending', attempts: 1, sendingSince: t0 + 5 });
  });

  it('only a waiting item can be claimed', () => {
    expect(() => claim(sending(), t0)).toThrow(/sending → sending/);
  });

  it('a confirmation makes it sent with the server number', () => {
    const item = settle(sending(), 1, { kind: 'sent', reportId: 42 }, t0 + 100);
    expect(item).toMatchObject({ state: 'sent', reportId: 42, sentAt: t0 + 100 });
    expect(item.sendingSince).toBeUndefined();
  });

  it('a confirmation counts even when the item was reset to waiting meanwhile', () => {
    const reset = recovered(sending(), t0 + 10);
    expect(settle(reset, 1, { kind: 'sent', reportId: 42 }, t0 + 20)).toMatchObject({ state: 'sent', reportId: 42 });
  });

  it('a refusal makes it failed with the problem, and it is no longer due', () => {
    const problem = { status: 400, title: 'Invalid report', fields: { latitude: ['outside the town'] } };
    const item = settle(sending(), 1, { kind: 'failed', problem }, t0 + 100);
    expect(item).toMatchObject({ state: 'failed', problem, attempts: 1 });
    expect(isDue(item, t0 + 10 ** 9, true)).toBe(false);
  });

  it('a temporary failure waits with backoff and says why', () => {
    const item = settle(sending(3), 3, { kind: 'retry', reason: 'server_error' }, t0, middle);
    expect(item).toMatchObject({ state: 'waiting', waitingReason: 'server_error', attempts: 3, nextAttemptAt: t0 + 20_000 });
    expect(isDue(item, t0 + 19_999)).toBe(false);
    expect(isDue(item, t0 + 19_999, true)).toBe(true);
    expect(isDue(item, t0 + 20_000)).toBe(true);
  });

  it('a Retry-After longer than the backoff is respected', () => {
    expect(settle(sending(), 1, { kind: 'retry', reason: 'busy', retryAfterMs: 60_000 }, t0, middle).nextAttemptAt).toBe(t0 + 60_000);
  });

  it('an answer to an attempt that is no longer current changes nothing', () => {
    const item = sending(2);
    expect(settle(item, 1, { kind: 'failed', problem: { status: 400, fields: {} } }, t0)).toBe(item);
    const reset = recovered(item, t0);
    expect(settle(reset, 2, { kind: 'retry', reason: 'offline' }, t0)).toBe(reset);
  });

  it('a send cut off by a reload goes back to waiting, due at once', () => {
    expect(recovered(sending(), t0 + 7)).toMatchObject({ state: 'waiting', nextAttemptAt: t0 + 7, attempts: 1 });
    const waiting = queued(report, [], t0);
    expect(recovered(waiting, t0)).toBe(waiting);
  });

  it('an edited failed item waits again under its clientId, attempts from zero', () => {
    const failed = settle(sending(), 1, { kind: 'failed', problem: { status: 400, fields: {} } }, t0);
    const { clientId: _, ...content } = { ...report, latitude: 38.02 };
    const item = resent(failed, content, [], t0 + 1, () => 'new-id');
    expect(item).toMatchObject({ state: 'waiting', clientId: report.clientId, attempts: 0, problem: undefined });
    expect(item.report).toMatchObject({ clientId: report.clientId, latitude: 38.02 });
  });

  it('after a 409 the edited item is a new report with a new clientId', () => {
    const failed = settle(sending(), 1, { kind: 'failed', problem: { status: 409, fields: {} } }, t0);
    const { clientId: _, ...content } = report;
    const item = resent(failed, content, [], t0 + 1, () => 'new-id');
    expect(item.clientId).toBe('new-id');
    expect(item.report.clientId).toBe('new-id');
  });

  it('sent and waiting items cannot be resent', () => {
    const { clientId: _, ...content } = report;
    expect(() => resent(queued(report, [], t0), content, [], t0, () => 'x')).toThrow();
  });
});

describe('backoff', () => {
  it.each([
    [1, 5_000],
    [2, 10_000],
    [3, 20_000],
    [6, 160_000],
    [8, 600_000],
    [30, 600_000],
  ])('after %i attempts waits %i ms (without jitter)', (attempts, ms) => {
    expect(backoffMs(attempts, middle)).toBe(ms);
  });

  it('jitters by at most 20 %', () => {
    expect(backoffMs(2, () => 0)).toBe(8_000);
    expect(backoffMs(2, () => 1)).toBe(12_000);
  });
});

describe('what an answer means', () => {
  const problem = { title: 'Invalid report', detail: 'Check the fields', errors: { latitude: ['outside the town'], 'photos[2]': 'not an image' } };

  it.each([
    [201, { reportId: 12 }],
    [200, { reportId: 12 }],
  ])('%i with the report is sent', (status, body) => {
    expect(classify(status, body)).toEqual({ kind: 'sent', reportId: 12 });
  });

  it.each([
    [200, undefined],
    [201, { reportId: '12' }],
    [200, '<html>'],
  ])('%i without a report number confirms nothing: retry', (status, body) => {
    expect(classify(status, body)).toMatchObject({ kind: 'retry', reason: 'server_error' });
  });

  it.each([400, 403, 404, 409, 413, 415, 422])('%i is a refusal: failed with the server reason, not retried', (status) => {
    expect(classify(status, problem)).toEqual({
      kind: 'failed',
      problem: {
        status,
        title: 'Invalid report',
        detail: 'Check the fields',
        fields: { latitude: ['outside the town'], 'photos[2]': ['not an image'] },
      },
    });
  });

  it('401 waits for a new sign-in', () => {
    expect(classify(401, { title: 'Sign-in required' })).toMatchObject({ kind: 'retry', reason: 'signed_out' });
  });

  it.each([408, 429])('%i is busy: retry later', (status) => {
    expect(classify(status, undefined, 30)).toMatchObject({ kind: 'retry', reason: 'busy', retryAfterMs: 30_000 });
  });

  it.each([500, 502, 503, 504])('%i is the server: retry later', (status) => {
    expect(classify(status, undefined)).toMatchObject({ kind: 'retry', reason: 'server_error' });
  });

  it('no answer at all is offline', () => {
    expect(classify(0, undefined)).toEqual({ kind: 'retry', reason: 'offline' });
  });

  it('a refusal without problem details still fails, with its status', () => {
    expect(classify(400, 'plain text')).toEqual({ kind: 'failed', problem: { status: 400, fields: {} } });
  });
});
