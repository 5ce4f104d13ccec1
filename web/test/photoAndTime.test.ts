import { describe, expect, it } from 'vitest';
import { fromJstInput, observedTimeProblem, toJstInput } from '../src/field/observedTime';
import { shrunkSize } from '../src/field/photoSize';

describe('photo size on the phone', () => {
  it.each([
    [4032, 3024, 1600, 1200],
    [3024, 4032, 1200, 1600],
    [1600, 900, 1600, 900],
    [800, 600, 800, 600],
    [6000, 1000, 1600, 267],
    [1601, 1601, 1600, 1600],
    [20000, 10, 1600, 1],
  ])('%i×%i is sent as %i×%i', (width, height, w, h) => {
    expect(shrunkSize(width, height)).toEqual({ width: w, height: h });
  });

  it('refuses an image without a size', () => {
    expect(() => shrunkSize(0, 100)).toThrow(RangeError);
  });

  it('makes previews with their own long side', () => {
    expect(shrunkSize(4032, 3024, 240)).toEqual({ width: 240, height: 180 });
  });
});

describe('observed time in Japan time', () => {
  it('shows an instant as Japan time whatever the zone', () => {
    expect(toJstInput(new Date('2026-12-02T00:57:30Z'))).toBe('2026-12-02T09:57');
    expect(toJstInput(new Date('2026-12-01T15:30:00Z'))).toBe('2026-12-02T00:30');
  });

  it('sends what was entered with +09:00', () => {
    expect(fromJstInput('2026-12-02T09:57')).toBe('2026-12-02T09:57:00+09:00');
    expect(fromJstInput('2026-12-02T09:57:10')).toBe('2026-12-02T09:57:10+09:00');
    expect(Date.parse(fromJstInput(toJstInput(new Date('2026-12-02T00:57:00Z')))!)).toBe(Date.parse('2026-12-02T00:57:00Z'));
  });

  it.each(['', '2026-12-02', '2026-13-02T09:57', 'yesterday'])('%j is no time', (value) => {
    expect(fromJstInput(value)).toBeNull();
  });

  const now = new Date('2026-12-02T01:00:00Z');
  it.each([
    ['2026-12-02T10:00:00+09:00', null],
    ['2026-12-02T10:02:00+09:00', null],
    ['2026-12-02T10:03:00+09:00', 'future'],
    ['2026-12-01T10:01:00+09:00', null],
    ['2026-12-01T09:59:00+09:00', 'too_old'],
  ])('%s: %s', (iso, problem) => {
    expect(observedTimeProblem(iso, now)).toBe(problem);
  });

  it('a missing time is a problem', () => {
    expect(observedTimeProblem(null, now)).toBe('missing');
  });
});
