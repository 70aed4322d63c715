// Numbers with units and magnitudes, normalised to the units problem files use.
import { describe, expect, it } from 'vitest';
import { extractQuantities, isMeaningful, type Quantity } from '../../../src/grading/evidence/numbers.js';
import { analyzeText } from '../../../src/grading/evidence/text.js';

function quantities(text: string): Quantity[] {
  return extractQuantities(analyzeText(text));
}

function only(text: string): Quantity {
  const found = quantities(text).filter((q) => q.unit !== 'none');
  expect(found, `one quantity in "${text}"`).toHaveLength(1);
  return found[0]!;
}

describe('extractQuantities', () => {
  it.each([
    ['We have 200M DAU.', 200e6, 'count', '200M DAU'],
    ['That is 23k QPS at peak.', 23_000, 'per_second', '23k QPS'],
    ['about 1.2k writes per second', 1_200, 'per_second', '1.2k writes per second'],
    ['storage grows 5 TB/yr', 5e12, 'bytes', '5 TB/yr'],
    ['reads stay under 2 ms p99', 2, 'milliseconds', '2 ms'],
    ['we create 100 million links a day', 100e6, 'per_day', '100 million links a day'],
    ['which gives 3.5 trillion codes', 3.5e12, 'count', '3.5 trillion codes'],
    ['the key space is 62^7', 62 ** 7, 'count', '62^7'],
    ['roughly 10^9 objects', 1e9, 'count', '10^9 objects'],
    ['each record is 500 bytes', 500, 'bytes', '500 bytes'],
    ['in total 90 TB', 90e12, 'bytes', '90 TB'],
    ['about 3 billion feed reads a day', 3e9, 'per_day', '3 billion feed reads a day'],
    ['1,000 requests per minute', 1000 / 60, 'per_second', '1,000 requests per minute'],
    ['2 million requests per second', 2e6, 'per_second', '2 million requests per second'],
    ['a million users', 1e6, 'count', 'a million users'],
    ['egress is 40 MB/s', 40e6, 'bytes_per_second', '40 MB/s'],
    ['1 Gbps of bandwidth', 1e9 / 8, 'bytes_per_second', '1 Gbps'],
    ['latency of 300µs', 0.3, 'milliseconds', '300µs'],
    ['we keep 100k seconds in a day', 100_000, 'seconds', '100k seconds'],
    ['reads are 100x writes', 100, 'ratio', '100x'],
    ['a 20% cache miss rate', 20, 'percent', '20%'],
  ])('%s', (text, value, unit, span) => {
    const q = only(text);
    expect(q.value).toBeCloseTo(value, 6);
    expect(q.unit).toBe(unit);
    expect(text.slice(q.start, q.end).trim()).toBe(span);
  });

  it('keeps the magnitude in `raw` for the candidate’s own arithmetic, without time conversions', () => {
    const q = only('100M writes a day');
    expect(q.raw).toBe(100e6);
    expect(q.value).toBe(100e6);
    expect(only('90 TB').raw).toBe(90e12);
  });

  it('ignores numbers inside words, versions, times of day and ordinals', () => {
    for (const text of ['p99 latency', 'base62 codes', 'S3 buckets', 'HTTP/2 push', 'meet at 10:30', 'version 1.2.3', 'the 3rd replica', '5xx errors']) {
      expect(quantities(text).filter(isMeaningful), text).toEqual([]);
    }
  });

  it('does not take HTTP status codes for counts', () => {
    expect(quantities('return 302 redirects').filter(isMeaningful)).toEqual([]);
  });

  it('a bare magnitude after a rate takes its unit ("1.2k QPS, maybe 3k at peak")', () => {
    const [average, peak] = quantities('call it 1.2k QPS average, maybe 3k at peak.');
    expect(average!.unit).toBe('per_second');
    expect(peak).toMatchObject({ unit: 'per_second', value: 3000, inherited: true });
  });

  it('marks sizes per item, which are not totals', () => {
    expect(only('assume 500 bytes per record').perItem).toBe(true);
    expect(quantities('If each key needs a counter of about 100 bytes, 50M keys is 5 GB.').map((q) => q.perItem)).toEqual([true, false, false]);
  });

  it('finds several hundred thousand as one number', () => {
    expect(only('several hundred thousand at peak').value).toBe(500_000);
  });

  it('tags each quantity with its sentence', () => {
    const found = quantities('We have 10M users. They send 2 messages per second.');
    expect(found.map((q) => q.sentence)).toEqual([0, 1]);
  });
});
