// Clarity: structure and signposting ("first", "let me start with", "to summarise", numbered
// lists, headings, "Storage:" lead-ins) against filler ("um", "uh", "like", "you know",
// "I guess", "kind of", "basically") per 100 words, very long turns without structure, long
// sentences and repetition.
//
// Score: 3.0
//   + up to 1.5 for signposting: min(1, signposts / max(2, words / 150))
//   + 0.5 when sentences average 25 words or fewer
//   − filler per 100 words: ≤ 1 → 0, ≤ 3 → 0.5, ≤ 6 → 1.2, more → 2
//   − 0.5 per rambling turn (over 250 words without a signpost, or sentences averaging over 40
//     words), at most 1
//   − 0.5 when more than 12% of word 4-grams repeat earlier ones (or a sentence is said twice)
import type { Evidence } from '../../schemas/report.js';
import type { Dimension } from '../../schemas/rubric.js';
import { result, type EvidenceContext } from './context.js';
import { PhraseMatcher, clampScore, findFillers, quoteAround, quoteTokens, type TextDoc } from './text.js';

/** Signposts counted when they open a sentence (first three words). */
const LEAD_SIGNPOSTS = [
  'first', 'firstly', 'first of all', 'second', 'secondly', 'third', 'thirdly', 'next', 'finally', 'lastly', 'then',
  'let me start', "let's start", 'i will start', "i'll start", 'to start', 'to begin', 'starting with', 'let me',
  "let's move", "let's move on", 'moving on', 'now let', 'now for', 'now i', 'to summarise', 'to summarize', 'in summary',
  'summary', 'to recap', 'to sum up', 'in short', 'overall', 'so overall', 'step one', 'step 1', 'step two', 'step 2',
  'on the one hand', 'on the other hand', 'for reads', 'for writes', 'for the', 'going deeper', 'zooming in',
  'back to', 'to wrap up', 'in conclusion', 'my plan', 'the plan', 'i will cover', "i'll cover", "i'll go through",
  'there are two', 'there are three', 'two things', 'three things', 'two parts', 'three parts',
];
const leadMatcher = new PhraseMatcher<number>(LEAD_SIGNPOSTS.map((pattern, key) => ({ key, pattern })));
/** "High level: …", "Storage: …" — a short lead-in ending in a colon. */
const COLON_LEAD = /^[\p{L}][\p{L}\p{N}' -]{0,30}:\s/u;

interface TurnClarity {
  turn: number;
  doc: TextDoc;
  words: number;
  signposts: { sentence: number; first: number; last: number; kind: string }[];
  fillers: { first: number; last: number; phrase: string }[];
}

function signpostsOf(doc: TextDoc): TurnClarity['signposts'] {
  const out: TurnClarity['signposts'] = [];
  const seen = new Set<number>();
  leadMatcher.match(doc, (_key, first, last) => {
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
    // Most sentences have no colon near the start: skip the Unicode regex for them.
    if (head.includes(':') && COLON_LEAD.test(head)) {
      seen.add(i);
      out.push({ sentence: i, first: sentence.tokenStart, last: sentence.tokenStart, kind: 'lead-in' });
    }
  });
  return out.sort((a, b) => a.sentence - b.sentence);
}

// Scratch space for `repetition`, reused across runs: local word numbers stamped with the run.
let stamp = new Int32Array(0);
let localId = new Int32Array(0);
let run = 0;

/** An open-addressing set of positive 30-bit ints, sized for `n` inserts. */
function intSet(n: number): { table: Int32Array; mask: number } {
  let size = 16;
  while (size < n * 2) size <<= 1;
  return { table: new Int32Array(size), mask: size - 1 };
}

/** Insert `h` (> 0); false if it was already there. */
function insert(set: { table: Int32Array; mask: number }, h: number): boolean {
  let i = Math.imul(h, 0x9e3779b1) & set.mask;
  for (;;) {
    const v = set.table[i]!;
    if (v === 0) {
      set.table[i] = h;
      return true;
    }
    if (v === h) return false;
    i = (i + 1) & set.mask;
  }
}

/**
 * Share of word 4-grams that repeat an earlier one, and the first sentence said twice. Words are
 * numbered in order of appearance in this transcript (not by the process-wide vocabulary), so
 * the 30-bit hashes, and any collision, are the same on every run.
 */
function repetition(docs: TextDoc[]): { ratio: number; repeatedSentence: { doc: TextDoc; sentence: number } | null } {
  run++;
  let next = 1;
  let tokenTotal = 0;
  let sentenceTotal = 0;
  for (const doc of docs) {
    tokenTotal += doc.tokens.length;
    sentenceTotal += doc.sentences.length;
    for (let i = 0; i < doc.tokens.length; i++) {
      const id = doc.tokens.id(i);
      if (id >= stamp.length) {
        const grown = Math.max(id + 1, stamp.length * 2, 1024);
        const s2 = new Int32Array(grown);
        s2.set(stamp);
        const l2 = new Int32Array(grown);
        l2.set(localId);
        stamp = s2;
        localId = l2;
      }
    }
  }
  const grams = intSet(tokenTotal);
  const sentences = intSet(sentenceTotal);
  let total = 0;
  let repeated = 0;
  let repeatedSentence: { doc: TextDoc; sentence: number } | null = null;
  for (const doc of docs) {
    const ids = new Int32Array(doc.tokens.length);
    for (let i = 0; i < ids.length; i++) {
      const g = doc.tokens.id(i);
      if (stamp[g] !== run) {
        stamp[g] = run;
        localId[g] = next++;
      }
      ids[i] = localId[g]!;
    }
    for (let i = 3; i < ids.length; i++) {
      const h =
        ((Math.imul(ids[i - 3]!, 0x9e3779b1) ^ Math.imul(ids[i - 2]!, 0x85ebca77) ^ Math.imul(ids[i - 1]!, 0xc2b2ae3d) ^ Math.imul(ids[i]!, 0x27d4eb2f)) &
          0x3fffffff) |
        1;
      total++;
      if (!insert(grams, h)) repeated++;
    }
    if (repeatedSentence) continue;
    for (let i = 0; i < doc.sentences.length; i++) {
      const s = doc.sentences[i]!;
      if (s.tokenEnd - s.tokenStart < 6) continue;
      let h = s.tokenEnd - s.tokenStart;
      for (let k = s.tokenStart; k < s.tokenEnd; k++) h = (Math.imul(h, 31) + ids[k]!) & 0x3fffffff;
      if (!insert(sentences, h | 1)) {
        repeatedSentence = { doc, sentence: i };
        break;
      }
    }
  }
  return { ratio: total > 0 ? repeated / total : 0, repeatedSentence };
}

function fillerPenalty(per100: number): number {
  if (per100 <= 1) return 0;
  if (per100 <= 3) return 0.5;
  if (per100 <= 6) return 1.2;
  return 2;
}

export function analyzeClarity(ctx: EvidenceContext, _dimension: Dimension): ReturnType<typeof result> {
  const turns: TurnClarity[] = ctx.candidate.map(({ turn, doc, words }) => ({
    turn: turn.index,
    doc,
    words,
    signposts: signpostsOf(doc),
    fillers: findFillers(doc),
  }));
  const words = turns.reduce((s, t) => s + t.words, 0);
  if (words === 0) return result(1, { missing: ['no candidate speech to judge'], notes: [] });
  const sentenceCount = turns.reduce((s, t) => s + t.doc.sentences.length, 0);
  const signposts = turns.reduce((s, t) => s + t.signposts.length, 0);
  const fillerCount = turns.reduce((s, t) => s + t.fillers.length, 0);
  const per100 = (fillerCount * 100) / words;
  const avgSentence = words / Math.max(1, sentenceCount);

  const target = Math.max(2, words / 150);
  let score = 3 + 1.5 * Math.min(1, signposts / target);
  if (avgSentence <= 25) score += 0.5;
  score -= fillerPenalty(per100);
  const rambling = turns.filter((t) => {
    const avg = t.words / Math.max(1, t.doc.sentences.length);
    return (t.words > 250 && t.signposts.length === 0) || (t.words > 80 && avg > 40);
  });
  score -= Math.min(1, 0.5 * rambling.length);
  const rep = repetition(turns.map((t) => t.doc));
  const repetitive = rep.ratio > 0.12 || rep.repeatedSentence !== null;
  if (repetitive) score -= 0.5;

  // Evidence: signposted sentences, then filler, then a rambling turn.
  const evidence: Evidence[] = [];
  const positive = turns.flatMap((t) => t.signposts.map((s) => ({ t, s })));
  for (const { t, s } of positive.slice(0, per100 > 1 ? 2 : 3)) {
    evidence.push({ quote: quoteAround(t.doc, s.sentence), turn: t.turn, note: `structure: ${s.kind}` });
  }
  const withFiller = turns.filter((t) => t.fillers.length > 0).sort((a, b) => b.fillers.length - a.fillers.length);
  for (const t of withFiller.slice(0, 2)) {
    const f = t.fillers[0]!;
    const phrases = [...new Set(t.fillers.map((x) => x.phrase))];
    evidence.push({ quote: quoteTokens(t.doc, f.first, f.last), turn: t.turn, note: `filler: ${phrases.map((p) => `"${p}"`).join(', ')}` });
  }
  if (rambling[0] && evidence.length < 5) {
    const t = rambling[0];
    evidence.push({ quote: quoteAround(t.doc, 0), turn: t.turn, note: `long turn: ${t.words} words, ${t.doc.sentences.length} sentences, no signposting` });
  }

  const missing: string[] = [];
  if (signposts === 0) missing.push('no signposting ("first…", "let me start with…", "to summarise…")');
  else if (signposts < target / 2) missing.push(`little signposting: ${signposts} signpost${signposts === 1 ? '' : 's'} in ${words} words`);
  if (per100 > 1) {
    const all = [...new Set(turns.flatMap((t) => t.fillers.map((f) => f.phrase)))];
    missing.push(`filler: ${per100.toFixed(1)} per 100 words (${all.slice(0, 4).map((p) => `"${p}"`).join(', ')})`);
  }
  for (const t of rambling.slice(0, 2)) missing.push(`turn ${t.turn} runs ${t.words} words without structure`);
  if (avgSentence > 25) missing.push(`long sentences: ${avgSentence.toFixed(0)} words on average`);
  if (repetitive) missing.push(rep.repeatedSentence ? 'repeats a sentence word for word' : `repetitive: ${Math.round(rep.ratio * 100)}% of phrases repeat`);
  const notes = [`${words} words, ${signposts} signposts, ${fillerCount} filler (${per100.toFixed(1)} per 100 words), ${avgSentence.toFixed(0)} words per sentence`];
  return result(clampScore(score), { evidence: evidence.slice(0, 5), missing, notes });
}
