// How the candidate answers a pushback, read from the answer's own words: gives way, changes
// the position, keeps it, names a tradeoff, gives a reason. The interviewer engine labels the
// answer it just heard with it (interview/engine/pushbacks.ts); the grader labels every answer
// in the pushback table (grading/evidence/composure.ts), so both read an answer the same way.
import type { PushbackLabel } from '../schemas/transcript.js';
import { extractQuantities, isMeaningful } from './numbers.js';
import { quoteAround, type TextDoc } from './text.js';
import { sentenceFeatures } from './vocab.js';

/** Agreeing with the interviewer / giving way. */
const GIVE_WAY =
  /\byou'?re (?:absolutely |totally |completely |probably )?right\b|\byou are (?:absolutely |probably )?right\b|\bi guess\b|\bmaybe not\b|\bnot (?:a )?(?:good|great|the right) (?:idea|choice|fit|call)\b|\bnever ?mind\b|\bscrap that\b|\bfair enough\b|\bi was wrong\b|\bgood point\b|\bfair point\b|\bthat'?s true\b/g;
/** A bare "okay"/"sure" opening the answer. */
const BARE_ACCEPT = /^\W*(?:(?:um+|uh+|er+|hmm+)\W+)*(?:ok(?:ay)?|sure|fine|alright|right|yeah|yes)\b/;
/** Changing the position. */
const CHANGE =
  /\binstead\b|\bswitch(?:ing)?(?: over)? to\b|\bi'?d switch\b|\bchange (?:it |that |this )?to\b|\breplace\b|\bmove (?:over )?to\b|\bdrop(?:ping)?\b|\brather use\b|\bwe could (?:just )?use\b|\blet'?s (?:just )?(?:use|go with|switch)\b|\bmaybe not\b|\bnot (?:a )?(?:good|great|the right) (?:idea|choice|fit)\b|\b(?:won'?t|wouldn'?t|shouldn'?t) use\b|\bget rid of\b|\bremove\b|\bscrap\b/g;
/** Keeping the position ("keep it simple" is not keeping anything). */
const KEEP =
  /\b(?:keep(?! (?:it|things) simple| (?:costs?|latency|it) (?:low|down))|stick with|stay with)\b|\bstill (?:use|go with|prefer|think|want|pick|choose|recommend)\b|\bi'?d still\b|\bthe right (?:choice|call)\b|\bworth it\b|\bi'?m confident\b|\bthat'?s why\b|\bholds up\b/g;
const TRADEOFF_WORDS = /\btrade-?offs?\b|\btrade off\b|\bgive up\b|\bgiving up\b|\bdownside\b|\bat the (?:cost|expense) of\b|\bin exchange\b|\bcosts? us\b/;
const BECAUSE = /\b(?:because|since|so that|which means|otherwise|due to|given that|the reason)\b/;

export interface AnswerReading {
  label: PushbackLabel;
  /** What the label rests on, for the reason text. */
  reasons: string[];
  /** Phrases that give way or change position, in order. */
  givesWay: string[];
  /** The last stance taken: keeps the position, changes it, or neither. */
  stance: 'keeps' | 'changes' | 'neutral';
  /** The sentence index in the answer that best shows the label. */
  keySentence: number;
}

/**
 * Every match of a global regex, in order. An exec loop rather than `matchAll`, which builds a
 * new RegExp object per call. None of the patterns can match the empty string.
 */
function allMatches(re: RegExp, text: string): { at: number; phrase: string }[] {
  const out: { at: number; phrase: string }[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) out.push({ at: m.index, phrase: m[0].trim() });
  return out;
}

function lastMatch(re: RegExp, text: string): { at: number; phrase: string } | null {
  return allMatches(re, text).pop() ?? null;
}

/** The sentence holding character `at` (the first when none does). */
function sentenceAt(doc: TextDoc, at: number): number {
  const sentences = doc.sentences;
  for (let i = 0; i < sentences.length; i++) if (at < sentences[i]!.end) return i;
  return 0;
}

/** What readAnswer needs from the phrase regexes (matches are in `lower`, the lower-cased text). */
interface PhraseScan {
  giveWay: { at: number; phrase: string }[];
  changes: { at: number; phrase: string }[];
  lastKeep: { at: number; phrase: string } | null;
  tradeoff: { index: number; text: string } | null;
  because: string | null;
}

/** Each regex run straight over the text. */
function scanAll(lower: string): PhraseScan {
  const tradeoff = TRADEOFF_WORDS.exec(lower);
  const because = BECAUSE.exec(lower);
  return {
    giveWay: allMatches(GIVE_WAY, lower),
    changes: allMatches(CHANGE, lower),
    lastKeep: lastMatch(KEEP, lower),
    tradeoff: tradeoff ? { index: tradeoff.index, text: tradeoff[0] } : null,
    because: because ? because[0] : null,
  };
}

// The same results without running each regex over every character: every alternative of these
// regexes starts with \b and a word, and the words a match can start with are listed below, so a
// match can only start at a word on its list; the regex is tried (sticky) only there. Where the
// regex sees word starts is read off the document's tokens, which is exact for text of plain ASCII
// (and ’) with no underscore: a regex word ([a-z0-9_]+) then starts at a token or after an
// apostrophe inside one ("you're"), and runs to the token's end or that apostrophe. Other text
// takes scanAll.

const GIVE_WAY_BIT = 1;
const CHANGE_BIT = 2;
const KEEP_BIT = 4;
const TRADEOFF_BIT = 8;
const BECAUSE_BIT = 16;
/** The first regex word of any match, per regex (apostrophes split words: "you're" → "you"). */
const FIRST_WORDS: [number, string[]][] = [
  [GIVE_WAY_BIT, ['you', 'youre', 'i', 'maybe', 'not', 'never', 'nevermind', 'scrap', 'fair', 'good', 'that', 'thats']],
  [
    CHANGE_BIT,
    ['instead', 'switch', 'switching', 'i', 'id', 'change', 'replace', 'move', 'drop', 'dropping', 'rather', 'we', 'let', 'lets', 'maybe',
      'not', 'won', 'wont', 'wouldn', 'wouldnt', 'shouldn', 'shouldnt', 'get', 'remove', 'scrap'],
  ],
  [KEEP_BIT, ['keep', 'stick', 'stay', 'still', 'i', 'id', 'the', 'worth', 'im', 'that', 'thats', 'holds']],
  [TRADEOFF_BIT, ['trade', 'tradeoff', 'tradeoffs', 'give', 'giving', 'downside', 'at', 'in', 'cost', 'costs']],
  [BECAUSE_BIT, ['because', 'since', 'so', 'which', 'otherwise', 'due', 'given', 'the']],
];
const FIRST_WORD_BITS = new Map<string, number>();
for (const [bit, words] of FIRST_WORDS) for (const w of words) FIRST_WORD_BITS.set(w, (FIRST_WORD_BITS.get(w) ?? 0) | bit);
const STICKY = [GIVE_WAY, CHANGE, KEEP, TRADEOFF_WORDS, BECAUSE].map((re) => new RegExp(re.source, 'y'));
/** Text the token-guided scan is exact for: ASCII without underscore, and the curly apostrophe. */
const NOT_SCANNABLE = /[^\x00-\x5e\x60-\x7f\u2019]/;
/** The vocabulary's table of word bits, per id: 0 not computed, else 64 | regex bits, or 128 when the word has an apostrophe. */
const WORD_BITS = 'answers.wordBits';
const KNOWN = 64;
const SPLIT = 128;

function scanByTokens(doc: TextDoc, lower: string): PhraseScan {
  const out: PhraseScan = { giveWay: [], changes: [], lastKeep: null, tradeoff: null, because: null };
  // Per regex, where its next match may start (after the previous one; never again for first-only ones).
  const next = [0, 0, 0, 0, 0];
  const tryAt = (p: number, bits: number): void => {
    for (let r = 0; r < 5; r++) {
      if ((bits & (1 << r)) === 0 || p < next[r]!) continue;
      const re = STICKY[r]!;
      re.lastIndex = p;
      const m = re.exec(lower);
      if (m === null) continue;
      const text = m[0];
      if (r === 0) out.giveWay.push({ at: p, phrase: text.trim() });
      else if (r === 1) out.changes.push({ at: p, phrase: text.trim() });
      else if (r === 2) out.lastKeep = { at: p, phrase: text.trim() };
      else if (r === 3) out.tradeoff = { index: p, text };
      else out.because = text;
      next[r] = r < 3 ? p + text.length : Infinity;
    }
  };
  const tokens = doc.tokens;
  const wordBits = doc.vocabulary.wordTable(WORD_BITS, doc.generation, tokens.vocabularySize);
  for (let k = 0; k < tokens.length; k++) {
    const id = tokens.id(k);
    let bits = wordBits[id]!;
    if (bits === 0) {
      const word = tokens.word(k);
      bits = word.includes("'") || word.includes('’') ? SPLIT : KNOWN | (FIRST_WORD_BITS.get(word) ?? 0);
      wordBits[id] = bits;
    }
    if (bits === KNOWN) continue;
    if (bits !== SPLIT) {
      tryAt(tokens.start(k), bits & 31);
      continue;
    }
    // A contraction: each part between apostrophes starts a regex word.
    let at = tokens.start(k);
    for (const part of lower.slice(at, tokens.end(k)).split("'")) {
      const partBits = FIRST_WORD_BITS.get(part);
      if (partBits !== undefined) tryAt(at, partBits);
      at += part.length + 1;
    }
  }
  return out;
}

/** Exported for tests only. */
export const composureInternals = {
  scanAll,
  scanByTokens,
  NOT_SCANNABLE,
  FIRST_WORD_BITS,
  REGEXES: [GIVE_WAY, CHANGE, KEEP, TRADEOFF_WORDS, BECAUSE] as const,
};

/** Label one answer to a challenge. Pure; exported for tests. */
export function readAnswer(doc: TextDoc): AnswerReading {
  const lower = doc.text.toLowerCase().replace(/’/g, "'");
  const scan = NOT_SCANNABLE.test(doc.text) ? scanAll(lower) : scanByTokens(doc, lower);
  const features = sentenceFeatures(doc);
  const reasons: string[] = [];
  let reasonSentence = -1;
  let reasonWeight = 0;
  if (features.reason.some((v) => v === 1)) {
    const because = scan.because;
    reasons.push(because !== null ? `"${because}"` : 'a reason');
    reasonWeight += 1;
    reasonSentence = features.reason.findIndex((v) => v === 1);
  }
  const tradeoff = scan.tradeoff;
  if (tradeoff) {
    reasons.push(`the tradeoff ("${tradeoff.text}")`);
    reasonWeight += 1;
    const at = sentenceAt(doc, tradeoff.index);
    if (reasonSentence < 0 || at < reasonSentence) reasonSentence = at;
  }
  const numbers = extractQuantities(doc).filter(isMeaningful);
  if (numbers.length > 0) {
    reasons.push(`numbers (${numbers.slice(0, 3).map((q) => doc.text.slice(q.start, q.end).trim()).join(', ')})`);
    reasonWeight += 1;
    if (reasonSentence < 0) reasonSentence = numbers[0]!.sentence;
  }
  // A named technology alone is half a reason ("add a Redis Sentinel").
  if (features.tech.some((v) => v === 1) && reasonWeight === 0) reasonWeight += 0.5;

  const givesWay = [...scan.giveWay, ...scan.changes].sort((a, b) => a.at - b.at);
  const lastGive = givesWay[givesWay.length - 1] ?? null;
  const lastKeep = scan.lastKeep;
  const stance: AnswerReading['stance'] =
    lastKeep && (!lastGive || lastKeep.at > lastGive.at) ? 'keeps' : lastGive ? 'changes' : 'neutral';
  const phrases = [...new Set(givesWay.map((g) => g.phrase))];
  const words = doc.tokens.length;

  let label: PushbackLabel;
  let keySentence: number;
  if (stance === 'keeps') {
    label = 'defended';
    keySentence = reasonSentence >= 0 ? reasonSentence : sentenceAt(doc, lastKeep!.at);
  } else if (stance === 'changes') {
    if (reasonWeight >= 1 && words >= 10) {
      label = 'revised-with-reasons';
      keySentence = reasonSentence >= 0 ? reasonSentence : sentenceAt(doc, lastGive!.at);
    } else {
      label = 'capitulated';
      keySentence = sentenceAt(doc, givesWay[0]!.at);
    }
  } else if (reasonWeight >= 1) {
    label = 'defended';
    keySentence = reasonSentence >= 0 ? reasonSentence : 0;
  } else {
    const bare = BARE_ACCEPT.exec(lower);
    if (bare && words <= 12) {
      label = 'capitulated';
      phrases.push(bare[0].replace(/^\W+/, '').trim());
    } else {
      label = 'defended';
    }
    keySentence = 0;
  }
  return { label, reasons: reasonWeight >= 1 ? reasons : [], givesWay: phrases, stance, keySentence };
}
