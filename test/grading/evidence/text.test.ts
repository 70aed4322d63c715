// Shared text helpers: sentences with offsets, tokens, the phrase matcher, negation, filler, quotes.
import { describe, expect, it } from 'vitest';
import { PhraseMatcher, analyzeText, findFillers, isNegated, quoteAround, quoteTokens, splitSentences } from '../../../src/reading/text.js';
import { Vocabulary } from '../../../src/reading/vocabulary.js';

const vocabulary = new Vocabulary();

/** A token's original text. */
function text(doc: ReturnType<typeof analyzeText>, i: number): string {
  return doc.text.slice(doc.tokens.start(i), doc.tokens.end(i));
}

function sentences(text: string): string[] {
  return splitSentences(text).map((s) => text.slice(s.start, s.end));
}

function hits(patterns: string[], text: string): string[] {
  const matcher = new PhraseMatcher(patterns.map((pattern, key) => ({ key, pattern })));
  const doc = analyzeText(text, vocabulary);
  return matcher.all(doc).map((h) => text.slice(doc.tokens.start(h.first), doc.tokens.end(h.last)));
}

/** Whether `pattern` is found in `text` and not negated. */
function covered(pattern: string, text: string): boolean {
  const matcher = new PhraseMatcher([{ key: 0, pattern }]);
  const doc = analyzeText(text, vocabulary);
  return matcher.all(doc).some((h) => !isNegated(doc, h.first, h.last));
}

describe('splitSentences', () => {
  it('splits on sentence punctuation and line breaks, with offsets into the text', () => {
    const text = 'First we clarify. Then, e.g. numbers: 1.2k QPS! Is it global?\n- a list item\n# Heading';
    expect(sentences(text)).toEqual(['First we clarify.', 'Then, e.g. numbers: 1.2k QPS!', 'Is it global?', 'a list item', 'Heading']);
    const split = splitSentences(text);
    expect(split[3]).toMatchObject({ listItem: true, heading: false });
    expect(split[4]).toMatchObject({ listItem: false, heading: true });
  });

  it('keeps numbered list markers out of the sentence and does not split on them', () => {
    expect(sentences('1. Clarify the scope.\n2. Estimate.')).toEqual(['Clarify the scope.', 'Estimate.']);
  });

  it('drops pieces without words', () => {
    expect(sentences('...\n\n--\nOK.')).toEqual(['OK.']);
  });
});

describe('analyzeText', () => {
  it('lower-cases words, keeps contractions, tags sentences and clause breaks', () => {
    const doc = analyzeText("We don't need it, but Redis helps. Next", vocabulary);
    const all = Array.from({ length: doc.tokens.length }, (_, i) => i);
    expect(all.map((i) => doc.tokens.word(i))).toEqual(['we', "don't", 'need', 'it', 'but', 'redis', 'helps', 'next']);
    expect(all.map((i) => doc.tokens.sentence(i))).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
    expect(all.map((i) => doc.tokens.breakBefore(i))).toEqual([true, false, false, false, true, false, false, true]);
    expect(all.map((i) => text(doc, i))).toEqual(['We', "don't", 'need', 'it', 'but', 'Redis', 'helps', 'Next']);
    expect(doc.sentences[0]).toMatchObject({ tokenStart: 0, tokenEnd: 7 });
  });

  it('gives the same word the same id', () => {
    const a = analyzeText('Cache the cache', vocabulary);
    expect(a.tokens.id(0)).toBe(a.tokens.id(2));
    expect(a.tokens.id(0)).not.toBe(a.tokens.id(1));
  });

  it('normalises capitals, curly apostrophes and non-ASCII letters to one word and id', () => {
    const doc = analyzeText("DON'T don’t Don’T don'T don't. École école ÉCOLE straße STRASSE İstanbul 𝐀bc 𝐀BC naïve NAÏVE", vocabulary);
    const words = Array.from({ length: doc.tokens.length }, (_, i) => doc.tokens.word(i));
    expect(words).toEqual(["don't", "don't", "don't", "don't", "don't", 'école', 'école', 'école', 'straße', 'strasse', 'i̇stanbul', '𝐀bc', '𝐀bc', 'naïve', 'naïve']);
    const ids = Array.from({ length: doc.tokens.length }, (_, i) => doc.tokens.id(i));
    for (let i = 0; i < ids.length; i++) {
      for (let j = 0; j < ids.length; j++) expect(ids[i] === ids[j]).toBe(words[i] === words[j]);
    }
    // A pattern word finds every spelling.
    expect(hits(["don't", 'ecole', 'école'], "Don’T go. ÉCOLE")).toEqual(['Don’T', 'ÉCOLE']);
  });

  it('keeps ids stable while the vocabulary grows', () => {
    const words = Array.from({ length: 40_000 }, (_, k) => `w${k.toString(36)}`);
    const first = analyzeText('alpha Beta gamma', vocabulary);
    const big = analyzeText(words.join(' '), vocabulary);
    expect(big.tokens.length).toBe(words.length);
    const again = analyzeText(`gamma ${words[12_345]} ALPHA beta ${words[39_999]}`, vocabulary);
    expect(again.tokens.id(0)).toBe(first.tokens.id(2));
    expect(again.tokens.id(2)).toBe(first.tokens.id(0));
    expect(again.tokens.id(3)).toBe(first.tokens.id(1));
    expect(again.tokens.id(1)).toBe(big.tokens.id(12_345));
    expect(again.tokens.id(4)).toBe(big.tokens.id(39_999));
    expect(new Set(Array.from({ length: big.tokens.length }, (_, i) => big.tokens.id(i))).size).toBe(words.length);
  });

  it('starts a new vocabulary past its limit; older documents keep their words and still match', () => {
    const first = analyzeText('Redis cache', vocabulary);
    const matcher = new PhraseMatcher([{ key: 'c', pattern: 'redis cache' }, { key: 'r', pattern: 'redis' }]);
    expect(matcher.all(first).map((h) => h.key)).toEqual(['c', 'r']);
    let doc = first;
    for (let batch = 0; doc.generation === first.generation && batch < 20; batch++) {
      doc = analyzeText(Array.from({ length: 50_000 }, (_, k) => `v${(batch * 50_000 + k).toString(36)}`).join(' '), vocabulary);
    }
    expect(doc.generation).not.toBe(first.generation);
    const again = analyzeText('REDIS cache, Redis Cache', vocabulary);
    expect(again.generation).toBe(doc.generation);
    expect(again.tokens.id(0)).toBe(again.tokens.id(2));
    expect(matcher.all(again).map((h) => `${h.key}@${h.first}`)).toEqual(['c@0', 'r@0', 'c@2', 'r@2']);
    // A document of the old generation reads its words and matches by spelling.
    expect(first.tokens.word(0)).toBe('redis');
    expect(matcher.all(first).map((h) => h.key)).toEqual(['c', 'r']);
    expect(matcher.all(again)).toHaveLength(4);
  });

  it('keeps each vocabulary to itself: one reader never shifts another, and a matcher serves both', () => {
    const a = new Vocabulary();
    const b = new Vocabulary();
    const matcher = new PhraseMatcher([{ key: 'lb', pattern: 'load balancer' }, { key: 'pg', pattern: 'postgres*' }, { key: 'cache', pattern: 'cache' }]);
    const hits = (doc: ReturnType<typeof analyzeText>) => matcher.all(doc).map((h) => `${h.key}@${h.first}-${h.last}`);
    const inA = analyzeText('Put a load balancer in front of PostgreSQL.', a);
    // b meets other words first, so its ids differ from a's for the same words.
    analyzeText('zebra yak xylophone cache', b);
    const inB = analyzeText('Put a load balancer in front of PostgreSQL.', b);
    expect(inB.tokens.id(2)).not.toBe(inA.tokens.id(2));
    for (let round = 0; round < 3; round++) {
      expect(hits(inA)).toEqual(['lb@2-3', 'pg@7-7']);
      expect(hits(inB)).toEqual(['lb@2-3', 'pg@7-7']);
      expect(hits(analyzeText('a cache, not a loadbalancer', round % 2 ? a : b))).toEqual(['cache@1-1', 'lb@4-4']);
    }
    // Growing one leaves the other's table as it was.
    const before = b.words.length;
    analyzeText(Array.from({ length: 5_000 }, (_, k) => `only${k}`).join(' '), a);
    expect(b.words.length).toBe(before);
  });
});

describe('PhraseMatcher', () => {
  it('matches whole words case-insensitively, with * as a prefix', () => {
    expect(hits(['cache'], 'Caching in the cache, not a cachet')).toEqual(['cache']);
    expect(hits(['cach*'], 'Caching in the cache')).toEqual(['Caching', 'cache']);
    expect(hits(['slo*'], 'SLOs and an SLO, but not a slot… well, slot matches the prefix')).toEqual(['SLOs', 'SLO', 'slot', 'slot']);
  });

  it('matches phrases across spaces, hyphens, punctuation or written as one word', () => {
    expect(hits(['rate limit*'], 'a rate-limiter, rate   limiting and ratelimits')).toEqual(['rate-limiter', 'rate   limiting', 'ratelimits']);
    expect(hits(['read-through'], 'a read through cache')).toEqual(['read through']);
  });

  it('does not match a phrase across sentences', () => {
    expect(hits(['load balancer'], 'We load. Balancer later.')).toEqual([]);
  });

  it('reports every pattern that matches, even overlapping ones', () => {
    const matcher = new PhraseMatcher([
      { key: 'a', pattern: 'consistent hashing' },
      { key: 'b', pattern: 'hash*' },
    ]);
    expect(matcher.all(analyzeText('use consistent hashing', vocabulary)).map((h) => h.key).sort()).toEqual(['a', 'b']);
  });

  it('keeps pattern order among phrases that share a first word', () => {
    const matcher = new PhraseMatcher([
      { key: 'the plan', pattern: 'the plan' },
      { key: 'the*', pattern: 'the*' },
      { key: 'the p*', pattern: 'the p*' },
      { key: 'the plan is', pattern: 'the plan is' },
      { key: 'the reason', pattern: 'the reason' },
      { key: 'theplan', pattern: 'theplan' },
    ]);
    const hitsIn = (text: string) => matcher.all(analyzeText(text, vocabulary)).map((h) => `${h.key}@${h.first}-${h.last}`);
    expect(hitsIn('the plan is simple')).toEqual(['the plan@0-1', 'the p*@0-1', 'the plan is@0-2', 'the*@0-0']);
    expect(hitsIn('the reason, then the end')).toEqual(['the reason@0-1', 'the*@0-0', 'the*@2-2', 'the*@3-3']);
    expect(hitsIn('theplan, the. Plan')).toEqual(['the plan@0-0', 'theplan@0-0', 'the*@0-0', 'the p*@0-0', 'the*@1-1']);
  });

  it('finds the right phrases when one word starts many with different second words', () => {
    const seconds = ['that', 'we', 'it', 'the', 'a', 'they', 'their', 'its', 'our', 'each', 'every', 'no', 'only', 'zebra'];
    const matcher = new PhraseMatcher([
      { key: 'so', pattern: 'so' },
      ...seconds.map((w) => ({ key: `so ${w}`, pattern: `so ${w}` })),
      { key: 'so we can', pattern: 'so we can' },
    ]);
    const hitsIn = (text: string) => matcher.all(analyzeText(text, vocabulary)).map((h) => `${h.key}@${h.first}-${h.last}`);
    for (const w of seconds) expect(hitsIn(`so ${w}`)).toEqual([`so@0-0`, `so ${w}@0-1`]);
    expect(hitsIn('so we can go, so what. So zebra so')).toEqual(['so@0-0', 'so we@0-1', 'so we can@0-2', 'so@4-4', 'so@6-6', 'so zebra@6-7', 'so@8-8']);
  });
});

describe('isNegated', () => {
  it.each([
    ["we don't need monitoring", false],
    ['we do not need any monitoring', false],
    ['no monitoring for now', false],
    ['no need for monitoring yet', false],
    ['we can skip monitoring', false],
    ['without monitoring', false],
    ['we need monitoring', true],
    ["we don't need sharding, but monitoring is essential", true],
    ['not only monitoring but alerting', true],
    ['there is no single point of failure', true],
    ['deploys without downtime', true],
    ["I don't think we can. Monitoring comes first", true],
    // "no" spans the alternatives joined by or/nor (the second used to count as covered).
    ['no alerting or monitoring is needed since it is internal', false],
    ['neither alerting nor monitoring', false],
    ['no alerting, and monitoring on every node', true],
  ])('"%s" → covers it: %s', (text, expected) => {
    const pattern = text.includes('failure') ? 'single point of failure' : text.includes('downtime') ? 'downtime' : 'monitor*';
    expect(covered(pattern, text)).toBe(expected);
  });
});

describe('findFillers', () => {
  function fillers(text: string): string[] {
    return findFillers(analyzeText(text, vocabulary)).map((f) => f.phrase);
  }

  it('finds filler words and phrases', () => {
    expect(fillers('Um, so basically, like, we use, uh, a queue, you know. I guess it works, kind of.')).toEqual([
      'um',
      'basically',
      'like',
      'uh',
      'you know',
      'I guess',
      'kind of',
    ]);
  });

  it('leaves comparisons, examples and questions alone', () => {
    expect(fillers('Something like Postgres. Queues like Kafka. What kind of database? You know the QPS already.')).toEqual([]);
  });
});

describe('quotes', () => {
  it('quotes a short sentence whole', () => {
    const doc = analyzeText('First. We use Redis for the cache. Last.', vocabulary);
    expect(quoteAround(doc, 1)).toBe('We use Redis for the cache.');
  });

  it('cuts a long sentence to the clauses around the point of interest, verbatim', () => {
    const filler = Array.from({ length: 30 }, (_, i) => `clause number ${i} goes here`).join(', ');
    const text = `${filler}, and we alert on p99 latency per region, ${filler}.`;
    const doc = analyzeText(text, vocabulary);
    const at = text.indexOf('alert');
    const token = Array.from({ length: doc.tokens.length }, (_, i) => doc.tokens.start(i)).indexOf(at);
    const quote = quoteTokens(doc, token);
    expect(quote.length).toBeLessThanOrEqual(240);
    expect(quote).toContain('we alert on p99 latency per region');
    expect(text.includes(quote)).toBe(true);
  });
});
