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
//   − 0.5 when more than 12% of word 4-grams repeat earlier ones (or a sentence is said twice),
//     1.5 over 40%, 2.5 over 70%
// and never above 1 + words / 15: a candidate who said almost nothing is not clear about anything.
import type { Evidence } from '../../schemas/report.js';
import type { Dimension } from '../../schemas/rubric.js';
import { result, type EvidenceContext } from './context.js';
import { PhraseMatcher, clampScore, findFillers, quoteAround, quoteTokens, type TextDoc } from '../../reading/text.js';

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
/** "SYSTEM:", "Note to grader:", "Required output:": addressed to a grader or a model, not structure. */
const ROLE_LEAD = /^(?:system|assistant|user|developer|grader|note to (?:the )?grader|instructions?|required output|output|rubric|evaluator|judge)\s*:/i;

interface TurnClarity {
  turn: number;
  doc: TextDoc;
  words: number;
  signposts: { sentence: number; first: number; last: number; kind: string }[];
  fillers: { first: number; last: number; phrase: string }[];
}

function signpostsOf(doc: TextDoc): TurnClarity['signposts'] {
  const { sentences, text, tokens } = doc;
  // Lead signposts in the first three words of a sentence, one per sentence (the first found).
  // The matcher reports hits in token order, so these come sorted by sentence.
  const leads: TurnClarity['signposts'] = [];
  leadMatcher.match(doc, (_key, first, last) => {
    const index = tokens.sentence(first);
    if (first - sentences[index]!.tokenStart > 2) return;
    if (leads.length > 0 && leads[leads.length - 1]!.sentence === index) return;
    leads.push({ sentence: index, first, last, kind: 'signpost' });
  });
  const out: TurnClarity['signposts'] = [];
  let lead = 0;
  let colon = text.indexOf(':');
  for (let i = 0; i < sentences.length; i++) {
    if (lead < leads.length && leads[lead]!.sentence === i) {
      out.push(leads[lead++]!);
      continue;
    }
    const sentence = sentences[i]!;
    if (sentence.heading || sentence.listItem) {
      out.push({ sentence: i, first: sentence.tokenStart, last: sentence.tokenStart, kind: sentence.heading ? 'heading' : 'list item' });
      continue;
    }
    // Most sentences have no colon near the start: skip the Unicode regex for them.
    if (colon >= 0 && colon < sentence.start) colon = text.indexOf(':', sentence.start);
    const headEnd = Math.min(sentence.end, sentence.start + 34);
    if (colon >= 0 && colon < headEnd && COLON_LEAD.test(text.slice(sentence.start, headEnd)) && !ROLE_LEAD.test(text.slice(sentence.start, headEnd))) {
      out.push({ sentence: i, first: sentence.tokenStart, last: sentence.tokenStart, kind: 'lead-in' });
    }
  }
  return out;
}

// Scratch space for `repetition`, reused across runs (allocating it per run measured costlier):
// local word numbers stamped with the run, the current document's local numbers, and the two
// hash sets (cleared per run).
let stamp = new Int32Array(0);
let localId = new Int32Array(0);
let run = 0;
let scratchIds = new Int32Array(0);
let gramTable = new Int32Array(0);
let sentenceTable = new Int32Array(0);

/** Slots for `n` inserts: a power of two, at least 16 and at least 2n. */
function slotsFor(n: number): number {
  let size = 16;
  while (size < n * 2) size <<= 1;
  return size;
}

/** An empty table of `size` slots, reusing `table` when it is that size. */
function cleared(table: Int32Array<ArrayBuffer>, size: number): Int32Array<ArrayBuffer> {
  if (table.length !== size) return new Int32Array(size);
  table.fill(0);
  return table;
}

/** Insert `h` (> 0) into the open-addressing set `table`; false if it was already there. */
function insert(table: Int32Array, h: number): boolean {
  const mask = table.length - 1;
  let i = Math.imul(h, 0x9e3779b1) & mask;
  for (;;) {
    const v = table[i]!;
    if (v === 0) {
      table[i] = h;
      return true;
    }
    if (v === h) return false;
    i = (i + 1) & mask;
  }
}

function growStamps(id: number): void {
  const grown = Math.max(id + 1, stamp.length * 2, 1024);
  const s2 = new Int32Array(grown);
  s2.set(stamp);
  const l2 = new Int32Array(grown);
  l2.set(localId);
  stamp = s2;
  localId = l2;
}

/**
 * Share of word 4-grams that repeat an earlier one, and the first sentence said twice. Words are
 * numbered in order of appearance in this transcript (not by the run's vocabulary, which other files fill), so
 * the 30-bit hashes, and any collision, are the same on every run.
 */
function repetition(docs: TextDoc[]): { ratio: number; repeatedSentence: { doc: TextDoc; sentence: number } | null } {
  run++;
  let next = 1;
  let tokenTotal = 0;
  let sentenceTotal = 0;
  let longest = 0;
  for (const doc of docs) {
    tokenTotal += doc.tokens.length;
    sentenceTotal += doc.sentences.length;
    if (doc.tokens.length > longest) longest = doc.tokens.length;
  }
  if (scratchIds.length < longest) scratchIds = new Int32Array(Math.max(longest, scratchIds.length * 2));
  const grams = (gramTable = cleared(gramTable, slotsFor(tokenTotal)));
  const sentences = (sentenceTable = cleared(sentenceTable, slotsFor(sentenceTotal)));
  const ids = scratchIds;
  let total = 0;
  let repeated = 0;
  let repeatedSentence: { doc: TextDoc; sentence: number } | null = null;
  for (const doc of docs) {
    const tokens = doc.tokens;
    const n = tokens.length;
    // Local numbers and 4-gram hashes in one pass; a, b, c are the three previous local numbers.
    let a = 0;
    let b = 0;
    let c = 0;
    for (let i = 0; i < n; i++) {
      const g = tokens.id(i);
      if (g >= stamp.length) growStamps(g);
      if (stamp[g] !== run) {
        stamp[g] = run;
        localId[g] = next++;
      }
      const d = localId[g]!;
      ids[i] = d;
      if (i >= 3) {
        const h =
          ((Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77) ^ Math.imul(c, 0xc2b2ae3d) ^ Math.imul(d, 0x27d4eb2f)) & 0x3fffffff) | 1;
        total++;
        if (!insert(grams, h)) repeated++;
      }
      a = b;
      b = c;
      c = d;
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
  // Saying the same thing again and again is not clear: the more of the talk repeats, the more it costs.
  if (repetitive) score -= rep.ratio > 0.7 ? 2.5 : rep.ratio > 0.4 ? 1.5 : 0.5;
  // Too little said to be clear about anything ("Yes." "Right, yes."): at most 1 + words / 15.
  const material = 1 + words / 15;
  const thin = score > material + 0.5;
  score = Math.min(score, material);

  // Evidence: signposted sentences, then filler, then a rambling turn.
  const evidence: Evidence[] = [];
  const positiveLimit = per100 > 1 ? 2 : 3;
  let positive = 0;
  for (const t of turns) {
    for (const s of t.signposts) {
      if (positive++ >= positiveLimit) break;
      evidence.push({ quote: quoteAround(t.doc, s.sentence), turn: t.turn, note: `structure: ${s.kind}` });
    }
    if (positive >= positiveLimit) break;
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
    // The first four distinct phrases, in order of appearance.
    const all: string[] = [];
    for (const t of turns) {
      for (const f of t.fillers) if (all.length < 4 && !all.includes(f.phrase)) all.push(f.phrase);
      if (all.length >= 4) break;
    }
    missing.push(`filler: ${per100.toFixed(1)} per 100 words (${all.map((p) => `"${p}"`).join(', ')})`);
  }
  for (const t of rambling.slice(0, 2)) missing.push(`turn ${t.turn} runs ${t.words} words without structure`);
  if (avgSentence > 25) missing.push(`long sentences: ${avgSentence.toFixed(0)} words on average`);
  if (repetitive) missing.push(rep.repeatedSentence ? 'repeats a sentence word for word' : `repetitive: ${Math.round(rep.ratio * 100)}% of phrases repeat`);
  if (thin) missing.unshift(`too little said to judge clarity: ${words} candidate words`);
  const notes = [`${words} words, ${signposts} signposts, ${fillerCount} filler (${per100.toFixed(1)} per 100 words), ${avgSentence.toFixed(0)} words per sentence`];
  return result(clampScore(score), { evidence: evidence.slice(0, 5), missing, notes });
}

/** Exported for tests only. */
export const clarityInternals = { repetition, signpostsOf, leadMatcher };
