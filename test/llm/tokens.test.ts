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
