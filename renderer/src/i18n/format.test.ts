import { describe, expect, it } from 'vitest';
import { createFormatters } from './format';

describe('createFormatters', () => {
  const en = createFormatters('en');
  const zh = createFormatters('zh-TW');

  it('groups numbers by locale', () => {
    expect(en.number(69620)).toBe('69,620');
    expect(zh.number(69620)).toBe('69,620');
  });

  it('scales bytes to decimal units', () => {
    expect(en.bytes(999)).toBe('999 byte');
    expect(en.bytes(1500)).toBe('1.5 kB');
    expect(en.bytes(7_588_951)).toBe('7.6 MB');
  });

  it('formats durations from milliseconds', () => {
    expect(en.duration(4_400)).toBe('4 sec');
    expect(en.duration(65_000)).toBe('1 min 5 sec');
    expect(en.duration(3_725_000)).toBe('1 hr 2 min 5 sec');
    expect(en.duration(-20)).toBe('0 sec');
  });

  it('shows event dates in UTC', () => {
    // 2052-01-01T00:00:00Z; a local time zone west of UTC would show 31 Dec 2051.
    expect(en.eventDate(2_587_680_000)).toBe('Jan 1, 2052');
  });
});
