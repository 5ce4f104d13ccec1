import { describe, expect, it } from 'vitest';
import {
  addressFor,
  chooseMoment,
  fromJstField,
  isLivePosition,
  momentAt,
  momentFromAddress,
  playOn,
  sliderPosition,
  sliderRange,
  toJstField,
} from '../src/hq/timeline';

const now = new Date('2026-12-03T05:00:00Z'); // 14:00 JST
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);

describe('the slider', () => {
  it.each([
    ['no record yet: the last 48 hours by the minute', null, hoursAgo(48), 48 * 60, 60_000],
    ['a record older than 48 hours: the last 48 hours', hoursAgo(500), hoursAgo(48), 48 * 60, 60_000],
    ['a record of 9 hours: by the minute', hoursAgo(9), hoursAgo(9), 9 * 60, 60_000],
    ['a record of 7 hours: by 10 seconds', hoursAgo(7), hoursAgo(7), 7 * 360, 10_000],
    ['a record of 90 seconds: by the second', new Date(now.getTime() - 90_000), new Date(now.getTime() - 90_000), 90, 1_000],
  ])('%s', (_, startsAt, start, steps, stepMs) => {
    const range = sliderRange(now, startsAt);
    expect(range.start).toEqual(start);
    expect(range.end).toEqual(now);
    expect(range.stepMs).toBe(stepMs);
    expect(range.steps).toBe(steps);
  });

  it('puts a moment at its minute and reads it back; the end is live', () => {
    const range = sliderRange(now, null);
    const moment = hoursAgo(5);
    const position = sliderPosition(range, moment);
    expect(position).toBe(43 * 60);
    expect(momentAt(range, position)).toEqual(moment);
    expect(isLivePosition(range, position)).toBe(false);
    expect(isLivePosition(range, range.steps)).toBe(true);
    expect(momentAt(range, range.steps)).toEqual(now);
  });

  it.each([
    ['before the range: the start', hoursAgo(100), 0],
    ['after now: the end', new Date(now.getTime() + 3_600_000), 48 * 60],
  ])('clamps a moment %s', (_, moment, position) => {
    expect(sliderPosition(sliderRange(now, null), moment)).toBe(position);
  });
});

describe('the date-time field in Japan time', () => {
  it.each([
    ['2026-12-03T14:00', '2026-12-03T05:00:00.000Z'],
    ['2026-12-03T08:59', '2026-12-02T23:59:00.000Z'],
    ['2026-01-01T00:00', '2025-12-31T15:00:00.000Z'],
    ['2026-12-03T14:00:30', '2026-12-03T05:00:30.000Z'],
  ])('reads %s as %s', (field, iso) => {
    expect(fromJstField(field)?.toISOString()).toBe(iso);
  });

  it.each(['', 'yesterday', '2026-02-30T10:00', '2026-13-01T10:00', '2026-12-03 14:00x'])('refuses %j', (field) => {
    expect(fromJstField(field)).toBeNull();
  });

  it('writes a moment as the field shows it, whatever the device zone', () => {
    expect(toJstField(new Date('2026-12-02T23:59:40Z'))).toBe('2026-12-03T08:59');
  });

  it.each([
    ['an hour ago', '2026-12-03T13:00', null, { kind: 'past', moment: hoursAgo(1) }],
    ['this minute', '2026-12-03T14:00', null, { kind: 'live' }],
    ['tomorrow', '2026-12-04T14:00', null, { kind: 'refused', reason: 'future' }],
    ['before the record', '2026-12-03T10:00', hoursAgo(2), { kind: 'refused', reason: 'beforeRecord' }],
    ['nonsense', 'soon', null, { kind: 'refused', reason: 'invalid' }],
  ])('chooses %s', (_, field, startsAt, choice) => {
    expect(chooseMoment(field, now, startsAt)).toEqual(choice);
  });
});

describe('playing forward', () => {
  it.each([
    [1, 1_000, '2026-12-03T04:00:01.000Z'],
    [60, 1_000, '2026-12-03T04:01:00.000Z'],
    [600, 2_000, '2026-12-03T04:20:00.000Z'],
  ] as const)('at ×%i a tick of %i ms moves to %s', (speed, elapsed, iso) => {
    expect(playOn(hoursAgo(1), speed, elapsed, now)).toEqual(new Date(iso));
  });

  it('reaches live once it catches up with now', () => {
    expect(playOn(new Date(now.getTime() - 30_000), 60, 1_000, now)).toBe('live');
  });
});

describe('the address', () => {
  it('names the moment shown and keeps the rest of the query', () => {
    const search = addressFor('?layer=shelters', hoursAgo(1));
    expect(search).toBe('?layer=shelters&at=2026-12-03T04%3A00%3A00.000Z');
    expect(momentFromAddress(search)).toEqual(hoursAgo(1));
    expect(addressFor(search, null)).toBe('?layer=shelters');
    expect(addressFor('?at=x', null)).toBe('');
  });

  it.each(['', '?at=', '?at=not-a-date'])('is live for %j', (search) => {
    expect(momentFromAddress(search)).toBeNull();
  });
});
