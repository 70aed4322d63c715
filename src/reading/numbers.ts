// Numbers with units and magnitudes in free text: "200M DAU", "23k QPS", "1.2k writes per
// second", "5 TB/yr", "2 ms p99", "100 million links a day", "3.5 trillion", "62^7", "10^9",
// "500 bytes", "90 TB". Each becomes a Quantity normalised to the units problem files use.
import type { TextDoc } from './text.js';

/**
 * Units after normalisation. The first six are the problem files' units; `seconds` is a
 * duration other than a latency (e.g. "100k seconds a day", "5 years"), `ratio` a multiplier
 * ("100x"), `none` a bare number.
 */
export type QuantityUnit =
  | 'per_second'
  | 'per_day'
  | 'count'
  | 'bytes'
  | 'bytes_per_second'
  | 'milliseconds'
  | 'seconds'
  | 'ratio'
  | 'percent'
  | 'none';

export interface Quantity {
  /** Normalised value in `unit`: 1.2k QPS → 1200 per_second; 5 TB → 5e12 bytes; 2 ms → 2. */
  value: number;
  /**
   * The number as written times its magnitude and byte prefix, without time conversions:
   * "100M a day" → 1e8, "100k seconds" → 1e5, "90 TB" → 9e13. What the candidate's own
   * arithmetic works with.
   */
  raw: number;
  unit: QuantityUnit;
  /** Character span in the turn text: the number and its unit phrase. */
  start: number;
  end: number;
  /** Had a magnitude (k, M, million), a power (62^7) or a byte prefix. */
  magnitude: boolean;
  power: boolean;
  /** The noun after the number ("writes", "dau", "records"), lower-case. */
  noun: string | null;
  /** Rate or storage period as written: "day", "second", "year". */
  per: string | null;
  sentence: number;
  /** Unit taken from the quantity before it ("1.2k QPS, maybe 3k at peak"). */
  inherited: boolean;
  /** A size per item ("500 bytes per record", "each key needs 100 bytes"), not a total. */
  perItem: boolean;
  /**
   * Written with a bare "B" ("500B", "3 B"): bytes next to byte units or as a size per item
   * ("20M × 500B ≈ 10 GB", "500B each"), else billions ("3B requests", "$2B"). `unit` says
   * which reading was taken; the arithmetic check may try the other one.
   */
  letterB?: boolean;
}

const SECONDS_PER: Record<string, number> = {
  second: 1,
  minute: 60,
  hour: 3600,
  day: 86_400,
  week: 7 * 86_400,
  month: 30 * 86_400,
  year: 365 * 86_400,
};

function periodOf(word: string): string | null {
  const lower = word.toLowerCase();
  const w = lower.length > 2 && lower.endsWith('s') ? lower.slice(0, -1) : lower;
  switch (w) {
    case 's':
    case 'sec':
    case 'second':
      return 'second';
    case 'm':
    case 'min':
    case 'minute':
      return 'minute';
    case 'h':
    case 'hr':
    case 'hour':
      return 'hour';
    case 'd':
    case 'day':
      return 'day';
    case 'wk':
    case 'week':
      return 'week';
    case 'mo':
    case 'month':
      return 'month';
    case 'y':
    case 'yr':
    case 'year':
      return 'year';
    default:
      return null;
  }
}

const WORD_VALUES: Record<string, number> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, fifteen: 15, twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70,
  eighty: 80, ninety: 90, hundred: 100, few: 3, several: 5,
};

const MAGNITUDE_WORDS: Record<string, number> = {
  hundred: 1e2,
  thousand: 1e3,
  k: 1e3,
  million: 1e6,
  mn: 1e6,
  mil: 1e6,
  // Common misspellings ("300 milion a day").
  milion: 1e6,
  millon: 1e6,
  bilion: 1e9,
  billon: 1e9,
  trilion: 1e12,
  mm: 1e6,
  m: 1e6,
  billion: 1e9,
  bn: 1e9,
  b: 1e9,
  trillion: 1e12,
  tn: 1e12,
  t: 1e12,
  quadrillion: 1e15,
};

const BYTE_PREFIX: Record<string, number> = { '': 1, k: 1e3, m: 1e6, g: 1e9, t: 1e12, p: 1e15, e: 1e18 };
const BYTE_WORD: Record<string, number> = { kilo: 1e3, mega: 1e6, giga: 1e9, tera: 1e12, peta: 1e15, exa: 1e18 };

/** Magnitude words, and a number word right before one ("a million", "two billion"). */
const MAGNITUDE_SCAN = /\b(?:hundred|thousand|million|billion|trillion)\b/gi;
const NUMBER_WORD_BEFORE =
  /\b(a|an|one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|few|several)\s+$/i;

/**
 * A number in digits (1,200 / 1.2 / .5 / 1e9), optionally a power (62^7, 2**32); not inside a
 * word like "p99", "base62", "S3", not after a decimal point, caret, colon or "HTTP/" (`glued`).
 * The grammar; `digitStarts` reads it by hand (exported for tests).
 */
export const DIGITS = /(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?(?:e\d{1,2})?|\.\d+)(?:\s*(?:\^|\*\*)\s*(\d{1,3}))?/g;
const HAS_NUMBER_WORD = /hundred|thousand|illion/i;
const LETTER = /\p{L}/u;

function isLetterOrDigit(code: number, ch: string): boolean {
  if ((code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122)) return true;
  return code >= 0x80 && (LETTER.test(ch) || /\p{N}/u.test(ch));
}

/** The match starts inside a word or number ("p99", "base62", "1.2.3", "HTTP/2", "10:30"). */
function glued(text: string, at: number): boolean {
  if (at === 0) return false;
  const code = text.charCodeAt(at - 1);
  const ch = text[at - 1]!;
  if (isLetterOrDigit(code, ch) || ch === '_' || ch === '.' || ch === '^' || ch === ':') return true;
  if (ch === '/') {
    // "HTTP/2" is a version; "100M/100k" is a division.
    let i = at - 1;
    let letters = false;
    while (i > 0) {
      const c = text.charCodeAt(i - 1);
      if (c >= 48 && c <= 57) return false;
      if (!isLetterOrDigit(c, text[i - 1]!)) break;
      letters = true;
      i--;
    }
    return letters;
  }
  return false;
}

// Suffix grammar, each tried at the current position (sticky).
const RATIO = /\s?(?:x|×)(?![\p{L}\p{N}])(?!\s*\d)/uy;
const PERCENT = /\s?(?:%|percent\b)/uy;
const BITS_PER_SECOND = /\s?([kmgt])bps(?![\p{L}])/iuy;
const BYTES = /\s?(?:([kmgtpe])i?b(?![\p{L}])|(kilo|mega|giga|tera|peta|exa)?bytes?(?![\p{L}]))/iuy;
/** Magnitude letters: upper-case may be spaced ("3 M"), lower-case must be attached ("3m"). */
const MAGNITUDE_LETTER = /(?:\s?(K|M|MM|B|Bn|BN|T|Tn)|(k|m|mm|b|bn|t|tn))(?![\p{L}\p{N}])/uy;
const MAGNITUDE_WORD = /\s*(hundred|thousand|million|mn|mil|billion|trillion|quadrillion|milion|millon|bilion|billon|trilion)(?![\p{L}])/iuy;
const RATE_ABBREVIATION = /\s*(qps|rps|tps|wps|iops|ops|rpm|qpm|requests?\/s(?:ec)?|req\/s(?:ec)?|ops\/s(?:ec)?|writes\/s(?:ec)?|reads\/s(?:ec)?|msgs?\/s(?:ec)?)(?![\p{L}])/iuy;
const PER_PERIOD = /\s*(?:\/\s*|\s+per\s+|\s+an?\s+|\s+each\s+|\s+every\s+)(seconds?|secs?|s|days?|d|years?|yrs?|y|months?|mo|hours?|hrs?|h|minutes?|mins?|weeks?|wk)(?![\p{L}])/iuy;
const DURATION = /\s?(ms|msec|millis(?:econds?)?|milliseconds?|µs|us|microseconds?|ns|nanoseconds?|s|secs?|seconds?|mins?|minutes?|h|hrs?|hours?|days?|d|weeks?|months?|years?|yrs?)(?![\p{L}])/iuy;
/** Up to three words, then a period: "1.2k writes per second", "3 billion feed reads a day". */
const NOUNS_THEN_PERIOD =
  /((?:\s+(?!(?:per|a|an|each|every|is|are|was|were|and|or|to|of|in|on|at|by|for|from|with|divided|plus|minus|over|x|which|so|that|the|it|about|roughly|around)\b)[\p{L}][\p{L}\p{N}'’-]*){1,3}?)\s*(?:\/\s*|\s+per\s+|\s+an?\s+|\s+each\s+|\s+every\s+)(seconds?|secs?|days?|years?|yrs?|months?|hours?|hrs?|minutes?|mins?|weeks?)(?![\p{L}])/iuy;
const NOUN = /\s+([\p{L}][\p{L}\p{N}'’-]*)/uy;
/** "per record", "each", "a row": a size per item. */
const PER_ITEM = /\s*(?:(?:per|a|an)\s+(?!(?:seconds?|secs?|days?|years?|yrs?|months?|hours?|hrs?|minutes?|mins?|weeks?)\b)[\p{L}][\p{L}\p{N}'’-]*|each\b|apiece\b)/iuy;
/** "each record is 500 bytes": a size per item. Not when "each" belongs to an earlier figure ("500 bytes each, … 91 TB"). */
const EACH_BEFORE = /(?<!(?:\b(?:bytes?|[kmgtp]i?b|b)|\d[kmgtp]?i?b)\s{1,3})\b(?:each|every|per|a single|one)\b(?![^,.;:!?]*\d)[^,.;:!?]{0,40}$/i;
/**
 * "each record is 500B", "a message with its reply is about 3 KB": a size after a record-like
 * thing and a verb is one per item ("a message queue holds 500 GB" is not).
 */
const ITEM_BEFORE =
  /\b(?:each|every|per|a single|one|a|an)\s+(?:[a-z]+\s+)?(?:record|row|entry|entrie|item|message|object|key|value|event|document|post|tweet|photo|image|file|blob|chunk|page|payload|request|response|counter|link|url|span|sample|line|entity|profile)s?\b(?!-)(?:\s+(?:with|and|plus|including|in|on)\b[^,.;:!?\d]{0,25}?)?\s+(?:is|are|takes?|needs?|weighs?|uses?|averages?|costs?|comes? to|at|of|around|about|roughly|maybe|say)\b[^,.;:!?\d]{0,20}$/i;
/** A multiplication between two neighbouring figures ("1 KB × 1B"). */
const TIMES_GAP = /^\s*(?:[×x*]|times|multiplied by)\s*$/i;
/** HTTP status codes are not quantities ("302 redirects", "a 404 page"). */
const STATUS_NOUN = /^(?:redirects?|responses?|status(?:es)?|errors?|codes?|pages?)$/;
const ATTACHED_LETTER = /[\p{L}]/uy;

/** Words after a number that are not the thing counted. */
const NOT_NOUNS = new Set([
  'times', 'x', 'divided', 'multiplied', 'plus', 'minus', 'over', 'per', 'is', 'are', 'was', 'were', 'and', 'or', 'to',
  'of', 'in', 'on', 'at', 'by', 'for', 'from', 'with', 'which', 'so', 'that', 'the', 'a', 'an', 'it', 'about', 'roughly',
  'around', 'approximately', 'gives', 'give', 'means', 'would', 'will', 'should', 'could', 'can', 'might', 'may', 'if',
  'then', 'than', 'as', 'be', 'we', 'i', 'you', 'they', 'this', 'these', 'those', 'but', 'maybe', 'call', 'say', 'or',
  'each', 'every', 'into', 'up', 'down', 'out', 'more', 'less', 'fewer', 'average', 'peak', 'on', 'at',
]);

/** Nouns that make a number a count of things people care about (singular and plural). */
const COUNT_NOUNS = new Set(['dau', 'mau', 'people', 'entries', 'entry', 'queries', 'combinations']);
for (const stem of [
  'user', 'account', 'customer', 'client', 'device', 'key', 'record', 'row', 'link', 'url', 'post', 'tweet', 'message', 'event', 'object',
  'file', 'photo', 'image', 'video', 'item', 'document', 'request', 'write', 'read', 'redirect', 'click', 'follower', 'friend', 'connection',
  'session', 'server', 'machine', 'node', 'host', 'instance', 'shard', 'partition', 'replica', 'region', 'driver', 'rider', 'order',
  'transaction', 'notification', 'chat', 'id', 'code', 'character', 'char', 'bucket', 'counter', 'listing', 'product', 'page', 'token', 'line',
]) {
  COUNT_NOUNS.add(stem);
  COUNT_NOUNS.add(`${stem}s`);
}

function parseDigits(text: string): number {
  return Number(text.replace(/,/g, ''));
}

/** Marker for `tryAt`: any letter may start the rule. */
const LETTERS = '<letters>';

/** The next character after at most two blanks, lower-cased ('' at the end). */
function peek(text: string, at: number): string {
  let i = at;
  while (i < at + 2 && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  return i < text.length ? text[i]!.toLowerCase() : '';
}

function isLetterChar(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c > '\u007f' && LETTER.test(c));
}

/** Try a suffix rule only when the next non-blank character could start it. */
function tryAt(re: RegExp, starts: string, text: string, at: number): RegExpExecArray | null {
  const c = peek(text, at);
  if (c === '') return null;
  if (starts === LETTERS ? !isLetterChar(c) : !starts.includes(c)) return null;
  return stickyAt(re, text, at);
}

/** A count or byte amount per period → unit and normalised value. */
function rateUnit(period: string, rateOf: 'count' | 'bytes', raw: number): { unit: QuantityUnit; value: number } {
  const seconds = SECONDS_PER[period] ?? 1;
  if (rateOf === 'bytes') {
    // Storage growth ("5 TB/yr", "1 TB a day") is an amount of bytes over that period.
    return { unit: period === 'second' ? 'bytes_per_second' : 'bytes', value: raw };
  }
  if (seconds < 86_400) return { unit: 'per_second', value: raw / seconds };
  return { unit: 'per_day', value: raw / (seconds / 86_400) };
}

function stickyAt(re: RegExp, text: string, at: number): RegExpExecArray | null {
  re.lastIndex = at;
  return re.exec(text);
}

/** Could the text hold a number at all (a digit or a magnitude word)? Cheap pre-check. */
export function mayHaveNumbers(text: string): boolean {
  return /\d/.test(text) || HAS_NUMBER_WORD.test(text);
}

/**
 * Every quantity in the text, in order. Uses only the document's text and sentences; cached
 * per document (estimation and composure both read a turn's numbers). Callers must not
 * change the quantities' own fields (estimation tags them with their turn).
 */
export function extractQuantities(doc: Pick<TextDoc, 'text' | 'sentences'> & { memo?: TextDoc['memo'] }): Quantity[] {
  if (!doc.memo) return parseQuantities(doc);
  if (!doc.memo.quantities) doc.memo.quantities = parseQuantities(doc);
  return doc.memo.quantities as Quantity[];
}

// ---------------------------------------------------------------------------------------------
// Fast paths. The regexes above are the grammar; these read the same thing by hand for ASCII
// text (most of it), without match arrays, and fall back to the regexes for anything else.

function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isAsciiLetterCode(c: number): boolean {
  const l = c | 0x20;
  return l >= 97 && l <= 122;
}

/** JavaScript's `\s`. */
export function isSpaceCode(c: number): boolean {
  if (c < 0x80) return c === 32 || (c >= 9 && c <= 13);
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

const NEXT_DIGIT = /\.?\d/g;

/** `s.trim().split(/\s+/).pop()`: the text after the last blank once the ends are trimmed. */
export function lastWord(s: string): string {
  let end = s.length;
  while (end > 0 && isSpaceCode(s.charCodeAt(end - 1))) end--;
  let i = end;
  while (i > 0 && !isSpaceCode(s.charCodeAt(i - 1))) i--;
  return s.slice(i, end);
}

/** ",ddd" at `at`. */
function isGroup(text: string, at: number): boolean {
  return text.charCodeAt(at) === 44 && isDigitCode(text.charCodeAt(at + 1)) && isDigitCode(text.charCodeAt(at + 2)) && isDigitCode(text.charCodeAt(at + 3));
}

/** Digits (and commas) in [from, to) as an exact integer; only for at most 15 digits. */
function integerOf(text: string, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c !== 44) v = v * 10 + (c - 48);
  }
  return v;
}

/** Every DIGITS match in order (the same spans and values as the regex), minus glued ones. */
function digitStarts(text: string, starts: NumberStart[], keepGlued = false): void {
  let i = 0;
  for (;;) {
    // The regex engine skips to the next digit or ".5" much faster than a loop over characters.
    NEXT_DIGIT.lastIndex = i;
    if (!NEXT_DIGIT.test(text)) return;
    const last = NEXT_DIGIT.lastIndex;
    // A one-character match right after a "." the search passed over cannot happen: ".5" matches first.
    i = last - 2 >= i && text.charCodeAt(last - 2) === 46 ? last - 2 : last - 1;
    const c = text.charCodeAt(i);
    const start = i;
    let end: number;
    let commas = false;
    let integer = true;
    if (isDigitCode(c)) {
      let r = i + 1;
      while (isDigitCode(text.charCodeAt(r))) r++;
      end = r;
      if (r - i <= 3 && isGroup(text, r)) {
        // 1,200 (the regex's first branch; \d{1,3} cannot start inside a longer run)
        commas = true;
        end = r + 4;
        while (isGroup(text, end)) end += 4;
        if (text.charCodeAt(end) === 46 && isDigitCode(text.charCodeAt(end + 1))) {
          integer = false;
          end += 2;
          while (isDigitCode(text.charCodeAt(end))) end++;
        }
      } else {
        if (text.charCodeAt(end) === 46 && isDigitCode(text.charCodeAt(end + 1))) {
          integer = false;
          end += 2;
          while (isDigitCode(text.charCodeAt(end))) end++;
        }
        if (text.charCodeAt(end) === 101 && isDigitCode(text.charCodeAt(end + 1))) {
          integer = false;
          end += isDigitCode(text.charCodeAt(end + 2)) ? 3 : 2;
        }
      }
    } else {
      // ".5"
      integer = false;
      end = i + 2;
      while (isDigitCode(text.charCodeAt(end))) end++;
    }
    // Optional power: \s*(?:\^|\*\*)\s*(\d{1,3})
    let pos = end;
    let exponent = -1;
    let p = end;
    while (isSpaceCode(text.charCodeAt(p))) p++;
    const op = text.charCodeAt(p) === 94 ? 1 : text.charCodeAt(p) === 42 && text.charCodeAt(p + 1) === 42 ? 2 : 0;
    if (op > 0) {
      p += op;
      while (isSpaceCode(text.charCodeAt(p))) p++;
      if (isDigitCode(text.charCodeAt(p))) {
        let d = p + 1;
        while (d < p + 3 && isDigitCode(text.charCodeAt(d))) d++;
        exponent = integerOf(text, p, d);
        pos = d;
      }
    }
    i = pos;
    if (!keepGlued && glued(text, start)) continue;
    let base: number;
    if (integer && end - start <= 15) base = integerOf(text, start, end);
    else base = commas ? parseDigits(text.slice(start, end)) : Number(text.slice(start, end));
    const power = exponent >= 0;
    if (power) base = Math.pow(base, exponent);
    starts.push({ start, pos, base, power });
  }
}

/** DIGITS matches read by hand, glued ones included (for tests against the regex). */
export function digitRuns(text: string): { start: number; pos: number; base: number; power: boolean }[] {
  const runs: NumberStart[] = [];
  digitStarts(text, runs, true);
  return runs;
}

/**
 * What follows a number (or its unit so far) at `pos`, read once for all suffix rules:
 * NONE: no rule can match (what `peek` sees starts none of them); FAST: ASCII, `word` is the
 * letter run after `blanks` spaces or tabs, lower-cased; SLOW: other characters, use the regexes.
 */
const NONE = 0;
const FAST = 1;
const SLOW = 2;
const here = { text: '', pos: -1, mode: NONE, blanks: 0, first: 0, wordStart: 0, wordEnd: 0, word: '' };

function look(text: string, pos: number): typeof here {
  if (here.pos === pos && here.text === text) return here;
  here.text = text;
  here.pos = pos;
  let j = pos;
  while (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9) j++;
  here.blanks = j - pos;
  here.word = '';
  here.wordStart = here.wordEnd = j;
  const c = text.charCodeAt(j);
  here.first = c;
  // `peek` skips at most two blanks; it then sees a blank, the end or a character no rule starts with.
  if (j - pos > 2 || j >= text.length) here.mode = NONE;
  else if (c >= 0x80) here.mode = SLOW;
  else if (isAsciiLetterCode(c)) {
    let e = j + 1;
    while (isAsciiLetterCode(text.charCodeAt(e))) e++;
    here.wordStart = j;
    here.wordEnd = e;
    if (text.charCodeAt(e) >= 0x80) here.mode = SLOW;
    else {
      here.mode = FAST;
      here.word = text.slice(j, e).toLowerCase();
    }
  } else here.mode = c === 37 /* % */ || c === 47 /* / */ ? FAST : NONE;
  return here;
}

/** A suffix rule's match: its length and its groups, lower-cased. */
interface Hit {
  length: number;
  a: string | undefined;
  b: string | undefined;
}

function hit(length: number, a?: string, b?: string): Hit {
  return { length, a, b };
}

function fromRegex(m: RegExpExecArray | null): Hit | null {
  return m && { length: m[0].length, a: m[1]?.toLowerCase(), b: m[2]?.toLowerCase() };
}

function ratioAt(text: string, pos: number): Hit | null {
  const h = look(text, pos);
  if (h.mode === SLOW) return fromRegex(tryAt(RATIO, 'x×', text, pos));
  return h.mode === FAST && h.blanks <= 1 && h.word === 'x' ? fromRegex(stickyAt(RATIO, text, pos)) : null;
}

function percentAt(text: string, pos: number): Hit | null {
  const h = look(text, pos);
  if (h.mode === SLOW) return fromRegex(tryAt(PERCENT, '%p', text, pos));
  return h.mode === FAST && h.blanks <= 1 && (h.first === 37 || h.word === 'percent') ? fromRegex(stickyAt(PERCENT, text, pos)) : null;
}

const BITS_WORDS = new Set(['kbps', 'mbps', 'gbps', 'tbps']);

function bitsAt(text: string, pos: number): Hit | null {
  const h = look(text, pos);
  if (h.mode === SLOW) return fromRegex(tryAt(BITS_PER_SECOND, 'kmgt', text, pos));
  return h.mode === FAST && h.blanks <= 1 && BITS_WORDS.has(h.word) ? hit(h.blanks + 4, h.word[0]) : null;
}

const BYTE_WORDS = new Map<string, Hit>();
for (const p of 'kmgtpe') {
  BYTE_WORDS.set(`${p}b`, hit(0, p));
  BYTE_WORDS.set(`${p}ib`, hit(0, p));
}
for (const p of ['', 'kilo', 'mega', 'giga', 'tera', 'peta', 'exa']) {
  BYTE_WORDS.set(`${p}byte`, hit(0, undefined, p || undefined));
  BYTE_WORDS.set(`${p}bytes`, hit(0, undefined, p || undefined));
}

function bytesAt(text: string, pos: number): Hit | null {
  const h = look(text, pos);
  if (h.mode === SLOW) return fromRegex(tryAt(BYTES, 'kmgtpeb', text, pos));
  if (h.mode !== FAST || h.blanks > 1) return null;
  const w = BYTE_WORDS.get(h.word);
  return w ? hit(h.blanks + h.word.length, w.a, w.b) : null;
}

const MAGNITUDE_UPPER = new Set(['K', 'M', 'MM', 'B', 'Bn', 'BN', 'T', 'Tn']);
const MAGNITUDE_LOWER = new Set(['k', 'm', 'mm', 'b', 'bn', 't', 'tn']);

function magnitudeLetterAt(text: string, pos: number): Hit | null {
  const h = look(text, pos);
  if (h.mode === SLOW) return fromRegex(tryAt(MAGNITUDE_LETTER, 'kmbt', text, pos));
  if (h.mode !== FAST || h.blanks > 1 || h.word.length > 2 || isDigitCode(text.charCodeAt(h.wordEnd))) return null;
  const written = text.slice(h.wordStart, h.wordEnd);
  return MAGNITUDE_UPPER.has(written) || (h.blanks === 0 && MAGNITUDE_LOWER.has(written)) ? hit(h.blanks + written.length, h.word) : null;
}

const MAGNITUDE_WORD_SET = new Set(['hundred', 'thousand', 'million', 'mn', 'mil', 'billion', 'trillion', 'quadrillion', 'milion', 'millon', 'bilion', 'billon', 'trilion']);

function magnitudeWordAt(text: string, pos: number): Hit | null {
  const h = look(text, pos);
  if (h.mode === SLOW) return fromRegex(tryAt(MAGNITUDE_WORD, 'htmbq', text, pos));
  return h.mode === FAST && MAGNITUDE_WORD_SET.has(h.word) ? hit(h.blanks + h.word.length, h.word) : null;
}

const RATE_WORDS = new Set(['qps', 'rps', 'tps', 'wps', 'iops', 'ops', 'rpm', 'qpm']);
const RATE_SLASH_WORDS = new Set(['request', 'requests', 'req', 'writes', 'reads', 'msg', 'msgs']);

function rateAbbreviationAt(text: string, pos: number): Hit | null {
  const h = look(text, pos);
  if (h.mode === SLOW) return fromRegex(tryAt(RATE_ABBREVIATION, 'qrtwiom', text, pos));
  if (h.mode !== FAST) return null;
  if (RATE_WORDS.has(h.word)) return hit(h.blanks + h.word.length, h.word);
  // "requests/sec": rare, left to the regex.
  return RATE_SLASH_WORDS.has(h.word) && text.charCodeAt(h.wordEnd) === 47 ? fromRegex(stickyAt(RATE_ABBREVIATION, text, pos)) : null;
}

const DURATION_WORDS = new Set(
  'ms msec millis millisecond milliseconds us microsecond microseconds ns nanosecond nanoseconds s sec secs second seconds min mins minute minutes h hr hrs hour hours day days d week weeks month months year years yr yrs'.split(' '),
);

function durationAt(text: string, pos: number): Hit | null {
  const h = look(text, pos);
  if (h.mode === SLOW) {
    const m = fromRegex(tryAt(DURATION, 'mµunshdwy', text, pos));
    // "a 60/40 US/EU split": "US" is not microseconds; "8,000 H100s" are not hours.
    if (!m || isDigitCode(text.charCodeAt(pos + m.length))) return null;
    return m.a === 'us' && text.slice(pos + m.length - 2, pos + m.length) !== 'us' ? null : m;
  }
  if (h.mode !== FAST || h.blanks > 1 || !DURATION_WORDS.has(h.word) || isDigitCode(text.charCodeAt(h.wordEnd))) return null;
  if (h.word === 'us' && text.slice(h.wordStart, h.wordEnd) !== 'us') return null;
  return hit(h.blanks + h.word.length, h.word);
}

const PERIOD_WORDS = new Set('second seconds sec secs s day days d year years yr yrs y month months mo hour hours hr hrs h minute minutes min mins week weeks wk'.split(' '));
const PERIOD_SEPARATORS = new Set(['per', 'a', 'an', 'each', 'every']);

function perPeriodAt(text: string, pos: number): Hit | null {
  const h = look(text, pos);
  if (h.mode === SLOW) return fromRegex(tryAt(PER_PERIOD, '/paeo', text, pos));
  if (h.mode !== FAST) return null;
  let p: number;
  if (h.first === 47) {
    p = pos + h.blanks + 1;
    while (text.charCodeAt(p) === 32 || text.charCodeAt(p) === 9) p++;
  } else if (h.blanks > 0 && PERIOD_SEPARATORS.has(h.word)) {
    p = h.wordEnd;
    while (text.charCodeAt(p) === 32 || text.charCodeAt(p) === 9) p++;
    if (p === h.wordEnd) return isSpaceCode(text.charCodeAt(p)) ? fromRegex(stickyAt(PER_PERIOD, text, pos)) : null;
  } else return null;
  const c = text.charCodeAt(p);
  if (c >= 0x80 || (c >= 10 && c <= 13)) return fromRegex(stickyAt(PER_PERIOD, text, pos));
  let e = p;
  while (isAsciiLetterCode(text.charCodeAt(e))) e++;
  if (text.charCodeAt(e) >= 0x80) return fromRegex(stickyAt(PER_PERIOD, text, pos));
  const period = text.slice(p, e).toLowerCase();
  return PERIOD_WORDS.has(period) ? hit(e - pos, period) : null;
}

const NOUN_STOP_WORDS = new Set(
  'per a an each every is are was were and or to of in on at by for from with divided plus minus over x which so that the it about roughly around'.split(' '),
);

function nounsThenPeriodAt(text: string, pos: number): Hit | null {
  const h = look(text, pos);
  if (h.mode === SLOW) return fromRegex(tryAt(NOUNS_THEN_PERIOD, LETTERS, text, pos));
  if (h.mode !== FAST || h.blanks === 0 || h.word === '') return null;
  // The first word may not be a stop word (the regex's look-ahead ends it at a word boundary).
  const next = text.charCodeAt(h.wordEnd);
  if (NOUN_STOP_WORDS.has(h.word) && !isDigitCode(next) && next !== 95) return null;
  return fromRegex(stickyAt(NOUNS_THEN_PERIOD, text, pos));
}

function nounAt(text: string, pos: number): Hit | null {
  const h = look(text, pos);
  if (h.mode === SLOW) return fromRegex(tryAt(NOUN, LETTERS, text, pos));
  if (h.mode !== FAST || h.blanks === 0 || h.word === '') return null;
  let e = h.wordEnd;
  for (;;) {
    const c = text.charCodeAt(e);
    if (isAsciiLetterCode(c) || isDigitCode(c) || c === 39 || c === 45) e++;
    else if (c >= 0x80) return fromRegex(stickyAt(NOUN, text, pos));
    else break;
  }
  return hit(e - pos, e === h.wordEnd ? h.word : text.slice(h.wordStart, e).toLowerCase());
}

/** Letters glued to the number ("5xx", "3rd"): ATTACHED_LETTER at `pos` after a digit. */
function attachedLetter(text: string, pos: number): boolean {
  const c = text.charCodeAt(pos);
  if (c < 0x80 ? !isAsciiLetterCode(c) : !stickyAt(ATTACHED_LETTER, text, pos)) return false;
  if (pos === 0) return false;
  const d = text.charCodeAt(pos - 1);
  return d < 0x80 ? isDigitCode(d) : /[\p{N}]/u.test(text[pos - 1]!);
}

/** Where a number starts, where its digits (or number word) end, and its value. */
interface NumberStart {
  start: number;
  pos: number;
  base: number;
  power: boolean;
}

/**
 * Numbers in order: digit runs (scanned by hand) and, when the text has a magnitude word,
 * number words before one ("a million", "several hundred thousand"). Two simple scans merged
 * are much faster than one regex with both branches.
 */
function numberStarts(text: string): NumberStart[] {
  const starts: NumberStart[] = [];
  digitStarts(text, starts);
  // No separate HAS_NUMBER_WORD pre-test: every MAGNITUDE_SCAN match also matches it, so the
  // scan alone finds nothing exactly when the pre-test would have failed (one pass, not two).
  const words: NumberStart[] = [];
  MAGNITUDE_SCAN.lastIndex = 0;
  for (let m = MAGNITUDE_SCAN.exec(text); m !== null; m = MAGNITUDE_SCAN.exec(text)) {
    const before = NUMBER_WORD_BEFORE.exec(text.slice(Math.max(0, m.index - 16), m.index));
    if (!before) continue;
    const start = m.index - before[0].length;
    if (words.length > 0 && words[words.length - 1]!.pos > start) continue;
    words.push({ start, pos: m.index, base: WORD_VALUES[before[1]!.toLowerCase()] ?? 1, power: false });
  }
  if (words.length === 0) return starts;
  return [...starts, ...words].sort((a, b) => a.start - b.start);
}

function parseQuantities(doc: Pick<TextDoc, 'text' | 'sentences'>): Quantity[] {
  const { text } = doc;
  const out: Quantity[] = [];
  let undecided = false;
  let si = 0;
  let consumed = 0;
  for (const n of numberStarts(text)) {
    const start = n.start;
    // Inside the unit phrase of the previous quantity ("several hundred thousand").
    if (start < consumed) continue;
    let pos = n.pos;
    const base = n.base;
    const power = n.power;
    let magnitude = power;
    if (!Number.isFinite(base)) continue;
    // A time of day or a version ("10:30", "1.2.3"): not a quantity.
    const after = text.charCodeAt(pos);
    if ((after === 58 /* : */ || after === 46) /* . */ && isDigitCode(text.charCodeAt(pos + 1))) continue;

    let raw = base;
    let unit: QuantityUnit = 'none';
    let value = base;
    let noun: string | null = null;
    let per: string | null = null;
    let perItem = false;
    let letterB = false;
    let matched: Hit | null;

    if (!power && (matched = ratioAt(text, pos))) {
      unit = 'ratio';
      pos += matched.length;
    } else if (!power && (matched = percentAt(text, pos))) {
      unit = 'percent';
      raw = base / 100;
      pos += matched.length;
    } else {
      // Magnitude first unless a byte unit follows directly ("5 TB" is bytes, "5 T" trillion).
      let bytes = bitsAt(text, pos);
      if (bytes) {
        raw = base * (BYTE_PREFIX[bytes.a!] ?? 1) / 8;
        unit = 'bytes_per_second';
        value = raw;
        magnitude = true;
        pos += bytes.length;
      } else {
        bytes = bytesAt(text, pos);
        if (!bytes) {
          const letter = magnitudeLetterAt(text, pos);
          const mag = letter ?? magnitudeWordAt(text, pos);
          if (mag) {
            const key = mag.a ?? mag.b ?? '';
            if (letter && key === 'b') letterB = true;
            let factor = MAGNITUDE_WORDS[key] ?? 1;
            pos += mag.length;
            // "hundred thousand", "hundred million"
            if (key === 'hundred') {
              const more = magnitudeWordAt(text, pos);
              if (more) {
                factor *= MAGNITUDE_WORDS[more.a!] ?? 1;
                pos += more.length;
              }
            }
            raw = base * factor;
            value = raw;
            magnitude = true;
            unit = 'count';
          }
          bytes = bytesAt(text, pos);
        }
        if (bytes) {
          const prefix = bytes.a ? BYTE_PREFIX[bytes.a] ?? 1 : bytes.b ? BYTE_WORD[bytes.b] ?? 1 : 1;
          raw = raw * prefix;
          value = raw;
          if (prefix > 1) magnitude = true;
          unit = 'bytes';
          pos += bytes.length;
          const period = perPeriodAt(text, pos);
          const p = period ? periodOf(period.a!) : null;
          if (period && p) {
            ({ unit, value } = rateUnit(p, 'bytes', raw));
            per = p;
            pos += period.length;
          } else {
            const item = tryAt(PER_ITEM, 'pae', text, pos);
            if (item) {
              perItem = true;
              pos += item[0].length;
            } else {
              const before = text.slice(Math.max(0, start - 60), start);
              // "each record is 500 bytes", "a message with its reply is about 3 KB"
              if (EACH_BEFORE.test(before) || ITEM_BEFORE.test(before)) perItem = true;
            }
          }
        } else if ((matched = rateAbbreviationAt(text, pos))) {
          const abbreviation = matched.a!;
          pos += matched.length;
          per = abbreviation === 'rpm' || abbreviation === 'qpm' ? 'minute' : 'second';
          ({ unit, value } = rateUnit(per, 'count', raw));
          noun = abbreviation;
        } else if ((matched = durationAt(text, pos))) {
          const w = matched.a!;
          pos += matched.length;
          if (/^(ms|msec|millis)/.test(w)) {
            unit = 'milliseconds';
            value = raw;
          } else if (/^(µs|us|micro)/.test(w)) {
            unit = 'milliseconds';
            value = raw / 1000;
          } else if (/^(ns|nano)/.test(w)) {
            unit = 'milliseconds';
            value = raw / 1e6;
          } else {
            unit = 'seconds';
            value = raw * (SECONDS_PER[periodOf(w) ?? 'second'] ?? 1);
            per = periodOf(w);
          }
        } else if ((matched = perPeriodAt(text, pos))) {
          const p = periodOf(matched.a!);
          if (p) {
            pos += matched.length;
            ({ unit, value } = rateUnit(p, 'count', raw));
            per = p;
          }
        } else if ((matched = nounsThenPeriodAt(text, pos))) {
          const p = periodOf(matched.b!);
          if (p) {
            noun = lastWord(matched.a!);
            pos += matched.length;
            ({ unit, value } = rateUnit(p, 'count', raw));
            per = p;
          }
        }
      }
      if (unit === 'none' || unit === 'count') {
        // A counted noun: "200M DAU", "180 billion records", "7 characters".
        const nounMatch = nounAt(text, pos);
        if (nounMatch) {
          const w = nounMatch.a!.replace(/’/g, "'");
          if (!magnitude && Number.isInteger(raw) && raw >= 100 && raw < 600 && STATUS_NOUN.test(w)) {
            noun = w;
          } else if (!NOT_NOUNS.has(w)) {
            noun = w;
            if (COUNT_NOUNS.has(w) || magnitude) {
              unit = 'count';
              value = raw;
              pos += nounMatch.length;
            }
          }
        }
      }
    }
    // Letters glued to the number that no rule took ("5xx", "3rd", "2nd"): not a quantity.
    if (attachedLetter(text, pos)) continue;
    if (unit === 'none' && magnitude) unit = 'count';
    if (letterB) {
      // A bare "B" counting nothing named, not money: a size when it is one per item
      // ("500B each", "500B per record", "each record is 500B"); else decided by the sentence.
      const c = start > 0 ? text.charCodeAt(start - 1) : 0;
      const money = c === 36 /* $ */ || c === 0x20ac /* € */ || c === 0xa3 /* £ */ || c === 0xa5; /* ¥ */
      if (unit !== 'count' || noun !== null || money) letterB = false;
      else {
        const item = tryAt(PER_ITEM, 'pae', text, pos);
        if (item || ITEM_BEFORE.test(text.slice(Math.max(0, start - 60), start))) {
          raw = base;
          value = raw;
          unit = 'bytes';
          magnitude = false;
          perItem = true;
          if (item) pos += item[0].length;
        }
      }
    }

    while (si < doc.sentences.length && doc.sentences[si]!.end <= start) si++;
    const sentence = Math.min(si, Math.max(0, doc.sentences.length - 1));
    out.push({ value, raw, unit, start, end: pos, magnitude, power, noun, per, sentence, inherited: false, perItem, letterB });
    consumed = pos;
    if (letterB && unit === 'count') undecided = true;
  }
  if (undecided) bytesOrBillions(text, out);
  inheritUnits(text, out);
  return out;
}

/**
 * "20M × 500B ≈ 10 GB": a bare "B" in a sentence with byte units is bytes, unless it multiplies
 * a byte figure right next to it ("1 KB × 1B = 1 TB": a billion of them).
 */
function bytesOrBillions(text: string, quantities: Quantity[]): void {
  for (let i = 0; i < quantities.length; i++) {
    const q = quantities[i]!;
    if (!q.letterB || q.unit !== 'count') continue;
    let bytes = false;
    for (const other of quantities) {
      if (other !== q && other.sentence === q.sentence && (other.unit === 'bytes' || other.unit === 'bytes_per_second')) bytes = true;
    }
    if (!bytes) continue;
    const prev = quantities[i - 1];
    const next = quantities[i + 1];
    const timesBytes = (a: Quantity | undefined, b: Quantity | undefined, other: Quantity | undefined) =>
      other !== undefined && other.sentence === q.sentence && (other.unit === 'bytes' || other.unit === 'bytes_per_second') && TIMES_GAP.test(text.slice(a!.end, b!.start));
    if (timesBytes(prev, q, prev) || timesBytes(q, next, next)) continue;
    q.raw /= 1e9;
    q.value = q.raw;
    q.unit = 'bytes';
    q.magnitude = false;
  }
}

const INHERIT_GAP = /^[\s,;–-]*(?:(?:maybe|or|to|up to|and|perhaps|call it|about|roughly|around|~|say)[\s,]*)*$/i;
/** "about 3 KB, 300 million times 3 KB": a figure that starts a product is a new figure, not the one before restated. */
const OPERATOR_AFTER = /^\s*(?:[×x*/÷]|times\b|multiplied\b|divided\b|over\b)/i;
const RATE_UNITS = new Set<QuantityUnit>(['per_second', 'per_day', 'bytes', 'bytes_per_second', 'milliseconds']);

/** "1.2k QPS average, maybe 3k at peak": a bare magnitude right after a rate takes its unit. */
function inheritUnits(text: string, quantities: Quantity[]): void {
  for (let i = 1; i < quantities.length; i++) {
    const q = quantities[i]!;
    const p = quantities[i - 1]!;
    if (q.unit !== 'count' || q.noun !== null || !q.magnitude || q.power) continue;
    if (p.sentence !== q.sentence || !RATE_UNITS.has(p.unit)) continue;
    const gap = text.slice(p.end, q.start);
    // Words like "average" between the two are fine; operators are not.
    const words = gap.replace(/\b(?:on average|average|avg|peak|at peak|mean|typical(?:ly)?)\b/gi, ' ');
    if (!INHERIT_GAP.test(words) || gap.length > 40) continue;
    if (OPERATOR_AFTER.test(text.slice(q.end, q.end + 12))) continue;
    q.unit = p.unit;
    q.value = p.raw === 0 ? q.raw : q.raw * (p.value / p.raw);
    q.per = p.per;
    q.inherited = true;
  }
}

/** Unit families that convert into each other, and the factor from `from` into `to`. */
export function conversionFactor(from: QuantityUnit, to: string): number | null {
  if (from === to) return 1;
  if (from === 'per_day' && to === 'per_second') return 1 / 86_400;
  if (from === 'per_second' && to === 'per_day') return 86_400;
  if (from === 'seconds' && to === 'milliseconds') return 1000;
  if (from === 'milliseconds' && to === 'seconds') return 1 / 1000;
  return null;
}

/** Units that count as an estimate (a bare "365" or "RF 3" does not). */
export function isMeaningful(q: Quantity): boolean {
  switch (q.unit) {
    case 'per_second':
    case 'per_day':
    case 'bytes':
    case 'bytes_per_second':
    case 'milliseconds':
      return true;
    case 'count':
      return q.magnitude || q.raw >= 1000 || (q.noun !== null && COUNT_NOUNS.has(q.noun) && q.raw >= 10);
    default:
      return false;
  }
}

const NUMBER_UNITS: readonly (readonly [number, string])[] = [
  [1e12, 'T'],
  [1e9, 'B'],
  [1e6, 'M'],
  [1e3, 'k'],
];

/** 1234567 → "1.2M"; 9e13 → "90T"; 0.5 → "0.5". */
export function formatNumber(value: number): string {
  const abs = Math.abs(value);
  for (const [size, suffix] of NUMBER_UNITS) {
    if (abs >= size) {
      const v = value / size;
      return `${v >= 100 ? Math.round(v) : Number(v.toPrecision(2))}${suffix}`;
    }
  }
  if (abs >= 100) return String(Math.round(value));
  return String(Number(value.toPrecision(2)));
}

/** A value with its unit, for details: "1.2k/s", "90 TB", "50 ms". */
export function formatQuantity(value: number, unit: string): string {
  switch (unit) {
    case 'per_second':
      return `${formatNumber(value)}/s`;
    case 'per_day':
      return `${formatNumber(value)}/day`;
    case 'bytes':
      return `${formatBytes(value)}`;
    case 'bytes_per_second':
      return `${formatBytes(value)}/s`;
    case 'milliseconds':
      return `${formatNumber(value)} ms`;
    case 'seconds':
      return `${formatNumber(value)} s`;
    case 'percent':
      return `${formatNumber(value)}%`;
    case 'ratio':
      return `${formatNumber(value)}x`;
    default:
      return formatNumber(value);
  }
}

const BYTE_UNITS: readonly (readonly [number, string])[] = [
  [1e18, 'EB'],
  [1e15, 'PB'],
  [1e12, 'TB'],
  [1e9, 'GB'],
  [1e6, 'MB'],
  [1e3, 'KB'],
];

function formatBytes(value: number): string {
  for (const [size, suffix] of BYTE_UNITS) {
    if (Math.abs(value) >= size) return `${Number((value / size).toPrecision(2))} ${suffix}`;
  }
  return `${Number(value.toPrecision(3))} bytes`;
}
