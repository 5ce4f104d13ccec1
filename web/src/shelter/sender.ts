// One POST of a count batch. Never throws: every way it can end is a SendOutcome (queueRules.classify).
import type { PostCount } from './queue';
import { classify } from './queueRules';

function retryAfterSeconds(response: Response): number | undefined {
  const value = response.headers.get('Retry-After');
  if (value === null) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

export const postCount: PostCount = async (batch) => {
  let response: Response;
  try {
    // Forgery protection needs nothing more: a same-origin POST carries Origin, and the session cookie goes with it.
    response = await fetch(`/api/shelters/${encodeURIComponent(batch.shelterId)}/count`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { Accept: 'application/json, application/problem+json', 'Content-Type': 'application/json' },
      body: JSON.stringify({ clientId: batch.clientId, delta: batch.delta }),
    });
  } catch {
    return classify(0, undefined);
  }
  if (response.redirected && new URL(response.url).pathname === '/login') return classify(401, undefined);
  let body: unknown = undefined;
  if ((response.headers.get('Content-Type') ?? '').includes('json')) {
    try {
      body = await response.json();
    } catch {
      body = undefined;
    }
  }
  return classify(response.status, body, retryAfterSeconds(response));
};
