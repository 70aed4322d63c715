import { describe, expect, it } from 'vitest';
import { estimateCostUsd, priceOf, priceTable } from '../../src/llm/pricing.js';
import { Settings } from '../../src/schemas/settings.js';
import { parseSettingValue } from '../../src/commands/config/action.js';

describe('user-editable prices', () => {
  it('the prices setting overrides a default and adds a model', () => {
    const settings = Settings.parse({ prices: { 'gpt-4o-mini': { input: 1, output: 2 }, 'Llama3.1': { input: 0, output: 0 } } });
    const table = priceTable(settings.prices);
    expect(priceOf('gpt-4o-mini', table)).toEqual({ input: 1, output: 2 });
    expect(priceOf('llama3.1', table)).toEqual({ input: 0, output: 0 });
    expect(priceOf('llama3.1:8b', table)).toEqual({ input: 0, output: 0 });
    expect(estimateCostUsd('gpt-4o-mini', 1_000_000, 1_000_000, table)).toBe(3);
    // Defaults still apply to what the setting does not name.
    expect(priceOf('gpt-4o', table)).toEqual({ input: 2.5, output: 10 });
  });

  it('config set accepts the prices as JSON text, and refuses a malformed one', () => {
    expect(Settings.parse({ prices: '{"m":{"input":1,"output":1}}' }).prices).toEqual({ m: { input: 1, output: 1 } });
    expect(Settings.safeParse({ prices: { m: { input: -1, output: 1 } } }).success).toBe(false);
    expect(Settings.safeParse({ prices: 'not json' }).success).toBe(false);
    expect(parseSettingValue('prices', '{"llama3.1":{"input":0,"output":0}}')).toEqual({ 'llama3.1': { input: 0, output: 0 } });
    expect(() => parseSettingValue('prices', 'cheap')).toThrow(/prices/);
  });

  it('a different model that merely starts with a listed name gets no cost rather than a wrong one', () => {
    expect(priceOf('o3-pro')).toBeNull();
    expect(priceOf('gpt-5-pro')).toBeNull();
    expect(priceOf('gpt-4o-audio-preview')).toBeNull();
    expect(estimateCostUsd('o3-pro', 1000, 1000)).toBeNull();
    // Dated snapshots are still the listed model.
    expect(priceOf('o3-2025-04-16')).toEqual({ input: 2, output: 8 });
    expect(priceOf('gpt-4o-mini-2024-07-18')).toEqual({ input: 0.15, output: 0.6 });
  });
});
