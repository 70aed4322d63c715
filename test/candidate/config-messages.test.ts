// `config set`: a mistyped key is matched by edit distance among the real keys ("modee" is
// mode, not model), and a refused value is one plain sentence, never zod's wording.
import { describe, expect, it } from 'vitest';
import { parseSettingValue, suggestKey, typoDistance } from '../../src/commands/config/action.js';

function refusal(key: Parameters<typeof parseSettingValue>[0], raw: string): string {
  try {
    parseSettingValue(key, raw);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`${key}=${raw} was accepted`);
}

describe('config set: did you mean', () => {
  it('a doubled letter is the closest slip: modee is mode, not model', () => {
    expect(typoDistance('modee', 'mode')).toBeLessThan(typoDistance('modee', 'model'));
    expect(suggestKey('modee', 'interview')).toBe('mode');
    expect(suggestKey('modee', 'x')).toBe('mode');
    expect(suggestKey('modle', 'gpt-4o-mini')).toBe('model');
    expect(suggestKey('minuutes', '30')).toBe('minutes');
    expect(suggestKey('levl', 'L5')).toBe('level');
    expect(suggestKey('color', 'never')).toBe('colour');
    expect(suggestKey('rubrik')).toBe('rubric');
    expect(suggestKey('timeout', '5000')).toBe('timeoutMs');
  });

  it('suggests nothing that is not close to a real key', () => {
    expect(suggestKey('x', '1')).toBeUndefined();
    expect(suggestKey('theme', 'dark')).toBeUndefined();
  });
});

describe('config set: value errors are one plain sentence', () => {
  it('says what is allowed, in words', () => {
    expect(refusal('colour', 'blue')).toBe('colour must be one of auto, always, never (got "blue")');
    expect(refusal('minutes', '1000')).toBe('minutes must be a whole number from 1 to 240 (got "1000")');
    expect(refusal('minutes', '-5')).toBe('minutes must be a whole number from 1 to 240 (got "-5")');
    expect(refusal('minutes', '2.5')).toBe('minutes must be a whole number from 1 to 240 (got "2.5")');
    expect(refusal('timeoutMs', '0')).toBe('timeoutMs must be a whole number of at least 1 (got "0")');
    expect(refusal('maxRetries', '11')).toBe('maxRetries must be a whole number from 0 to 10 (got "11")');
    expect(refusal('baseURL', 'not a url')).toBe('baseURL must be a URL such as http://localhost:11434/v1 (got "not a url")');
    expect(refusal('sessionsDir', '  ')).toBe('sessionsDir must not be empty (to remove it: sdcoach config unset sessionsDir)');
  });

  it('never passes on zod wording', () => {
    for (const [key, raw] of [['minutes', '0'], ['minutes', '999'], ['timeoutMs', '-1'], ['baseURL', 'x'], ['maxRetries', '99'], ['model', '']] as const) {
      const message = refusal(key, raw);
      expect(message).not.toMatch(/Too (small|big)|expected|Invalid|>=|<=/);
      expect(message.startsWith(`${key} must`)).toBe(true);
    }
  });
});
