// readAnswer tries its phrase regexes only where the tokens say a listed word starts; that must
// find exactly what running each regex over the whole text finds. Random answers are built from
// the regexes' own words, in both cases, with straight and curly apostrophes, contractions glued
// to other words, digits, underscores, list markers and non-ASCII letters.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { composureInternals, readAnswer } from '../../../src/reading/answers.js';
import { analyzeText } from '../../../src/reading/text.js';
import { firstRegexWord, matchingSamples } from './first-words.js';
import { Vocabulary } from '../../../src/reading/vocabulary.js';

const vocabulary = new Vocabulary();

const RUNS = { numRuns: 3000, seed: Number(process.env.FC_SEED ?? 20261122) };

const WORDS = [
  "you're", 'youre', 'you', 'are', 're', 'absolutely', 'totally', 'completely', 'probably', 'right', 'i', 'guess', 'maybe', 'not', 'a', 'good',
  'great', 'the', 'idea', 'choice', 'fit', 'call', 'never', 'mind', 'nevermind', 'scrap', 'that', 'fair', 'enough', 'was', 'wrong', 'point',
  "that's", 'thats', 'true', 'instead', 'switch', 'switching', 'over', 'to', "i'd", 'id', 'change', 'it', 'this', 'replace', 'move', 'drop',
  'dropping', 'rather', 'use', 'we', 'could', 'just', "let's", 'lets', 'go', 'with', "won't", 'wont', "wouldn't", 'wouldnt', "shouldn't",
  'shouldnt', 'get', 'rid', 'of', 'remove', 'keep', 'things', 'simple', 'costs', 'cost', 'latency', 'low', 'down', 'stick', 'stay', 'still',
  'prefer', 'think', 'want', 'pick', 'choose', 'recommend', 'worth', "i'm", 'im', 'confident', 'why', 'holds', 'up', 'trade-off', 'tradeoff',
  'tradeoffs', 'trade', 'off', 'give', 'giving', 'downside', 'at', 'expense', 'in', 'exchange', 'us', 'because', 'since', 'so', 'which',
  'means', 'otherwise', 'due', 'given', 'reason', 'redis', 'okay', 'um',
];
/** Whole phrases the regexes look for, so matches are common. */
const PHRASES = [
  "you're absolutely right", 'you are probably right', 'i guess', 'maybe not', 'not a good idea', 'not the right fit', 'never mind', 'scrap that',
  'fair enough', 'i was wrong', 'good point', 'fair point', "that's true", 'switching over to', "i'd switch", 'change it to', 'move over to',
  'rather use', 'we could just use', "let's just go with", "won't use", 'get rid of', 'keep it simple', 'keep costs low', 'stick with',
  'still prefer', "i'd still", 'the right choice', 'worth it', "i'm confident", "that's why", 'holds up', 'trade off', 'give up',
  'at the cost of', 'in exchange', 'costs us', 'so that', 'which means', 'due to', 'given that', 'the reason',
];
const GLUE = fc.oneof(
  { arbitrary: fc.constant(' '), weight: 20 },
  { arbitrary: fc.constantFrom('', ', ', '. ', '? ', '\n', '\n- ', '\n1. ', '\n# ', "'", '’', '-', '3', 'x', ': ', '  '), weight: 6 },
  { arbitrary: fc.constantFrom('_', 'é', '—'), weight: 1 },
);
const word = fc.tuple(fc.oneof(fc.constantFrom(...WORDS), fc.constantFrom(...PHRASES)), fc.constantFrom('lower', 'lower', 'lower', 'upper', 'title'), fc.boolean()).map(([w, c, curly]) => {
  const cased = c === 'upper' ? w.toUpperCase() : c === 'title' ? w[0]!.toUpperCase() + w.slice(1) : w;
  return curly ? cased.replace(/'/g, '’') : cased;
});
const answer = fc.array(fc.tuple(word, GLUE), { maxLength: 40 }).map((parts) => parts.map(([w, g]) => w + g).join(''));

describe('composure phrase scan', () => {
  it('lists every word a match of each regex can start with', () => {
    composureInternals.REGEXES.forEach((re, r) => {
      const samples = matchingSamples(re);
      expect(samples.length).toBeGreaterThan(100);
      for (const s of samples) {
        const bits = composureInternals.FIRST_WORD_BITS.get(firstRegexWord(s)) ?? 0;
        expect([s, bits & (1 << r)]).toEqual([s, 1 << r]);
      }
    });
  });

  it('finds what the regexes find over the whole text', () => {
    let scanned = 0;
    let matches = 0;
    fc.assert(
      fc.property(answer, (text) => {
        const doc = analyzeText(text, vocabulary);
        if (composureInternals.NOT_SCANNABLE.test(doc.text)) return;
        scanned++;
        const lower = doc.text.toLowerCase().replace(/’/g, "'");
        const expected = composureInternals.scanAll(lower);
        matches += expected.giveWay.length + expected.changes.length + (expected.lastKeep ? 1 : 0) + (expected.tradeoff ? 1 : 0) + (expected.because ? 1 : 0);
        expect(composureInternals.scanByTokens(doc, lower)).toEqual(expected);
      }),
      RUNS,
    );
    expect(scanned).toBeGreaterThan(1500);
    expect(matches).toBeGreaterThan(5000);
  });

  it('reads the examples the same either way', () => {
    for (const text of [
      "You're right, let's switch to Postgres.",
      'I’d still keep it simple, but that’s why we keep Redis: the trade-off is cost us memory because of replicas.',
      'Maybe not a good idea; we could just use Postgres instead, or get rid of the cache. Never mind, I was wrong.',
      'x’instead 3drop un_remove drop_ it’s-remove',
    ]) {
      const doc = analyzeText(text, vocabulary);
      const lower = text.toLowerCase().replace(/’/g, "'");
      expect(composureInternals.scanByTokens(doc, lower)).toEqual(composureInternals.scanAll(lower));
      expect(readAnswer(doc).label).toBeDefined();
    }
  });
});
