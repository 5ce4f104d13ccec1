// One POST of an outbox item, from the page or from the service worker: multipart with the report as JSON and the
// shrunk photos. Never throws: every way it can end is a SendOutcome (outboxRules.classify).
import { classify, type OutboxItem, type SendOutcome } from './outboxRules';

export type Post = (item: OutboxItem) => Promise<SendOutcome>;

function retryAfterSeconds(response: Response): number | undefined {
  const value = response.headers.get('Retry-After');
  if (value === null) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

/** The request body: the `report` part (JSON text, so the server's text-input rules see it) and one `photos` part per photo. */
export function reportForm(item: OutboxItem): FormData {
  const form = new FormData();
  form.append('report', JSON.stringify(item.report));
  item.photos.forEach((photo, i) => form.append('photos', new File([photo.bytes], `photo-${i + 1}.jpg`, { type: photo.type })));
  return form;
}

export const postReport: Post = async (item) => {
  let response: Response;
  try {
    // Forgery protection needs nothing more: a same-origin POST carries Origin, and the session cookie goes with it.
    response = await fetch('/api/reports', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { Accept: 'application/json, application/problem+json' },
      body: reportForm(item),
    });
  } catch {
    return classify(0, undefined);
  }
  // Sent to the sign-in page: the API answers 401 itself, but a gateway in front might not.
  if (response.redirected && new URL(response.url).pathname === '/login') return classify(401, undefined);
  let body: unknown = undefined;
  if ((response.headers.get('Content-Type') ?? '').includes('json')) {
    try {
      body = await response.json();
    } catch {
      body = undefined; // classify treats a 2xx without its report as unconfirmed
    }
  }
  return classify(response.status, body, retryAfterSeconds(response));
};
