// The observed time as crews enter it: Japan time in a datetime-local input, whatever zone the phone is set to, and
// sent with its +09:00 offset. Japan has no daylight saving, so the offset is fixed.
const jstOffsetMs = 9 * 3_600_000;

/** How far ahead of the server's clock an observed time may be (phones' clocks drift). */
export const futureSkewMs = 2 * 60_000;
/** Older than this, the server refuses the report: it is no longer news. */
export const maxAgeMs = 24 * 3_600_000;

/** "2026-12-02T09:57" for a datetime-local input, in Japan time. */
export function toJstInput(date: Date): string {
  return new Date(date.getTime() + jstOffsetMs).toISOString().slice(0, 16);
}

/** "2026-12-02T09:57:00+09:00" from what the input holds; null when it holds no complete time. */
export function fromJstInput(value: string): string | null {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(:\d{2})?$/.exec(value);
  if (!match) return null;
  const iso = `${match[1]}${match[2] ?? ':00'}+09:00`;
  return Number.isNaN(Date.parse(iso)) ? null : iso;
}

export type ObservedTimeProblem = 'missing' | 'future' | 'too_old';

/** What is wrong with an observed time the server would refuse, or null. */
export function observedTimeProblem(iso: string | null, now: Date): ObservedTimeProblem | null {
  if (iso === null) return 'missing';
  const at = Date.parse(iso);
  if (at > now.getTime() + futureSkewMs) return 'future';
  if (at < now.getTime() - maxAgeMs) return 'too_old';
  return null;
}
