// The rules of HQ's time bar, pure: how far back it reaches, where a moment sits on the slider, the date-time field in
// Japan time, how far one tick of play moves the moment, and the moment named in the page's address (?at=).

/** How far back the slider reaches from now; the date-time field reaches the whole record. */
export const sliderHours = 48;

/** The slider's steps, finest first: a short record gets seconds, a long one a minute a step. */
export const sliderSteps = [1_000, 10_000, 60_000] as const;

/** Most positions on the slider (48 hours of minutes). */
export const sliderMaxPositions = sliderHours * 60;

/** Play speeds: the past moves this many seconds per second. */
export const playSpeeds = [1, 10, 60, 600] as const;
export type PlaySpeed = (typeof playSpeeds)[number];

/** How often play moves the moment on. */
export const playTickMs = 1_000;

const minute = 60_000;
const jstOffsetMs = 9 * 60 * minute; // Japan has no daylight saving time

export interface SliderRange {
  /** The earliest moment on the slider: 48 hours ago, or the start of the record when that is later. */
  start: Date;
  /** Now. */
  end: Date;
  /** Slider positions from start (0) to end (`steps`), `stepMs` apart. */
  steps: number;
  stepMs: number;
}

/** The slider's reach now: the last 48 hours, never before the record begins. */
export function sliderRange(now: Date, recordStartsAt: Date | null): SliderRange {
  const back = new Date(now.getTime() - sliderHours * 60 * minute);
  const start = recordStartsAt && recordStartsAt > back ? recordStartsAt : back;
  const span = Math.max(0, now.getTime() - start.getTime());
  const stepMs = sliderSteps.find((step) => span / step <= sliderMaxPositions) ?? sliderSteps[sliderSteps.length - 1];
  return { start, end: now, steps: Math.ceil(span / stepMs), stepMs };
}

/** The slider position of a moment (clamped to the range). */
export function sliderPosition(range: SliderRange, moment: Date): number {
  const position = Math.round((moment.getTime() - range.start.getTime()) / range.stepMs);
  return Math.min(range.steps, Math.max(0, position));
}

/** The moment at a slider position; the last position is now (live). */
export function momentAt(range: SliderRange, position: number): Date {
  if (position >= range.steps) return range.end;
  return new Date(range.start.getTime() + Math.max(0, position) * range.stepMs);
}

/** Whether a slider position means live: the end of the bar. */
export function isLivePosition(range: SliderRange, position: number): boolean {
  return position >= range.steps;
}

/** A moment as an `<input type="datetime-local">` value in Japan time, to the minute: "2026-12-03T14:05". */
export function toJstField(moment: Date): string {
  return new Date(moment.getTime() + jstOffsetMs).toISOString().slice(0, 16);
}

/** An `<input type="datetime-local">` value read as Japan time; null when it is not a date and time. */
export function fromJstField(value: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!match) return null;
  const [, y, mo, d, h, mi, s] = match.map(Number);
  const utc = Date.UTC(y, mo - 1, d, h, mi, Number.isNaN(s) ? 0 : s) - jstOffsetMs;
  const date = new Date(utc);
  // Date.UTC rolls 2026-02-30 over to March: refuse what is not a real date.
  return toJstField(date).slice(0, 10) === `${match[1]}-${match[2]}-${match[3]}` ? date : null;
}

export type MomentChoice =
  | { kind: 'past'; moment: Date }
  | { kind: 'live' }
  | { kind: 'refused'; reason: 'invalid' | 'future' | 'beforeRecord' };

/** What a moment typed into the field means: a moment of the record, now (live), or why it cannot be shown. */
export function chooseMoment(value: string, now: Date, recordStartsAt: Date | null): MomentChoice {
  const moment = fromJstField(value);
  if (!moment) return { kind: 'refused', reason: 'invalid' };
  // The field is to the minute: the current minute is now.
  if (moment.getTime() > now.getTime() + minute) return { kind: 'refused', reason: 'future' };
  if (moment.getTime() > now.getTime() - minute) return { kind: 'live' };
  if (recordStartsAt && moment < recordStartsAt) return { kind: 'refused', reason: 'beforeRecord' };
  return { kind: 'past', moment };
}

/** The moment one tick of play reaches: `speed` seconds of the past per second of ticking, or live once it catches up with now. */
export function playOn(moment: Date, speed: PlaySpeed, elapsedMs: number, now: Date): Date | 'live' {
  const next = moment.getTime() + speed * elapsedMs;
  return next >= now.getTime() ? 'live' : new Date(next);
}

/** The moment named by the page's address (?at=ISO 8601), or null for live. */
export function momentFromAddress(search: string): Date | null {
  const at = new URLSearchParams(search).get('at');
  if (!at) return null;
  const moment = new Date(at);
  return Number.isNaN(moment.getTime()) ? null : moment;
}

/** The page's address for a moment (null: live), keeping the rest of the query. */
export function addressFor(search: string, moment: Date | null): string {
  const query = new URLSearchParams(search);
  if (moment) query.set('at', moment.toISOString());
  else query.delete('at');
  const text = query.toString();
  return text ? `?${text}` : '';
}
