// Rough list prices, to show a running cost estimate in the practice header. Prices change:
// this is an estimate for "is this session cents or dollars", not a bill. Unknown models
// (local servers, new names) get no cost, only token counts.

/** US dollars per million tokens. */
interface Price {
  input: number;
  output: number;
}

// Longest matching prefix wins, so `gpt-4o-mini` is not priced as `gpt-4o`.
const PRICES: Record<string, Price> = {
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  'gpt-4o': { input: 2.5, output: 10 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6 },
  'gpt-4.1': { input: 2, output: 8 },
  'gpt-5-nano': { input: 0.05, output: 0.4 },
  'gpt-5-mini': { input: 0.25, output: 2 },
  'gpt-5': { input: 1.25, output: 10 },
  'o4-mini': { input: 1.1, output: 4.4 },
  'o3-mini': { input: 1.1, output: 4.4 },
  'o3': { input: 2, output: 8 },
};

export function priceOf(model: string): Price | null {
  // OpenRouter-style names: `openai/gpt-4o-mini`.
  const name = model.toLowerCase().replace(/^openai\//, '');
  let best: string | null = null;
  for (const prefix of Object.keys(PRICES)) {
    if (name.startsWith(prefix) && (best === null || prefix.length > best.length)) best = prefix;
  }
  return best ? PRICES[best]! : null;
}

/** Estimated cost in US dollars, or null when the model's price is unknown. */
export function estimateCostUsd(model: string, inputTokens: number, outputTokens: number): number | null {
  const price = priceOf(model);
  if (!price) return null;
  return (inputTokens * price.input + outputTokens * price.output) / 1_000_000;
}
