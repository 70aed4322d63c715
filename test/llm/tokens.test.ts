// The token estimator against the real o200k tokenizer (a devDependency, so the installed
// package does not carry 55 MB for one number), on every text the repo ships or tests with.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { describe, expect, it } from 'vitest';
import { estimateMessageTokens, estimateTokens } from '../../src/llm/tokens.js';

function textFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) textFiles(path, out);
    else if (/\.(md|txt|jsonl|yaml|vtt|srt)$/.test(entry.name)) out.push(path);
  }
  return out;
}

describe('estimateTokens', () => {
  const files = ['sessions', 'prompts', 'rubrics', 'test/calibration', 'test/fixtures/imports'].flatMap((dir) => textFiles(dir)).concat('README.md');
  const texts = files.map((file) => ({ file, text: readFileSync(file, 'utf8') })).filter(({ text }) => text.length >= 200);

  it('is within 20 % of o200k on every shipped and test text, and within 5 % over all of them', () => {
    expect(texts.length).toBeGreaterThan(50);
    let estimated = 0;
    let real = 0;
    const off: string[] = [];
    for (const { file, text } of texts) {
      const e = estimateTokens(text);
      const r = countTokens(text);
      estimated += e;
      real += r;
      if (Math.abs(e / r - 1) > 0.2) off.push(`${file}: ${e} vs ${r}`);
    }
    expect(off).toEqual([]);
    expect(Math.abs(estimated / real - 1)).toBeLessThan(0.05);
  });

  it('splits text into the same pieces as the pre-tokenizer pattern it replaces, Unicode included', () => {
    // The pattern the estimator used to match with, and its per-piece rule, kept as the reference.
    const PIECE = /\p{L}+|\p{N}+|[^\s\p{L}\p{N}]+|\s+/gu;
    const pieceTokens = (piece: string): number => {
      const first = piece.charCodeAt(0);
      if (first === 32 || first === 9 || first === 10 || first === 13) return piece.length === 1 ? 0 : piece.includes('\n') ? 1 : Math.ceil((piece.length - 1) / 8);
      if (/\p{L}/u.test(piece[0]!)) return /^[\x00-\x7f]*$/.test(piece) ? (piece.length <= 8 ? 1 : Math.ceil(piece.length / 7)) : piece.length;
      return Math.ceil(piece.length / 3);
    };
    const reference = (text: string) => (text ? Math.max(1, [...text.matchAll(PIECE)].reduce((sum, m) => sum + pieceTokens(m[0]), 0)) : 0);
    const alphabet = ['a', 'Z', '7', ' ', '  ', '          ', 'abcdefghijkl', '\n', '\t', '\r\n', '-', '**', 'é', 'ß', '東京', '٣', '½', '\u00a0', '\u2003', '—', '…', '😀', '𠀀', '\ud800', '\udc00', 'x\u0301', 'Ⅻ', '\u000b'];
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const samples = texts.map(({ text }) => text);
    for (let k = 0; k < 2000; k++) samples.push(Array.from({ length: 1 + Math.floor(random() * 40) }, () => alphabet[Math.floor(random() * alphabet.length)]).join(''));
    const differ = samples.filter((text) => estimateTokens(text) !== reference(text)).map((text) => JSON.stringify(text.slice(0, 80)));
    expect(differ).toEqual([]);
  });

  it('counts the pieces a tokenizer makes', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('a')).toBe(1);
    expect(estimateTokens('We shard by user id.')).toBe(6);
    // Digits go in groups of three; a long word is more than one token.
    expect(estimateTokens('1234567')).toBe(3);
    expect(estimateTokens('internationalisation')).toBe(3);
    // Text without spaces between words is about a token a character.
    expect(estimateTokens('短链接服务')).toBe(5);
    expect(estimateMessageTokens([{ role: 'user', content: 'hello there' }])).toBe(2 + 4 + 2);
  });
});
