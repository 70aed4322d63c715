// Hand-written helpers in numbers.ts against the expressions they replace.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatNumber, formatQuantity, lastWord } from '../../../src/reading/numbers.js';
import { analyzeText, docLowerCase, sliceableLowerCase } from '../../../src/reading/text.js';
import { Vocabulary } from '../../../src/reading/vocabulary.js';

const vocabulary = new Vocabulary();

/** Characters where the fast paths could differ: blanks of every kind, case-sensitive letters, surrogates. */
const tricky = fc.constantFrom(
  ' ', '\t', '\n', '\r', '\v', '\f', '\u00a0', '\u1680', '\u2003', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff', '\u200b',
  'a', 'B', 'z', 'Q', '1', '.', "'", '’', '-', 'İ', 'ı', 'Σ', 'σ', 'ς', 'Ä', 'ẞ', 'ß', 'Ǆ', 'ǅ', 'Ω', 'K', 'µ', '×',
  '\ud801', '\udc00', '\ud801\udc00', '\ud83d\ude00',
);
const text = fc.array(fc.oneof(tricky, fc.string({ maxLength: 3 })), { maxLength: 30 }).map((parts) => parts.join(''));

/** Old formatNumber, with its per-call unit table. */
function formatNumberOld(value: number): string {
  const abs = Math.abs(value);
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [size, suffix] of units) {
    if (abs >= size) {
      const v = value / size;
      return `${v >= 100 ? Math.round(v) : Number(v.toPrecision(2))}${suffix}`;
    }
  }
  if (abs >= 100) return String(Math.round(value));
  return String(Number(value.toPrecision(2)));
}

function formatBytesOld(value: number): string {
  const units: [number, string][] = [
    [1e18, 'EB'],
    [1e15, 'PB'],
    [1e12, 'TB'],
    [1e9, 'GB'],
    [1e6, 'MB'],
    [1e3, 'KB'],
  ];
  for (const [size, suffix] of units) {
    if (Math.abs(value) >= size) return `${Number((value / size).toPrecision(2))} ${suffix}`;
  }
  return `${Number(value.toPrecision(3))} bytes`;
}

describe('lastWord', () => {
  it('equals trim().split(/\\s+/).pop()', () => {
    fc.assert(
      fc.property(text, (s) => {
        expect(lastWord(s)).toBe(s.trim().split(/\s+/).pop());
      }),
      { numRuns: 3000 },
    );
  });
});

describe('sliceableLowerCase', () => {
  it('slices of it equal lower-cased slices, for every slice', () => {
    fc.assert(
      fc.property(text, (s) => {
        const lower = sliceableLowerCase(s);
        if (lower === null) return;
        for (let a = 0; a <= s.length; a++) for (let b = a; b <= s.length; b++) expect(lower.slice(a, b)).toBe(s.slice(a, b).toLowerCase());
      }),
      { numRuns: 1500 },
    );
  });

  it('is the text lower-cased when not null, and null only for İ, Σ or surrogates', () => {
    fc.assert(
      fc.property(text, (s) => {
        const lower = sliceableLowerCase(s);
        expect(lower === null).toBe(/[\u0130\u03a3\ud800-\udfff]/.test(s));
        if (lower !== null) expect(lower).toBe(s.toLowerCase());
        expect(docLowerCase(analyzeText(s, vocabulary))).toBe(lower);
      }),
      { numRuns: 1500 },
    );
    expect(sliceableLowerCase('ΟΔΟΣ ΚΑΙ')).toBeNull();
    expect(sliceableLowerCase('İstanbul')).toBeNull();
    expect(sliceableLowerCase('Don’t Shard Yet')).toBe('don’t shard yet');
  });
});

describe('formatNumber and formatQuantity', () => {
  const value = fc.oneof(
    fc.double({ noNaN: false }),
    fc.integer({ min: -1e6, max: 1e15 }),
    fc.constantFrom(0, -0, 999.5, 1e3, 99_950, 1e12, 1e18, Infinity, -Infinity, NaN),
  );
  it('match the old per-call unit tables', () => {
    fc.assert(
      fc.property(value, (v) => {
        expect(formatNumber(v)).toBe(formatNumberOld(v));
        expect(formatQuantity(v, 'bytes')).toBe(formatBytesOld(v));
        expect(formatQuantity(v, 'bytes_per_second')).toBe(`${formatBytesOld(v)}/s`);
      }),
      { numRuns: 5000 },
    );
  });
});
