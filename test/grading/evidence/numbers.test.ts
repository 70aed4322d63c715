// Numbers with units and magnitudes, normalised to the units problem files use.
import { describe, expect, it } from 'vitest';
import { DIGITS, digitRuns, extractQuantities, isMeaningful, isSpaceCode, type Quantity } from '../../../src/reading/numbers.js';
import { analyzeText } from '../../../src/reading/text.js';
import { Vocabulary } from '../../../src/reading/vocabulary.js';

const vocabulary = new Vocabulary();

function quantities(text: string): Quantity[] {
  return extractQuantities(analyzeText(text, vocabulary));
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

// The hand-written readers of numbers and suffixes must read exactly what the regex grammar
// reads. Expected values were recorded from the regex-only implementation.
describe('fast paths read what the regexes read', () => {
  it.each([
    ["1,200 users", ["1,200 users|count|1200|users|"]],
    ["1,2345 rows", ["1,234|none|1234||"]],
    ["12,345,678.9 bytes", ["12,345,678.9 bytes|bytes|12345678.9||"]],
    ["1234,567 keys", ["1234|none|1234||", "567 keys|count|567|keys|"]],
    [".5 ms", [".5 ms|milliseconds|0.5||"]],
    ["x.5 ms", []],
    ["1e9 requests", ["1e9 requests|count|1000000000|requests|"]],
    ["1e123", ["1e12|none|1000000000000||"]],
    ["1.5e10", ["1.5e10|none|15000000000||"]],
    ["62^7 codes", ["62^7 codes|count|3521614606208|codes|"]],
    ["2**32 ids", ["2**32 ids|count|4294967296|ids|"]],
    ["2 ^ 10", ["2 ^ 10|count|1024||"]],
    ["2^1000", ["2^100|count|1.2676506002282294e+30||"]],
    ["p99 at 20 ms", ["20 ms|milliseconds|20||"]],
    ["base62 of 7 chars", ["7 chars|count|7|chars|"]],
    ["HTTP/2 and 100M/100k", ["100M|count|100000000||", "100k|count|100000||"]],
    ["meet at 10:30", []],
    ["version 1.2.3", []],
    ["3 M users", ["3 M users|count|3000000|users|"]],
    ["3 m users", ["3|none|3|m|"]],
    ["3m users", ["3m users|count|3000000|users|"]],
    ["3M2", []],
    ["3 MM", ["3 MM|count|3000000||"]],
    ["5 TB/yr", ["5 TB/yr|bytes|5000000000000||year"]],
    ["5 TB / yr", ["5 TB / yr|bytes|5000000000000||year"]],
    ["5  TB", ["5|none|5|tb|"]],
    ["5\tTB", ["5\tTB|bytes|5000000000000||"]],
    ["5\nTB", ["5|none|5||"]],
    ["1 Gbps", ["1 Gbps|bytes_per_second|125000000||"]],
    ["2 kbps", ["2 kbps|bytes_per_second|250||"]],
    ["two billion", ["two billion|count|2000000000||"]],
    ["a million users", ["a million users|count|1000000|users|"]],
    ["several hundred thousand at peak", ["several hundred thousand|count|500000||"]],
    ["500 bytes per record", ["500 bytes per record|bytes|500|||item"]],
    ["each key needs 100 bytes", ["100 bytes|bytes|100|||item"]],
    ["100 bytes each", ["100 bytes each|bytes|100|||item"]],
    ["50 GB a day", ["50 GB a day|bytes|50000000000||day"]],
    ["18 TB a year", ["18 TB a year|bytes|18000000000000||year"]],
    ["46k QPS", ["46k QPS|per_second|46000|qps|second"]],
    ["46k qps/s", ["46k qps|per_second|46000|qps|second"]],
    ["300 requests/sec", ["300 requests/sec|per_second|300|requests/sec|second"]],
    ["300 requests/secs", ["300 requests/secs|per_second|300|requests|second"]],
    ["10 reads/s", ["10 reads/s|per_second|10|reads/s|second"]],
    ["5 msgs/sec", ["5 msgs/sec|per_second|5|msgs/sec|second"]],
    ["2 ms", ["2 ms|milliseconds|2||"]],
    ["300µs", ["300µs|milliseconds|0.3||"]],
    ["300 µs", ["300 µs|milliseconds|0.3||"]],
    ["5 us", ["5 us|milliseconds|0.005||"]],
    ["3 ns", ["3 ns|milliseconds|0.000003||"]],
    ["100k seconds", ["100k seconds|seconds|100000||second"]],
    ["5 years", ["5 years|seconds|157680000||year"]],
    ["3 days", ["3 days|seconds|259200||day"]],
    ["4 billion requests a day", ["4 billion requests a day|per_day|4000000000|requests|day"]],
    ["1.2k writes per second", ["1.2k writes per second|per_second|1200|writes|second"]],
    ["3 billion feed reads a day", ["3 billion feed reads a day|per_day|3000000000|reads|day"]],
    ["100 new links every second", ["100 new links every second|per_second|100|links|second"]],
    ["7 characters", ["7 characters|count|7|characters|"]],
    ["100x", ["100x|ratio|100||"]],
    ["10 x 20", ["10|none|10||", "20|none|20||"]],
    ["3×", ["3×|ratio|3||"]],
    ["20%", ["20%|percent|20||"]],
    ["20 percent", ["20 percent|percent|20||"]],
    ["20 Percent", ["20|none|20|percent|"]],
    ["302 redirects", ["302|none|302|redirects|"]],
    ["404 page", ["404|none|404|page|"]],
    ["5xx errors", []],
    ["3rd replica", []],
    ["2nd", []],
    ["100M DAU", ["100M DAU|count|100000000|dau|"]],
    ["100 to 1", ["100|none|100||", "1|none|1||"]],
    ["5 TBé", ["5|none|5|tbé|"]],
    ["3 M’s", ["3 M|count|3000000||"]],
    ["100 café users", ["100|none|100|café|"]],
    ["2 MB", ["2|none|2||"]],
    ["10 ms", ["10|none|10||"]],
    ["100 it’s", ["100|none|100|it's|"]],
    ["100 it's fine", ["100|none|100|it's|"]],
    ["100 is a lot", ["100|none|100||"]],
    ["100 ax per day", ["100 ax per day|per_day|100|ax|day"]],
    ["3 per-day", ["3|none|3|per-day|"]],
    ["7 a-day", ["7|none|7|a-day|"]],
    ["1.2k QPS average, maybe 3k at peak", ["1.2k QPS|per_second|1200|qps|second", "3k|per_second|3000||second"]],
    ["9 K", ["9 K|count|9000||"]],
    ["9 K", ["9 K|count|9000||"]],
    ["5 exabytes", ["5 exabytes|bytes|5000000000000000000||"]],
    ["5 Kib", ["5 Kib|bytes|5000||"]],
    ["5 Megabytes/s", ["5 Megabytes/s|bytes_per_second|5000000||second"]],
    ["12 wk", ["12|none|12|wk|"]],
    ["12 per wk", ["12 per wk|per_day|1.7142857142857142||week"]],
    ["8 rec_1 per day", ["8|none|8|rec|"]],
    ["4 don’t per day", ["4 don’t per day|per_day|4|don’t|day"]],
    ["6 naïve users per day", ["6 naïve users per day|per_day|6|users|day"]],
  ])('%j', (text, expected) => {
    const found = quantities(text).map(
      (q) => `${text.slice(q.start, q.end)}|${q.unit}|${q.value}|${q.noun ?? ''}|${q.per ?? ''}${q.perItem ? '|item' : ''}`,
    );
    expect(found).toEqual(expected);
  });

  it('isSpaceCode is \\s', () => {
    const wrong: string[] = [];
    for (let c = 0; c < 0x10000; c++) if (isSpaceCode(c) !== /\s/.test(String.fromCharCode(c))) wrong.push(c.toString(16));
    expect(wrong).toEqual([]);
  });

  it('digitRuns finds the DIGITS matches, with their values', () => {
    // Seeded, so the strings are the same every run.
    let seed = 12345;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const alphabet = '0123456789012345678,,..^^**ee  \t\u00a0\nxkM/:_é';
    for (let n = 0; n < 3000; n++) {
      let text = '';
      const length = 1 + Math.floor(random() * 24);
      for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)];
      const expected: { start: number; pos: number; base: number; power: boolean }[] = [];
      const re = new RegExp(DIGITS.source, 'g');
      for (let m = re.exec(text); m !== null; m = re.exec(text)) {
        const base = Number(m[1]!.replace(/,/g, ''));
        expected.push({ start: m.index, pos: m.index + m[0].length, base: m[2] === undefined ? base : Math.pow(base, Number(m[2])), power: m[2] !== undefined });
      }
      expect(digitRuns(text), JSON.stringify(text)).toEqual(expected);
    }
  });
});

// Issue 12: "500B" next to byte units is 500 bytes, not 500 billion; "3B requests" and "$2B" stay billions.
describe('"B" after a number: bytes or billion', () => {
  function figure(text: string, written: string): Quantity {
    const q = quantities(text).find((x) => text.slice(x.start, x.end).trim().startsWith(written));
    expect(q, `"${written}" in "${text}"`).toBeDefined();
    return q!;
  }

  it.each([
    ['20M × 500B ≈ 10 GB', '500B'],
    ['20M × 500 B = 10 GB', '500 B'],
    ['20M users times 500B is 10 GB.', '500B'],
    ['Each record is 500B, so 1B records is 500 GB.', '500B'],
    ['Assume 500B per record.', '500B'],
    ['Rows are about 200B each.', '200B'],
  ])('%s: %s is bytes', (text, written) => {
    const q = figure(text, written);
    expect(q.unit).toBe('bytes');
    expect(q.raw).toBe(Number(written.replace(/\D/g, '')));
  });

  it.each([
    ['We get 3B requests a day.', '3B', 3e9, 'per_day'],
    ['Revenue is $2B, and the archive is 5 TB.', '2B', 2e9, 'count'],
    ['1 KB × 1B = 1 TB', '1B', 1e9, 'count'],
    ['1B × 1 KB = 1 TB', '1B', 1e9, 'count'],
    ['Each record is 500 bytes, so 1B records is 500 GB.', '1B', 1e9, 'count'],
    ['We serve 5B a day.', '5B', 5e9, 'per_day'],
    ['The keyspace is 3.5B.', '3.5B', 3.5e9, 'count'],
  ])('%s: %s is a billion', (text, written, value, unit) => {
    const q = figure(text, written);
    expect(q.unit).toBe(unit);
    expect(q.raw).toBe(value);
  });

  it('reads "US" as a word, not microseconds, and common misspellings of magnitudes', () => {
    expect(quantities('with a 60/40 US/EU split').map((q) => q.unit)).toEqual(['none', 'none']);
    expect(only('latency 5 us')).toMatchObject({ unit: 'milliseconds', value: 0.005 });
    expect(quantities('so roughly 8,000 H100s at peak').map((q) => q.unit)).toEqual(['none']);
    expect(only('posts: 300 milion a day')).toMatchObject({ unit: 'per_day', value: 3e8 });
    expect(only('about 2 bilion requests a day')).toMatchObject({ unit: 'per_day', value: 2e9 });
  });

  it('a figure that starts a product does not take the unit of the figure before it', () => {
    const found = quantities('If a message with its reply is about 3 KB, 300 million times 3 KB is 900 GB a day.');
    expect(found.map((q) => [q.unit, q.raw, q.perItem])).toEqual([
      ['bytes', 3000, true],
      ['count', 3e8, false],
      ['bytes', 3000, false],
      ['bytes', 9e11, false],
    ]);
    // "1.2k QPS average, maybe 3k at peak" still inherits.
    expect(quantities('call it 1.2k QPS average, maybe 3k at peak.')[1]).toMatchObject({ unit: 'per_second', inherited: true });
  });

  it('a size after "a message … is" is per item; a total after "a message queue holds" is not', () => {
    expect(only('a message with its reply is about 3 KB').perItem).toBe(true);
    expect(only('A message queue holds 500 GB.').perItem).toBe(false);
    expect(only('A key-value store needs 5 GB.').perItem).toBe(false);
  });

  it('a size written "500B each" is per item, and "each" then belongs to it, not to the total after it', () => {
    const found = quantities('20M users × 500B each ≈ 10 GB.');
    expect(found.map((q) => [q.unit, q.perItem])).toEqual([
      ['count', false],
      ['bytes', true],
      ['bytes', false],
    ]);
  });
});
