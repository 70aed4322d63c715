// Clarity's repetition and signpost scans against straightforward reference versions (the
// earlier implementations), on random texts built to repeat words, phrases and sentences.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clarityInternals } from '../../../src/grading/evidence/clarity.js';
import { analyzeText, type TextDoc } from '../../../src/reading/text.js';
import { Vocabulary } from '../../../src/reading/vocabulary.js';

const vocabulary = new Vocabulary();

const RUNS = { numRuns: 300, seed: Number(process.env.FC_SEED ?? 20261122) };

function referenceRepetition(docs: TextDoc[]): { ratio: number; repeatedSentence: { doc: TextDoc; sentence: number } | null } {
  const local = new Map<number, number>();
  const grams = new Set<number>();
  const sentences = new Set<number>();
  let total = 0;
  let repeated = 0;
  let repeatedSentence: { doc: TextDoc; sentence: number } | null = null;
  for (const doc of docs) {
    const ids: number[] = [];
    for (let i = 0; i < doc.tokens.length; i++) {
      const g = doc.tokens.id(i);
      if (!local.has(g)) local.set(g, local.size + 1);
      ids.push(local.get(g)!);
    }
    for (let i = 3; i < ids.length; i++) {
      const h =
        ((Math.imul(ids[i - 3]!, 0x9e3779b1) ^ Math.imul(ids[i - 2]!, 0x85ebca77) ^ Math.imul(ids[i - 1]!, 0xc2b2ae3d) ^ Math.imul(ids[i]!, 0x27d4eb2f)) &
          0x3fffffff) |
        1;
      total++;
      if (grams.has(h)) repeated++;
      else grams.add(h);
    }
    if (repeatedSentence) continue;
    for (let i = 0; i < doc.sentences.length; i++) {
      const s = doc.sentences[i]!;
      if (s.tokenEnd - s.tokenStart < 6) continue;
      let h = s.tokenEnd - s.tokenStart;
      for (let k = s.tokenStart; k < s.tokenEnd; k++) h = (Math.imul(h, 31) + ids[k]!) & 0x3fffffff;
      if (sentences.has(h | 1)) {
        repeatedSentence = { doc, sentence: i };
        break;
      }
      sentences.add(h | 1);
    }
  }
  return { ratio: total > 0 ? repeated / total : 0, repeatedSentence };
}

const COLON_LEAD = /^[\p{L}][\p{L}\p{N}' -]{0,30}:\s/u;

function referenceSignposts(doc: TextDoc) {
  const out: { sentence: number; first: number; last: number; kind: string }[] = [];
  const seen = new Set<number>();
  clarityInternals.leadMatcher.match(doc, (_key, first, last) => {
    const index = doc.tokens.sentence(first);
    const sentence = doc.sentences[index]!;
    if (first - sentence.tokenStart > 2 || seen.has(index)) return;
    seen.add(index);
    out.push({ sentence: index, first, last, kind: 'signpost' });
  });
  doc.sentences.forEach((sentence, i) => {
    if (seen.has(i)) return;
    if (sentence.heading || sentence.listItem) {
      seen.add(i);
      out.push({ sentence: i, first: sentence.tokenStart, last: sentence.tokenStart, kind: sentence.heading ? 'heading' : 'list item' });
      return;
    }
    const head = doc.text.slice(sentence.start, Math.min(sentence.end, sentence.start + 34));
    if (COLON_LEAD.test(head)) {
      seen.add(i);
      out.push({ sentence: i, first: sentence.tokenStart, last: sentence.tokenStart, kind: 'lead-in' });
    }
  });
  return out.sort((a, b) => a.sentence - b.sentence);
}

const WORDS = ['first', 'then', 'next', 'let', 'me', 'start', 'the', 'plan', 'for', 'reads', 'we', 'store', 'links', 'cache', 'in', 'summary', 'overall', 'so', 'a', 'shard', 'storage', 'high', 'level', 'step', 'one', 'two', 'to', 'recap'];
const piece = fc.oneof(
  { arbitrary: fc.constantFrom(...WORDS).map((w) => `${w} `), weight: 20 },
  { arbitrary: fc.constantFrom('. ', '? ', '\n', '\n- ', '\n1. ', '\n# ', ': ', ', ', 'Storage: ', 'High level: ', '::', ' : ', 'é ', 'First, '), weight: 4 },
);
const text = fc.array(piece, { maxLength: 80 }).map((p) => p.join(''));
/** Texts that repeat chunks of themselves, so repeated 4-grams and sentences are common. */
const repetitive = fc.tuple(text, fc.array(fc.nat(), { maxLength: 4 })).map(([t, cuts]) => {
  let out = t;
  for (const c of cuts) {
    const from = t.length === 0 ? 0 : c % t.length;
    out += t.slice(from, from + 60);
  }
  return out;
});

/** Texts made of a few sentences picked with repeats, so whole sentences recur. */
const sentenceRepeats = fc
  .tuple(fc.array(fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 9 }), { minLength: 1, maxLength: 4 }), fc.array(fc.nat(), { maxLength: 8 }))
  .map(([pool, picks]) => picks.map((k) => `${pool[k % pool.length]!.join(' ')}.`).join(' '));

describe('clarity internals', () => {
  it('repetition matches the reference', () => {
    let withRepeat = 0;
    fc.assert(
      fc.property(fc.array(fc.oneof(repetitive, sentenceRepeats), { maxLength: 6 }), (texts) => {
        const docs = texts.map((t) => analyzeText(t, vocabulary));
        const got = clarityInternals.repetition(docs);
        if (got.repeatedSentence) withRepeat++;
        expect(got).toEqual(referenceRepetition(docs));
        // And again (scratch space is reused between runs).
        expect(clarityInternals.repetition(docs.slice(1))).toEqual(referenceRepetition(docs.slice(1)));
      }),
      RUNS,
    );
    expect(withRepeat).toBeGreaterThan(30);
  });

  it('signposts match the reference', () => {
    const kinds = new Set<string>();
    fc.assert(
      fc.property(repetitive, (t) => {
        const doc = analyzeText(t, vocabulary);
        const got = clarityInternals.signpostsOf(doc);
        for (const s of got) kinds.add(s.kind);
        expect(got).toEqual(referenceSignposts(doc));
      }),
      RUNS,
    );
    expect([...kinds].sort()).toEqual(['heading', 'lead-in', 'list item', 'signpost']);
  });
});
