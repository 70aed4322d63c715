// Token counts when an endpoint sends none, and for budgets before a request is sent. A real
// tokenizer (o200k) is 55 MB installed for one number; this estimator reads the text the way a
// BPE pre-tokenizer splits it (words, digit groups of three, punctuation runs) and lands within
// ±20 % of o200k on every transcript, problem and prompt in the repo (±2 % over all of them;
// test/llm/tokens.test.ts keeps it there). Counts from it are always marked as estimated.
import type { ChatMessage } from './provider.js';

/**
 * The pieces a BPE pre-tokenizer makes: letter runs (\p{L}+), digit runs (\p{N}+), punctuation
 * runs ([^\s\p{L}\p{N}]+) and whitespace runs (\s+). They are found by character class rather
 * than with a regular expression: a judge request is ~30 kB, and the Batch API estimates
 * thousands of them (test/llm/tokens.test.ts checks the two agree, Unicode included).
 */
export function estimateTokens(text: string): number {
  const n = text.length;
  if (n === 0) return 0;
  let tokens = 0;
  let i = 0;
  while (i < n) {
    const start = i;
    const first = text.charCodeAt(start);
    const kind = classAt(text, i);
    let ascii = first < 128;
    let newline = first === 10;
    i += width(text, i);
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c < 128) {
        if (ASCII_CLASS[c] !== kind) break;
        if (c === 10) newline = true;
        i++;
      } else {
        if (classAt(text, i) !== kind) break;
        ascii = false;
        i += width(text, i);
      }
    }
    const length = i - start;
    if (kind === SPACE && (first === 32 || first === 9 || first === 10 || first === 13)) {
      // Spaces join the next word; a newline or a long indent is a token of its own.
      if (length > 1) tokens += newline ? 1 : Math.ceil((length - 1) / 8);
    } else if (kind === LETTER && !(first >= 0xd800 && first <= 0xdbff)) {
      // Scripts without spaces between words (CJK) are close to a token a character. (A run
      // starting with an astral letter counts as punctuation, as it always has.)
      tokens += !ascii ? length : length <= 8 ? 1 : Math.ceil(length / 7);
    } else tokens += Math.ceil(length / 3);
  }
  return Math.max(1, tokens);
}

const LETTER = 0;
const NUMBER = 1;
const SPACE = 2;
const OTHER = 3;

/** The class of each ASCII character, as PIECE's alternatives see it. */
const ASCII_CLASS = Uint8Array.from({ length: 128 }, (_, c) => {
  const ch = String.fromCharCode(c);
  return /\p{L}/u.test(ch) ? LETTER : /\p{N}/u.test(ch) ? NUMBER : /\s/u.test(ch) ? SPACE : OTHER;
});

const IS_LETTER = /^\p{L}$/u;
const IS_NUMBER = /^\p{N}$/u;
const IS_SPACE = /^\s$/u;

/** UTF-16 units of the code point at i (2 for a surrogate pair). */
function width(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
    const d = text.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return 2;
  }
  return 1;
}

function classAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c < 128) return ASCII_CLASS[c]!;
  const ch = text.slice(i, i + width(text, i));
  return IS_LETTER.test(ch) ? LETTER : IS_NUMBER.test(ch) ? NUMBER : IS_SPACE.test(ch) ? SPACE : OTHER;
}

/** Chat framing costs a few tokens per message on top of the content. */
export function estimateMessageTokens(messages: readonly ChatMessage[]): number {
  return messages.reduce((sum, message) => sum + 4 + estimateTokens(message.content), 2);
}
