// Text helpers shared by the evidence analyzers: sentences with offsets, word tokens with
// clause breaks, a compiled phrase matcher for rubric signal patterns, negation for simple
// cases, filler words, and quotes cut to a sentence or clause. Everything here is linear in
// the text: analyzers tokenise a turn once and then walk the tokens.

import { FNV_OFFSET, FNV_PRIME, type Vocabulary } from './vocabulary.js';

/** A sentence (or list item / heading line) of a turn: `text.slice(start, end)`. */
export interface Sentence {
  start: number;
  end: number;
  /** Index of the first token in the sentence and one past the last. */
  tokenStart: number;
  tokenEnd: number;
  /** The line began with a markdown list marker (`-`, `*`, `1.`) or a heading (`#`). */
  listItem: boolean;
  heading: boolean;
}

/**
 * A document's words (letters and digits, contractions kept whole: `don't`), stored in one
 * typed array, four numbers a token: a 6,000-word transcript is a handful of objects instead of
 * thousands, which keeps allocation and garbage collection out of the way.
 */
export class Tokens {
  constructor(
    /** Number of tokens. */
    readonly length: number,
    /** The vocabulary the ids index (lower-cased words, curly apostrophes straightened). */
    private readonly vocab: readonly string[],
    /**
     * Per token: vocabulary id, start, end, sentence × 2 + (1 when a clause break precedes it).
     * Readable for loops that want the ids without a call per token (`data[i * 4]` is `id(i)`).
     */
    readonly data: Int32Array,
  ) {}

  /** How many words the ids index (every id is below it). */
  get vocabularySize(): number {
    return this.vocab.length;
  }
  /** The lower-cased word. */
  word(i: number): string {
    return this.vocab[this.data[i * 4]!] ?? '';
  }
  /** Vocabulary id: matchers look words up in arrays instead of hashing strings. */
  id(i: number): number {
    return this.data[i * 4]!;
  }
  start(i: number): number {
    return this.data[i * 4 + 1]!;
  }
  end(i: number): number {
    return this.data[i * 4 + 2]!;
  }
  sentence(i: number): number {
    return this.data[i * 4 + 3]! >> 1;
  }
  /** A comma, semicolon, colon, bracket, dash or sentence boundary lies between this token and the previous one. */
  breakBefore(i: number): boolean {
    return (this.data[i * 4 + 3]! & 1) === 1;
  }
}

/** One turn's text, split once and shared by every analyzer. */
export interface TextDoc {
  /** The vocabulary the token ids belong to, and its generation when the document was read. */
  vocabulary: Vocabulary;
  generation: number;
  /** Per-document results other modules compute once (sentence features, quantities). */
  memo: { features?: unknown; quantities?: unknown; lower?: string | null; depth?: unknown; refusal?: Int8Array; list?: Int8Array };
  text: string;
  sentences: Sentence[];
  tokens: Tokens;
}

const ABBREVIATIONS = new Set(['e.g', 'i.e', 'eg', 'ie', 'vs', 'etc', 'approx', 'cf', 'mr', 'mrs', 'dr', 'fig', 'est', 'incl', 'resp', 'avg']);
/** Longest entry of ABBREVIATIONS: longer words before a dot need no string made. */
const ABBREVIATION_MAX = 6;

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13 || code === 0xa0;
}

function isWordChar(code: number): boolean {
  return (
    (code >= 48 && code <= 57) ||
    (code >= 65 && code <= 90) ||
    (code >= 97 && code <= 122) ||
    (code >= 0xc0 && code !== 0xd7 && code !== 0xf7 && code < 0x2000)
  );
}

/** The lower-cased word (letters, digits, dots) that ends just before `end`, or '' when it is longer than any abbreviation. */
function wordBefore(text: string, cs: Uint16Array, end: number): string {
  let i = end;
  while (i > 0) {
    const c = cs[i - 1]!;
    if (isWordChar(c) || c === 46) i--;
    else break;
  }
  return end - i > ABBREVIATION_MAX ? '' : text.slice(i, end).toLowerCase();
}

const LIST_MARKER = /(?:[ \t]*>)*[ \t]*(?:(#{1,6})[ \t]+|[-*+•][ \t]+|\d{1,3}[.)][ \t]+)?/y;

/** Add the sentence text[from, to) (list marker and surrounding blanks left out) when it has a word. */
function pushSentence(text: string, cs: Uint16Array, out: Sentence[], from: number, to: number, atLineStart: boolean): void {
  let s = from;
  let listItem = false;
  let heading = false;
  // The marker regex can only match something when the line starts with one of its characters.
  if (atLineStart && s < to) {
    const c = cs[s]!;
    if (c === 32 || c === 9 || c === 62 || c === 35 || c === 45 || c === 42 || c === 43 || c === 0x2022 || (c >= 48 && c <= 57)) {
      LIST_MARKER.lastIndex = s;
      const m = LIST_MARKER.exec(text);
      if (m && m[0].length > 0) {
        const marker = m[0].trim();
        if (marker.length > 0 && !/^>+$/.test(marker)) {
          if (m[1]) heading = true;
          else listItem = true;
        }
        s += m[0].length;
      }
    }
  }
  while (s < to && isSpace(cs[s]!)) s++;
  let e = to;
  while (e > s && isSpace(cs[e - 1]!)) e--;
  let hasWord = false;
  for (let i = s; i < e; i++) {
    if (isWordChar(cs[i]!)) {
      hasWord = true;
      break;
    }
  }
  // One literal shape for every sentence (token bounds are filled in by analyzeText).
  if (hasWord) out.push({ start: s, end: e, tokenStart: 0, tokenEnd: 0, listItem, heading });
}

/**
 * splitSentences over the text's code units `cs` (see Vocabulary.charsOf), given the positions of every
 * `.`, `!`, `?`, line break and `…` in order (`bounds[0..count)`), so only those are visited.
 */
function sentencesFrom(text: string, cs: Uint16Array, bounds: Int32Array, count: number): Sentence[] {
  const out: Sentence[] = [];
  let lineStart = 0;
  let start = 0;
  /** Candidates before this were swallowed by the previous boundary's run. */
  let next = 0;
  const n = text.length;
  for (let k = 0; k < count; k++) {
    const i = bounds[k]!;
    if (i < next) continue;
    const c = cs[i]!;
    if (c === 10) {
      pushSentence(text, cs, out, start, i, start === lineStart);
      start = i + 1;
      lineStart = i + 1;
      continue;
    }
    // Swallow runs like "?!" or "..." and closing quotes/brackets.
    let j = i + 1;
    while (j < n) {
      const d = cs[j]!;
      if (d === 46 || d === 33 || d === 63 || d === 34 || d === 39 || d === 41 || d === 0x201d || d === 0x2019) j++;
      else break;
    }
    if (j < n && !isSpace(cs[j]!)) continue;
    if (c === 46) {
      const word = wordBefore(text, cs, i);
      if (ABBREVIATIONS.has(word)) continue;
      // "1." opening a numbered list line is a marker, not the end of a sentence.
      if (/^\d{1,3}$/.test(word) && text.slice(lineStart, i - word.length).trim() === '') continue;
    }
    pushSentence(text, cs, out, start, j, start === lineStart);
    start = j;
    next = j;
  }
  pushSentence(text, cs, out, start, n, start === lineStart);
  return out;
}

/**
 * Split text into sentences with offsets. Boundaries: `.`, `!`, `?` (and `…`) followed by
 * whitespace or the end, except after an abbreviation (e.g., vs.) or a list number; and line
 * breaks, so list items and headings stand alone. Leading list markers are left out of the
 * sentence; empty pieces (no letter or digit) are dropped.
 */
export function splitSentences(text: string, vocabulary?: Vocabulary): Sentence[] {
  if (text.length > 0) Number(text);
  const n = text.length;
  // Without a vocabulary to borrow buffers from, this call makes its own.
  const cs = vocabulary ? vocabulary.charsOf(text) : charsOf(text);
  const bounds = vocabulary ? vocabulary.boundariesFor(n) : new Int32Array(n);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const c = cs[i]!;
    if (c === 46 || c === 33 || c === 63 || c === 10 || c === 0x2026) bounds[count++] = i;
  }
  return sentencesFrom(text, cs, bounds, count);
}

/** The text's code units in a new array, with a 0 past the end (see Vocabulary.charsOf). */
function charsOf(text: string): Uint16Array {
  const cs = new Uint16Array(text.length + 1);
  for (let i = 0; i < text.length; i++) cs[i] = text.charCodeAt(i);
  return cs;
}

const TOKEN = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;

const WORD_CHAR = /[\p{L}\p{N}]/u;
const SENTENCE_END = 1;
const WORD_PLAIN = 2;
const WORD_ASCII_UPPER = 3;
/**
 * Per ASCII code: 0 nothing, SENTENCE_END for `.`, `!`, `?` and a line break (candidates for
 * sentencesFrom), WORD_PLAIN for a lower-case letter or digit, WORD_ASCII_UPPER for a capital.
 */
const CHAR_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  CHAR_CLASS[c] =
    (c >= 48 && c <= 57) || (c >= 97 && c <= 122)
      ? WORD_PLAIN
      : c >= 65 && c <= 90
        ? WORD_ASCII_UPPER
        : c === 46 || c === 33 || c === 63 || c === 10
          ? SENTENCE_END
          : 0;
}

/** A letter or digit at `i` (ASCII fast path; surrogate pairs count as letters when they are). */
function isTokenChar(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 0x80) return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  if (c >= 0xd800 && c <= 0xdfff) {
    const cp = text.codePointAt(c <= 0xdbff ? i : i - 1) ?? c;
    return WORD_CHAR.test(String.fromCodePoint(cp));
  }
  return WORD_CHAR.test(text[i]!);
}

/** A comma, semicolon, colon, bracket, dash or " - " between two words. */
function hasClausePunct(cs: Uint16Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = cs[i]!;
    if (c === 44 || c === 59 || c === 58 || c === 40 || c === 41 || c === 91 || c === 93 || c === 0x2014 || c === 0x2013) return true;
    if (c === 45 && i > from && i + 1 < to && isSpace(cs[i - 1]!) && isSpace(cs[i + 1]!)) return true;
  }
  return false;
}

/** Tokenise `text` into words, each tagged with its sentence and whether a clause break precedes it. */
export function analyzeText(text: string, vocabulary: Vocabulary): TextDoc {
  // Flatten a rope string (built by concatenation) once: character access on one is slow.
  if (text.length > 0) Number(text);
  const n = text.length;
  vocabulary.startDocument();
  const cs = vocabulary.charsOf(text);
  // Tokens are separated by at least one character, so there are at most ⌈n/2⌉ of them. They
  // are written straight into a shared arena and the document keeps a view of its part
  // (making a typed array per document measured costlier than tokenising it).
  const capacity = Math.ceil(n / 2) + 1;
  vocabulary.reserveArena(capacity * 4);
  const out = vocabulary.arena;
  const base = vocabulary.arenaUsed;
  const bounds = vocabulary.boundariesFor(n);
  // One pass over the characters finds the words (hash, start, end, kind in the arena for
  // now) and the sentence-boundary candidates; sentences come from the candidates, and a pass
  // over the words then keeps those inside a sentence, looks them up and tags them.
  let words = 0;
  let boundaryCount = 0;
  let i = 0;
  while (i < n) {
    let c = cs[i]!;
    let kind: number;
    if (c < 0x80) {
      const cls = CHAR_CLASS[c]!;
      if (cls < WORD_PLAIN) {
        if (cls === SENTENCE_END) bounds[boundaryCount++] = i;
        i++;
        continue;
      }
      kind = cls === WORD_ASCII_UPPER ? 1 : 0;
      if (kind === 1) c += 32;
    } else if (isTokenChar(text, i)) {
      kind = 2;
    } else {
      if (c === 0x2026) bounds[boundaryCount++] = i;
      i++;
      continue;
    }
    const start = i;
    // FNV-1a of the normalised characters (not used for kind 2), fused with the scan.
    let h = Math.imul(FNV_OFFSET ^ c, FNV_PRIME);
    i++;
    // cs[n] is 0, which ends every word.
    for (;;) {
      c = cs[i]!;
      if (c < 0x80) {
        const cls = CHAR_CLASS[c]!;
        if (cls >= WORD_PLAIN) {
          if (cls === WORD_ASCII_UPPER) {
            c += 32;
            kind |= 1;
          }
          h = Math.imul(h ^ c, FNV_PRIME);
          i++;
          continue;
        }
      } else if (isTokenChar(text, i)) {
        kind = 2;
        i++;
        continue;
      }
      // A contraction: an apostrophe followed by a letter stays in the word ("don't").
      if (c === 39 || c === 0x2019) {
        const d = cs[i + 1]!;
        const letter = d < 0x80 ? CHAR_CLASS[d]! >= WORD_PLAIN && !(d >= 48 && d <= 57) : i + 1 < n && isTokenChar(text, i + 1);
        if (letter) {
          if (c === 0x2019) kind |= 1;
          let e = d;
          if (d >= 0x80) kind = 2;
          else if (d >= 65 && d <= 90) {
            e = d + 32;
            kind |= 1;
          }
          h = Math.imul(Math.imul(h ^ 39, FNV_PRIME) ^ e, FNV_PRIME);
          i += 2;
          continue;
        }
      }
      break;
    }
    const at = base + words * 4;
    out[at] = h;
    out[at + 1] = start;
    out[at + 2] = i;
    out[at + 3] = kind;
    words++;
  }
  const sentences = sentencesFrom(text, cs, bounds, boundaryCount);
  const sentenceCount = sentences.length;
  let count = 0;
  let si = -1;
  let sentence: Sentence | null = null;
  // The current sentence's bounds (an empty range before the first and after the last).
  let sentenceStart = 0;
  let sentenceEnd = 0;
  /** Sentence of the last kept token. */
  let prevSentence = -1;
  let prevEnd = 0;
  // The vocabulary table in locals (a field read costs a load and a check on every read);
  // reloaded after a word is added, which may grow it.
  let slots = vocabulary.slotIds;
  let hashes = vocabulary.slotHashes;
  let mask = vocabulary.slotMask;
  let lengths = vocabulary.wordLength;
  let offsets = vocabulary.wordAt;
  let chars = vocabulary.pool;
  // Kept words are written over the raw ones (never ahead of them).
  for (let w = 0; w < words; w++) {
    const from = base + w * 4;
    const start = out[from + 1]!;
    if (start >= sentenceEnd) {
      do si++;
      while (si < sentenceCount && sentences[si]!.end <= start);
      if (si >= sentenceCount) break;
      sentence = sentences[si]!;
      sentenceStart = sentence.start;
      sentenceEnd = sentence.end;
    }
    // A token outside every sentence (inside a stripped list marker) is skipped.
    if (sentenceStart > start) continue;
    const h = out[from]!;
    const end = out[from + 2]!;
    const kind = out[from + 3]!;
    let breakBefore = true;
    if (si !== prevSentence) {
      // tokenEnd is written once a sentence's last token is known.
      if (prevSentence >= 0) sentences[prevSentence]!.tokenEnd = count;
      sentence!.tokenStart = count;
      prevSentence = si;
    } else {
      breakBefore = hasClausePunct(cs, prevEnd, start);
    }
    let id = -1;
    if (kind === 0) {
      // findWord, inlined.
      const length = end - start;
      for (let slot = h & mask; ; slot = (slot + 1) & mask) {
        const entry = slots[slot]!;
        if (entry === 0) break;
        if (hashes[slot] === h && lengths[entry - 1] === length) {
          const at = offsets[entry - 1]! - start;
          let k = start;
          while (k < end && chars[at + k] === cs[k]) k++;
          if (k === end) {
            id = entry - 1;
            break;
          }
        }
      }
    }
    if (id < 0) {
      id = kind === 0 ? vocabulary.addWord(text.slice(start, end), cs, start, h) | 0 : vocabulary.normalisedTokenId(text, cs, start, end, kind, h) | 0;
      slots = vocabulary.slotIds;
      hashes = vocabulary.slotHashes;
      mask = vocabulary.slotMask;
      lengths = vocabulary.wordLength;
      offsets = vocabulary.wordAt;
      chars = vocabulary.pool;
    }
    const at = base + count * 4;
    out[at] = id;
    out[at + 1] = start;
    out[at + 2] = end;
    out[at + 3] = si * 2 + (breakBefore ? 1 : 0);
    count++;
    prevEnd = end;
  }
  if (prevSentence >= 0) sentences[prevSentence]!.tokenEnd = count;
  const tokens = new Tokens(count, vocabulary.words, out.subarray(base, base + count * 4));
  vocabulary.arenaUsed = base + count * 4;
  return { vocabulary, generation: vocabulary.generation, memo: {}, text, sentences, tokens };
}

/** Pattern words, lower-cased, split like the text (so "rate-limit" and "rate limit" are the same). */
export function patternWords(pattern: string): { words: string[]; prefix: boolean } {
  const trimmed = pattern.trim();
  const prefix = trimmed.endsWith('*');
  const words: string[] = [];
  const body = prefix ? trimmed.slice(0, -1) : trimmed;
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(body); m !== null; m = TOKEN.exec(body)) words.push(m[0].toLowerCase().replace(/’/g, "'"));
  return { words, prefix: prefix && words.length > 0 };
}

interface PhraseEntry<K> {
  key: K;
  words: string[];
  prefixLast: boolean;
}

interface TrieNode<K> {
  next: Map<number, TrieNode<K>>;
  /** Single-word prefix patterns ending at this node. */
  prefix: PhraseEntry<K>[];
}

/**
 * Entries to try at one token, in pattern order, as parallel arrays (cheaper to walk than the
 * entry objects): `keys[e]`, and `rest[e]` null for a one-word pattern (a hit on the spot) or
 * the entry whose further words must follow, with `restIds[e]` their vocabulary ids (-1 in a
 * slot: compare strings).
 */
interface HitList<K> {
  keys: K[];
  rest: (PhraseEntry<K> | null)[];
  restIds: (Int32Array | null)[];
  /**
   * Per entry: 0 one word (hit on the spot), 1 two words whose second was already matched by
   * id (only the sentence is left to check), 2 further words to check, 3 the same with the
   * second word already matched.
   */
  mode: Uint8Array;
}

/** The entries a word can start, in pattern order. */
interface WordStarts<K> {
  /** Entries that fit whatever word follows (one-word patterns, a prefix second word). */
  any: HitList<K>;
  /**
   * Vocabulary ids of required second words, ascending (null when there are none), and per id
   * `any` and the entries needing that word, in order. Cheaper to search than a Map: most words
   * start phrases with only a few different second words.
   */
  nextIds: Int32Array | null;
  byNext: HitList<K>[];
}

/**
 * What a matcher has learnt about one vocabulary's words, kept by that vocabulary (so the
 * matcher itself never changes after it is built): per word id, 0 not looked up yet, -1 starts
 * nothing, k > 0 the record `starts[k - 1]`.
 */
interface MatcherMemo<K> {
  /** The matcher's pattern count when the memo was made: patterns added later start a new one. */
  patterns: number;
  slots: Int32Array;
  starts: WordStarts<K>[];
}

/** A phrase found in a document: tokens [first, last] inclusive. */
export interface PhraseHit<K> {
  key: K;
  first: number;
  last: number;
}

/**
 * Many patterns compiled once and matched in one pass over a document's tokens. Patterns are
 * case-insensitive words or phrases on word boundaries; a trailing `*` makes the last word a
 * prefix. Words in a phrase may be separated by any whitespace, hyphens or punctuation, and a
 * multi-word phrase also matches written as one word ("load balancer" ~ "loadbalancer").
 * Phrases never span sentences.
 */
export class PhraseMatcher<K> {
  private readonly exact = new Map<string, PhraseEntry<K>[]>();
  private readonly root: TrieNode<K> = { next: new Map(), prefix: [] };
  private size = 0;
  /** Entries inserted (a multi-word pattern is two): memos made before the last insert are stale. */
  private inserted = 0;

  constructor(patterns: Iterable<{ key: K; pattern: string }> = []) {
    for (const { key, pattern } of patterns) this.add(key, pattern);
  }

  get patternCount(): number {
    return this.size;
  }

  add(key: K, pattern: string): void {
    const { words, prefix } = patternWords(pattern);
    if (words.length === 0) return;
    this.insert({ key, words, prefixLast: prefix });
    if (words.length > 1) this.insert({ key, words: [words.join('')], prefixLast: prefix });
    this.size++;
  }

  private insert(entry: PhraseEntry<K>): void {
    this.inserted++;
    if (entry.words.length === 1 && entry.prefixLast) {
      let node = this.root;
      const w = entry.words[0]!;
      for (let i = 0; i < w.length; i++) {
        const c = w.charCodeAt(i);
        let child = node.next.get(c);
        if (!child) {
          child = { next: new Map(), prefix: [] };
          node.next.set(c, child);
        }
        node = child;
      }
      node.prefix.push(entry);
      return;
    }
    const first = entry.words[0]!;
    const list = this.exact.get(first);
    if (list) list.push(entry);
    else this.exact.set(first, [entry]);
  }

  /** Entries a word can start (exact first words, then prefixes by length), in pattern order. */
  private entriesFor(word: string): PhraseEntry<K>[] | null {
    let entries: PhraseEntry<K>[] | null = null;
    const exact = this.exact.get(word);
    if (exact) entries = [...exact];
    let node: TrieNode<K> | undefined = this.root;
    for (let c = 0; c < word.length && node; c++) {
      node = node.next.get(word.charCodeAt(c));
      if (node && node.prefix.length > 0) (entries ??= []).push(...node.prefix);
    }
    return entries;
  }

  /**
   * The entries split by the word that must follow: a common word ("the", "to") starts dozens
   * of phrases, and looking at the next word first saves trying each of them.
   */
  private startsFor(word: string, doc: TextDoc): WordStarts<K> | null {
    const entries = this.entriesFor(word);
    if (entries === null) return null;
    const { vocabulary, generation } = doc;
    // Id of the exact second word an entry needs, or -1 when it fits any next word.
    const nextIds = entries.map((e) =>
      e.words.length === 1 || (e.words.length === 2 && e.prefixLast) ? -1 : vocabulary.idIn(e.words[1]!, generation),
    );
    const wordIds = entries.map((e) => {
      if (e.words.length === 1) return null;
      const ids = new Int32Array(e.words.length);
      for (let k = 0; k < ids.length; k++) ids[k] = vocabulary.idIn(e.words[k]!, generation);
      return ids;
    });
    const list = (picked: number[], secondMatched: (k: number) => boolean): HitList<K> => {
      const es = picked.map((k) => entries[k]!);
      const mode = Uint8Array.from(picked, (k) => {
        const e = entries[k]!;
        return e.words.length === 1 ? 0 : !secondMatched(k) ? 2 : e.words.length === 2 && !e.prefixLast ? 1 : 3;
      });
      return { keys: es.map((e) => e.key), rest: es.map((e) => (e.words.length === 1 ? null : e)), restIds: picked.map((k) => wordIds[k]!), mode };
    };
    const all = entries.map((_, k) => k);
    const any = list(
      all.filter((k) => nextIds[k]! < 0),
      () => false,
    );
    const ids = [...new Set(nextIds.filter((id) => id >= 0))].sort((a, b) => a - b);
    const byNext = ids.map((id) =>
      list(
        all.filter((k) => nextIds[k] === id || nextIds[k]! < 0),
        (k) => nextIds[k] === id,
      ),
    );
    return { any, nextIds: ids.length > 0 ? Int32Array.from(ids) : null, byNext };
  }

  /** This matcher's memo in the document's vocabulary (a throwaway one for a document of an older generation). */
  private memoFor(doc: TextDoc): MatcherMemo<K> {
    const fresh = (): MatcherMemo<K> => ({ patterns: this.inserted, slots: new Int32Array(0), starts: [] });
    const memo = doc.vocabulary.memo(this, doc.generation, fresh);
    return memo.patterns === this.inserted ? memo : doc.vocabulary.remember(this, doc.generation, fresh());
  }

  /** Every occurrence of every pattern in the document, in token order (no allocation per hit). */
  match(doc: TextDoc, onHit: (key: K, first: number, last: number) => void): void {
    const tokens = doc.tokens;
    const n = tokens.length;
    const memo = this.memoFor(doc);
    // Fields and the token ids in locals: this loop runs once per token per matcher.
    const data = tokens.data;
    const starts = memo.starts;
    let slots = memo.slots;
    for (let i = 0; i < n; i++) {
      // Skip words known to start nothing (most of them) in a loop of their own: kept small,
      // it stays in registers.
      for (;;) {
        const id = data[i * 4]!;
        if (id >= slots.length || slots[id] !== -1) break;
        if (++i === n) return;
      }
      const id = data[i * 4]!;
      if (id >= slots.length) {
        const grown = new Int32Array(Math.max(id + 1, slots.length * 2, 256));
        grown.set(slots);
        memo.slots = slots = grown;
      }
      let slot = slots[id]!;
      if (slot === 0) {
        const found = this.startsFor(tokens.word(i), doc);
        if (found === null) slot = -1;
        else {
          starts.push(found);
          slot = starts.length;
        }
        slots[id] = slot;
      }
      if (slot < 0) continue;
      const start = starts[slot - 1]!;
      let entries = start.any;
      const nextIds = start.nextIds;
      if (nextIds !== null && i + 1 < n) {
        const next = data[i * 4 + 4]!;
        let lo = 0;
        let hi = nextIds.length - 1;
        // Most next words are none of them: outside the range, no search.
        if (next < nextIds[0]! || next > nextIds[hi]!) hi = -1;
        while (lo <= hi) {
          const mid = (lo + hi) >> 1;
          const v = nextIds[mid]!;
          if (v < next) lo = mid + 1;
          else if (v > next) hi = mid - 1;
          else {
            entries = start.byNext[mid]!;
            break;
          }
        }
      }
      const keys = entries.keys;
      const modes = entries.mode;
      for (let e = 0; e < keys.length; e++) {
        const mode = modes[e]!;
        if (mode === 0) {
          onHit(keys[e]!, i, i);
        } else if (mode === 1) {
          // The second word is the next token: a hit when it is in the same sentence.
          if (data[i * 4 + 7]! >> 1 === data[i * 4 + 3]! >> 1) onHit(keys[e]!, i, i + 1);
        } else {
          const last = matchRest(doc, i, entries.rest[e]!, entries.restIds[e]!, mode === 3);
          if (last >= 0) onHit(keys[e]!, i, last);
        }
      }
    }
  }

  /** Convenience: the hits as an array. */
  all(doc: TextDoc): PhraseHit<K>[] {
    const hits: PhraseHit<K>[] = [];
    this.match(doc, (key, first, last) => hits.push({ key, first, last }));
    return hits;
  }
}

/** The last token of `entry` matched from token i on (its first word already matched), or -1. */
function matchRest<K>(doc: TextDoc, i: number, entry: PhraseEntry<K>, ids: Int32Array, secondMatched: boolean): number {
  const tokens = doc.tokens;
  const words = entry.words;
  const len = words.length;
  if (i + len > tokens.length) return -1;
  const sentence = tokens.sentence(i);
  // The pool holds this document's words only while its generation is the vocabulary's.
  const current = doc.generation === doc.vocabulary.generation;
  for (let k = 1; k < len; k++) {
    if (tokens.sentence(i + k) !== sentence) return -1;
    if (k === 1 && secondMatched) continue;
    if (k === len - 1 && entry.prefixLast) {
      const prefix = words[k]!;
      if (!(current ? doc.vocabulary.startsWith(tokens.id(i + k), prefix) : tokens.word(i + k).startsWith(prefix))) return -1;
    } else {
      // Whole words compare by vocabulary id (same id ⇔ same word within one generation).
      const want = ids[k]!;
      if (want >= 0 ? tokens.id(i + k) !== want : tokens.word(i + k) !== words[k]!) return -1;
    }
  }
  return i + len - 1;
}

const CASE_SENSITIVE_CONTEXT = /[\u0130\u03a3\ud800-\udfff]/;

/**
 * The text lower-cased once, when slicing it gives the same as lower-casing each slice: no
 * "İ" (lower-cases to two characters), no "Σ" (depends on the letters around it) and no
 * surrogate pair a slice could split. Otherwise null: lower-case each slice.
 */
export function sliceableLowerCase(text: string): string | null {
  return CASE_SENSITIVE_CONTEXT.test(text) ? null : text.toLowerCase();
}

/** `sliceableLowerCase(doc.text)`, once per document (estimation and tradeoffs both read it). */
export function docLowerCase(doc: TextDoc): string | null {
  if (doc.memo.lower === undefined) doc.memo.lower = sliceableLowerCase(doc.text);
  return doc.memo.lower;
}

// ---------------------------------------------------------------------------------------------
// Negation

const NEGATORS = new Set([
  'not', "don't", 'dont', "doesn't", 'doesnt', "won't", 'wont', "isn't", 'isnt', "aren't", 'arent', "can't", 'cant',
  'cannot', "shouldn't", 'shouldnt', "didn't", 'didnt', "wouldn't", 'wouldnt', "wasn't", "weren't", "haven't", "hasn't",
  'never', 'neither', 'nor', 'without', 'skip', 'skipping', 'ignore', 'ignoring', 'unnecessary', 'unneeded',
]);
const CLAUSE_TURNS = new Set(['but', 'although', 'though', 'however', 'yet', 'except', 'whereas', 'while', 'instead']);
/** After "not", these do not negate ("not only monitoring but…"). */
const NOT_NEGATING = new Set(['only', 'just', 'merely', 'simply']);
/**
 * Phrases naming something bad: "no single point of failure" / "without downtime" still
 * shows the candidate thought about it, so a plain "no"/"without" does not cancel them.
 */
const BAD_THING = /^(?:fail|failure|downtime|los[st]|lose|outage|spof|single|bottleneck|hot|hotspot|conflict|duplicat|lag|error|race|contention|data loss|stale|split|thundering|starv|leak|overload|throttl|abuse|spam|attack|breach)/;

/**
 * True when the phrase at tokens [first, last] is negated in a simple way: "we don't need
 * monitoring", "no caching", "without any replication", "no need for a CDN". Looks back at most
 * five words within the clause; a contrast word ("but") or clause punctuation ends the search.
 */
export function isNegated(doc: TextDoc, first: number, last: number = first): boolean {
  const tokens = doc.tokens;
  if (first < 0 || first >= tokens.length) return false;
  let phrase = '';
  for (let k = first; k <= last; k++) phrase += (k > first ? ' ' : '') + tokens.word(k);
  const bad = BAD_THING.test(phrase);
  for (let j = first - 1, distance = 1; j >= 0 && distance <= 5; j--, distance++) {
    // Clause punctuation (or a sentence boundary) between j and the word after it: stop.
    if (tokens.breakBefore(j + 1)) break;
    const word = tokens.word(j);
    if (CLAUSE_TURNS.has(word)) break;
    if (NEGATORS.has(word)) {
      if (word === 'not' && NOT_NEGATING.has(tokens.word(j + 1))) return false;
      // "without" and "never" before a bad thing are good news ("without downtime").
      if (bad && (word === 'without' || word === 'never' || word === 'skip')) return false;
      return true;
    }
    if (word === 'no' || word === 'zero') {
      if (bad) return false;
      // "No matter Postgres or Cassandra, …": whichever, not neither.
      if (tokens.word(j + 1) === 'matter') return false;
      if (distance <= 2) return true;
      const next = tokens.word(j + 1);
      if (next === 'need' || next === 'point') return true;
      // "No authentication or encryption is needed": the "no" spans alternatives joined by or/nor.
      const joiner = tokens.word(first - 1);
      if ((joiner === 'or' || joiner === 'nor') && distance <= 4) return true;
    }
  }
  return false;
}

/**
 * A sentence in which the speaker declines the work itself: "I'm not going to estimate…", "I
 * don't think we need to know the latency target", "None of that is needed", "It doesn't
 * matter". Nothing named in it is claimed, whatever the distance to the negation.
 */
const REFUSAL_START = /^(?:(?:so|and|but|also|ok|okay|well|now|honestly|frankly|here),?\s+)*(?:i|we|i'm|we're|i am|we are)\s+(?:really\s+)?(?:won't|will not|not going to|'m not going to|am not going to|'re not going to|are not going to|don't want to|do not want to|don't think\b[^.;:]{0,40}\bneeds?\b|do not think\b[^.;:]{0,40}\bneeds?\b|don't need to (?:ask|know|estimate|discuss|compare|worry|talk|think|cover|handle|bother|size|choose|pick)|won't bother|also don't want to)/;
const REFUSAL_ANY = /\b(?:none of (?:that|this|it|these|those|the usual \w+) (?:is|are|matters?|applies|apply|changes?)|(?:isn't|aren't|is not|are not) (?:needed|necessary|a concern|relevant)|(?:doesn't|don't|does not|do not) matter|no need to (?:ask|know|estimate|discuss|compare|worry|talk|think))\b/;
const REFUSAL_FIRST = new Set(['so', 'and', 'but', 'also', 'ok', 'okay', 'well', 'now', 'honestly', 'frankly', 'here', 'i', 'we', "i'm", "we're"]);
/** Words that negate what follows them in a list ("No blocklist, no safe-browsing check, no…"). */
const LIST_NEGATORS = new Set(['no', 'not', 'without', 'none', 'nor']);

export function isRefusal(doc: TextDoc, sentence: number): boolean {
  // Several analyzers ask about the same sentences: answered once per sentence.
  const memo = (doc.memo.refusal ??= new Int8Array(doc.sentences.length).fill(-1));
  if (memo[sentence] === -1) memo[sentence] = refusal(doc, sentence) ? 1 : 0;
  return memo[sentence] === 1;
}

function refusal(doc: TextDoc, sentence: number): boolean {
  const { start, end, tokenStart, tokenEnd } = doc.sentences[sentence]!;
  if (tokenEnd <= tokenStart) return false;
  const first = REFUSAL_FIRST.has(doc.tokens.word(tokenStart));
  // A sentence that opens with a negation and keeps negating ("No blocklist, no safe-browsing
  // check, no rate limiting…") rules out everything it lists.
  if (LIST_NEGATORS.has(doc.tokens.word(tokenStart))) {
    let negators = 0;
    for (let i = tokenStart; i < tokenEnd && negators < 2; i++) if (LIST_NEGATORS.has(doc.tokens.word(i))) negators++;
    if (negators >= 2) return true;
  }
  if (!first && !mayRefuseAnywhere(doc, tokenStart, tokenEnd)) return false;
  const text = doc.text.slice(start, end).toLowerCase().replace(/\u2019/g, "'");
  if (REFUSAL_FIRST.has(doc.tokens.word(tokenStart)) && REFUSAL_START.test(text)) return true;
  return REFUSAL_ANY.test(text);
}

/** Words without which REFUSAL_ANY cannot match: most sentences have none, and skip the regex. */
const REFUSAL_ANY_WORDS = new Set(['none', 'needed', 'necessary', 'concern', 'relevant', 'matter', 'need']);
function mayRefuseAnywhere(doc: TextDoc, tokenStart: number, tokenEnd: number): boolean {
  for (let i = tokenStart; i < tokenEnd; i++) if (REFUSAL_ANY_WORDS.has(doc.tokens.word(i))) return true;
  return false;
}

/**
 * A number that identifies a sentence by its words (FNV-1a over the vocabulary ids, with its
 * length), for "said before, word for word" checks without building a string per sentence. Ids
 * are shared by every document of one vocabulary generation, which a grading run stays within:
 * compare keys only between documents read with the same vocabulary.
 */
export function sentenceKey(doc: TextDoc, sentence: number): number {
  const { tokenStart, tokenEnd } = doc.sentences[sentence]!;
  const data = doc.tokens.data;
  let h = 0x811c9dc5 ^ (tokenEnd - tokenStart);
  for (let i = tokenStart; i < tokenEnd; i++) h = Math.imul(h ^ data[i * 4]!, 0x01000193);
  // 2^32 buckets times the generation: the same words in another generation never collide with these.
  return (h >>> 0) + doc.generation * 4294967296;
}

// ---------------------------------------------------------------------------------------------
// Filler

const ALWAYS_FILLER = new Set(['um', 'umm', 'uh', 'uhh', 'uhm', 'erm', 'er', 'hmm', 'mm', 'ah', 'basically', 'literally']);
const LIKE_NOT_FILLER_BEFORE = new Set(['would', "i'd", "we'd", "you'd", 'something', 'looks', 'look', 'feel', 'feels', 'seems', 'seem', 'just', 'much', 'more', 'is', 'are', 'things', 'stuff', 'systems', 'services', 'anything', 'nothing', 'exactly']);
const KIND_NOT_FILLER_BEFORE = new Set(['what', 'which', 'this', 'that', 'some', 'the', 'a', 'any', 'same', 'different', 'every', 'one', 'another', 'each', 'these', 'those', 'all', 'whatever', 'right', 'wrong', 'new', 'other']);
const KNOW_OBJECTS = new Set(['what', 'that', 'the', 'how', 'which', 'where', 'when', 'whether', 'if', 'about', 'a', 'an', 'it', 'this', 'them', 'him', 'her', 'who', 'why', 'each', 'our', 'your', 'their', 'its', 'in', 'from', 'exactly']);

const fillerStarts = new PhraseMatcher<number>([...ALWAYS_FILLER, 'like', 'you', 'i', 'kind', 'sort'].map((pattern) => ({ key: 0, pattern })));

/** A filler word or phrase at tokens [first, last]. */
export interface Filler {
  first: number;
  last: number;
  phrase: string;
}

/**
 * Filler: "um", "uh", "basically" always; "like" only as an interjection (", like," — not
 * "something like Postgres"); "you know" not followed by an object; "I guess"; "kind of" /
 * "sort of" as hedges (not "what kind of database"); "I mean" opening a clause.
 */
export function findFillers(doc: TextDoc): Filler[] {
  const tokens = doc.tokens;
  const out: Filler[] = [];
  let skipUntil = -1;
  // Only words that can open a filler are looked at (found through the id-indexed matcher).
  fillerStarts.match(doc, (_key, i) => {
    if (i <= skipUntil) return;
    const w = tokens.word(i);
    if (ALWAYS_FILLER.has(w)) {
      out.push({ first: i, last: i, phrase: w });
      return;
    }
    const sentence = tokens.sentence(i);
    const hasNext = i + 1 < tokens.length && tokens.sentence(i + 1) === sentence;
    const hasPrev = i > 0 && tokens.sentence(i - 1) === sentence;
    const breakBefore = tokens.breakBefore(i);
    if (w === 'like') {
      // An interjection ("it's, like, huge", "like, we could…"), not a comparison or an
      // example ("something like Postgres", "queues like Kafka").
      const breakAfter = !hasNext || tokens.breakBefore(i + 1);
      const comparison = hasPrev && !breakBefore && LIKE_NOT_FILLER_BEFORE.has(tokens.word(i - 1));
      if (breakAfter && !comparison) out.push({ first: i, last: i, phrase: 'like' });
      return;
    }
    if (!hasNext || tokens.breakBefore(i + 1)) return;
    const second = tokens.word(i + 1);
    const hasAfter = i + 2 < tokens.length && tokens.sentence(i + 2) === sentence;
    if (w === 'you' && second === 'know') {
      if (!hasAfter || tokens.breakBefore(i + 2) || !KNOW_OBJECTS.has(tokens.word(i + 2))) {
        out.push({ first: i, last: i + 1, phrase: 'you know' });
        skipUntil = i + 1;
      }
    } else if (w === 'i' && second === 'guess') {
      out.push({ first: i, last: i + 1, phrase: 'I guess' });
      skipUntil = i + 1;
    } else if ((w === 'kind' || w === 'sort') && second === 'of') {
      if (!(hasPrev && !breakBefore && KIND_NOT_FILLER_BEFORE.has(tokens.word(i - 1)))) {
        out.push({ first: i, last: i + 1, phrase: `${w} of` });
        skipUntil = i + 1;
      }
    } else if (w === 'i' && second === 'mean' && breakBefore) {
      if (!hasAfter || tokens.breakBefore(i + 2)) {
        out.push({ first: i, last: i + 1, phrase: 'I mean' });
        skipUntil = i + 1;
      }
    }
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Quotes

/** Quotes longer than this are cut to the clause around the point of interest. */
export const MAX_QUOTE = 240;

const CLAUSE_SPLIT = /[;:,]\s+|\s[—–-]\s/g;

function trimSpan(text: string, start: number, end: number): [number, number] {
  let s = start;
  let e = end;
  while (s < e && (isSpace(text.charCodeAt(s)) || /[,;:—–-]/.test(text[s]!))) s++;
  while (e > s && (isSpace(text.charCodeAt(e - 1)) || /[,;:—–-]/.test(text[e - 1]!))) e--;
  return [s, e];
}

/**
 * A verbatim quote: the sentence, or when the sentence is long the clause(s) around
 * [focusStart, focusEnd) (character offsets in the turn text). Always an exact substring of
 * the text.
 */
export function quoteAround(doc: TextDoc, sentenceIndex: number, focusStart?: number, focusEnd?: number, max = MAX_QUOTE): string {
  const sentence = doc.sentences[sentenceIndex];
  if (!sentence) return '';
  const { text } = doc;
  if (sentence.end - sentence.start <= max) return text.slice(sentence.start, sentence.end);
  const fs = Math.max(sentence.start, Math.min(focusStart ?? sentence.start, sentence.end));
  const fe = Math.max(fs, Math.min(focusEnd ?? fs, sentence.end));
  // Clause boundaries within the sentence.
  const cuts: number[] = [sentence.start];
  const body = text.slice(sentence.start, sentence.end);
  CLAUSE_SPLIT.lastIndex = 0;
  for (let m = CLAUSE_SPLIT.exec(body); m !== null; m = CLAUSE_SPLIT.exec(body)) cuts.push(sentence.start + m.index + m[0].length);
  cuts.push(sentence.end);
  let ci = 0;
  while (ci + 1 < cuts.length - 1 && cuts[ci + 1]! <= fs) ci++;
  let a = cuts[ci]!;
  let b = cuts[ci + 1]!;
  let cj = ci + 1;
  while (b < fe && cj + 1 < cuts.length) b = cuts[++cj]!;
  // Grow by whole clauses while it fits, preferring what follows.
  for (;;) {
    const nextB = cj + 1 < cuts.length ? cuts[cj + 1]! : null;
    const prevA = ci > 0 ? cuts[ci - 1]! : null;
    if (nextB !== null && nextB - a <= max) {
      b = nextB;
      cj++;
    } else if (prevA !== null && b - prevA <= max) {
      a = prevA;
      ci--;
    } else break;
  }
  if (b - a > max) {
    // One enormous clause: a word-aligned window around the focus.
    const centre = Math.floor((fs + fe) / 2);
    a = Math.max(sentence.start, centre - Math.floor(max / 2));
    b = Math.min(sentence.end, a + max);
    while (a > sentence.start && isWordChar(text.charCodeAt(a - 1)) && isWordChar(text.charCodeAt(a))) a++;
    while (b < sentence.end && isWordChar(text.charCodeAt(b - 1)) && isWordChar(text.charCodeAt(b))) b--;
  }
  const [s, e] = trimSpan(text, a, b);
  return text.slice(s, e);
}

/** The quote for a token range: its sentence, or the clause around it. */
export function quoteTokens(doc: TextDoc, first: number, last: number = first): string {
  const tokens = doc.tokens;
  if (first < 0 || first >= tokens.length) return '';
  const end = last >= first && last < tokens.length ? tokens.end(last) : tokens.end(first);
  return quoteAround(doc, tokens.sentence(first), tokens.start(first), end);
}

/** Round to one decimal and clamp to the 1–5 scale. */
export function clampScore(value: number): number {
  const clamped = Math.min(5, Math.max(1, value));
  return Math.round(clamped * 10) / 10;
}
