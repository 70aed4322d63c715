// Rough list prices, to show a running cost estimate in the practice header. Prices change:
// this is an estimate for "is this session cents or dollars", not a bill. Unknown models
// (local servers, new names) get no cost, only token counts. The `prices` setting adds models
// or overrides these defaults (US dollars per million tokens).

/** US dollars per million tokens. */
export interface Price {
  input: number;
  output: number;
}

export type PriceTable = Readonly<Record<string, Price>>;

/** Built-in defaults; the `prices` setting overrides or adds entries. */
export const DEFAULT_PRICES: PriceTable = {
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

/** The defaults with the user's `prices` setting on top (names compared case-insensitively). */
export function priceTable(userPrices?: Readonly<Record<string, Price>>): PriceTable {
  const table: Record<string, Price> = { ...DEFAULT_PRICES };
  for (const [name, price] of Object.entries(userPrices ?? {})) table[name.trim().toLowerCase()] = price;
  return table;
}

// A dated snapshot (`gpt-4o-mini-2024-07-18`, `o3-20250416`) or a tag (`llama3:8b`) of a listed
// name is that model; any other suffix is a different model (`o3-pro`, `gpt-4o-audio-preview`)
// and gets no cost rather than a wrong one.
const SNAPSHOT_SUFFIX = /^(-\d{4}-?\d{2}-?\d{2}|-latest|:[\w.-]+)$/;

export function priceOf(model: string, table: PriceTable = DEFAULT_PRICES): Price | null {
  const full = model.trim().toLowerCase();
  // OpenRouter-style names: `openai/gpt-4o-mini`; a user entry may name the full form.
  for (const name of new Set([full, full.replace(/^openai\//, '')])) {
    if (table[name]) return table[name]!;
    let best: string | null = null;
    for (const key of Object.keys(table)) {
      if (name.startsWith(key) && SNAPSHOT_SUFFIX.test(name.slice(key.length)) && (best === null || key.length > best.length)) best = key;
    }
    if (best) return table[best]!;
  }
  return null;
}

/** Estimated cost in US dollars, or null when the model's price is unknown. */
export function estimateCostUsd(
  model: string,
  inputTokens: number,
  outputTokens: number,
  table: PriceTable = DEFAULT_PRICES,
): number | null {
  const price = priceOf(model, table);
  if (!price) return null;
  return (inputTokens * price.input + outputTokens * price.output) / 1_000_000;
}
