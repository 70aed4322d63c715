// Token counts when an endpoint sends none, and for budgets before a request is sent. A real
// tokenizer (o200k) is 55 MB installed for one number; this estimator reads the text the way a
// BPE pre-tokenizer splits it (words, digit groups of three, punctuation runs) and lands within
// ±20 % of o200k on every transcript, problem and prompt in the repo (±2 % over all of them;
// test/llm/tokens.test.ts keeps it there). Counts from it are always marked as estimated.
import type { ChatMessage } from './provider.js';

/** The pieces a BPE pre-tokenizer makes: letter runs, digit runs, punctuation runs, spaces. */
const PIECE = /\p{L}+|\p{N}+|[^\s\p{L}\p{N}]+|\s+/gu;
const ASCII = /^[\x00-\x7f]*$/;

function pieceTokens(piece: string): number {
  const first = piece.charCodeAt(0);
  // Spaces join the next word; a newline or a long indent is a token of its own.
  if (first === 32 || first === 9 || first === 10 || first === 13) {
    if (piece.length === 1) return 0;
    return piece.includes('\n') ? 1 : Math.ceil((piece.length - 1) / 8);
  }
  if (/\p{L}/u.test(piece[0]!)) {
    // Scripts without spaces between words (CJK) are close to a token a character.
    if (!ASCII.test(piece)) return piece.length;
    return piece.length <= 8 ? 1 : Math.ceil(piece.length / 7);
  }
  if (/\p{N}/u.test(piece[0]!)) return Math.ceil(piece.length / 3);
  return Math.ceil(piece.length / 3);
}

export function estimateTokens(text: string): number {
  if (text.length === 0) return 0;
  let tokens = 0;
  for (const match of text.matchAll(PIECE)) tokens += pieceTokens(match[0]);
  return Math.max(1, tokens);
}

/** Chat framing costs a few tokens per message on top of the content. */
export function estimateMessageTokens(messages: readonly ChatMessage[]): number {
  return messages.reduce((sum, message) => sum + 4 + estimateTokens(message.content), 2);
}
