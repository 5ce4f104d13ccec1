// Times as staff and residents read them: Japan time, whatever the device's own zone.
const zone = 'Asia/Tokyo';

const hourMinute = new Intl.DateTimeFormat('ja-JP', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const hourMinuteSecond = new Intl.DateTimeFormat('ja-JP', {
  timeZone: zone,
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});
const monthDay = new Intl.DateTimeFormat('ja-JP', { timeZone: zone, month: 'numeric', day: 'numeric' });
const day = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });

const toDate = (value: Date | string) => (typeof value === 'string' ? new Date(value) : value);

/** "14:05"; "5/3 14:05" when it is not today in Japan. */
export function hhmm(value: Date | string, now = new Date()): string {
  const date = toDate(value);
  const time = hourMinute.format(date);
  return day.format(date) === day.format(now) ? time : `${monthDay.format(date)} ${time}`;
}

/** "14:05:09", for the activity list. */
export function hhmmss(value: Date | string): string {
  return hourMinuteSecond.format(toDate(value));
}

/** Machine-readable form for a <time datetime>. */
export function isoTime(value: Date | string): string {
  return toDate(value).toISOString();
}
