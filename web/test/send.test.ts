import { describe, expect, it, vi } from 'vitest';
import { send } from '../src/core/send';
import { problem400 } from './fixtures';

const path = '/api/districts/{districtId}/evacuation-level' as const;
const decision = { level: 4, decidedBy: '本部長', reason: '最上川の水位が氾濫危険水位を超えた' };

function answer(status: number, body?: unknown, headers: Record<string, string> = {}) {
  const fetch = vi.fn(async (_url: string, _init?: RequestInit) => {
    const type = status >= 400 ? 'application/problem+json' : 'application/json';
    return new Response(body === undefined ? null : JSON.stringify(body), {
      status,
      headers: body === undefined ? headers : { 'Content-Type': type, ...headers },
    });
  });
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

const issue = () => send('put', path, { districtId: 'district-yashiro' }, decision);

describe('send()', () => {
  it('puts JSON to the filled-in path with the session cookie, and returns the answer on 200', async () => {
    const fetch = answer(200, { districtId: 'district-yashiro', level: 4, issuedAt: '2026-08-03T05:42:00Z', decidedBy: '本部長', enteredBy: 'hq' });

    const result = await issue();

    expect(result).toMatchObject({ ok: true, status: 200, value: { level: 4, enteredBy: 'hq' } });
    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe('/api/districts/district-yashiro/evacuation-level');
    expect(init).toMatchObject({ method: 'PUT', credentials: 'same-origin' });
    expect(new Headers(init?.headers).get('Content-Type')).toBe('application/json');
    expect(JSON.parse(String(init?.body))).toEqual(decision);
  });

  it('returns the created resource on 201', async () => {
    answer(201, { alertId: 9, kind: 'manual', message: '見回り', status: 'raised', raisedAt: '2026-08-03T05:42:00Z' });

    const result = await send('post', '/api/alerts', {}, { kind: 'manual', level: null, districtId: null, message: '見回り' });

    expect(result).toMatchObject({ ok: true, status: 201, value: { alertId: 9 } });
  });

  it('escapes path parameters', async () => {
    const fetch = answer(200, {});

    await send('put', path, { districtId: 'a/b c' }, decision);

    expect(fetch.mock.calls[0][0]).toBe('/api/districts/a%2Fb%20c/evacuation-level');
  });

  it('maps a 400 validation problem to messages by field name', async () => {
    const problem = problem400();
    answer(400, problem);

    const result = await issue();

    expect(Object.keys(problem.errors)).toContain('reason');
    expect(result).toMatchObject({ ok: false, kind: 'invalid', status: 400, title: problem.title, fields: problem.errors });
  });

  it.each([
    [401, 'signed_out'],
    [403, 'forbidden'],
    [404, 'not_found'],
    [409, 'conflict'],
    [500, 'server'],
  ] as const)('maps %i to %s, with the problem detail', async (status, kind) => {
    answer(status, { title: 'Refused', status, detail: `because ${status}` });

    const result = await issue();

    expect(result).toMatchObject({ ok: false, kind, status, title: 'Refused', detail: `because ${status}`, fields: {} });
  });

  it('maps a 401 without a body (the cookie handler answers with none)', async () => {
    answer(401);

    expect(await issue()).toMatchObject({ ok: false, kind: 'signed_out', status: 401, fields: {} });
  });

  it('maps 429 and reads Retry-After', async () => {
    answer(429, { title: 'Too many requests', status: 429 }, { 'Retry-After': '30' });

    expect(await issue()).toMatchObject({ ok: false, kind: 'rate_limited', status: 429, retryAfterSeconds: 30 });
  });

  it('sends a file (a JMA telegram) as it is, as XML', async () => {
    const fetch = answer(201, { outcome: 'recorded', warnings: [] });
    const telegram = new File(['<Report/>'], 'telegram.xml', { type: 'text/xml' });

    const result = await send('post', '/api/official-warnings/telegrams', {}, telegram);

    expect(result).toMatchObject({ ok: true, status: 201, value: { outcome: 'recorded' } });
    const [, init] = fetch.mock.calls[0];
    expect(new Headers(init?.headers).get('Content-Type')).toBe('application/xml');
    expect(init?.body).toBe(telegram);
  });

  it('reports a network failure instead of throwing', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));

    expect(await issue()).toEqual({ ok: false, kind: 'network', status: 0, detail: 'Failed to fetch', fields: {} });
  });
});
