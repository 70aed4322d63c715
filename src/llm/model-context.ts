// How many tokens the model behind an endpoint can read, asked from the server where it says,
// so a long prompt is refused with a message instead of being cut by the server without a word
// (Ollama keeps the last num_ctx tokens of a longer prompt and answers as if nothing happened).
// Servers say it in different places; each is tried with a short timeout and nothing fails if
// none answers: the caller then uses the contextTokens setting or nothing.
//   vLLM            GET /v1/models           data[].max_model_len
//   LM Studio       GET /api/v0/models       data[].loaded_context_length | max_context_length
//   llama.cpp       GET /props               default_generation_settings.n_ctx
//   OpenRouter      GET /v1/models           data[].context_length
//   Ollama          POST /api/show           parameters "num_ctx N", else Ollama's default window
// Plain fetch, not the openai client: this runs before a provider exists and must stay light.
import { serverRoot } from './endpoint.js';

export interface ContextLength {
  tokens: number;
  /** Where the number came from, for messages: "vLLM max_model_len", "Ollama num_ctx". */
  source: string;
}

export interface AskContextOptions {
  baseURL: string;
  model: string;
  /** Sent as a bearer token only when the caller would send it to this endpoint anyway. */
  apiKey?: string | null;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * Ollama's window when the model sets no num_ctx: 4096 tokens since 0.6 (2048 before), unless
 * the server was started with OLLAMA_CONTEXT_LENGTH, which it does not report. The smaller
 * figure would refuse prompts that fit, so the current default is used and named as a default.
 */
export const OLLAMA_DEFAULT_CONTEXT = 4096;

const DEFAULT_TIMEOUT_MS = 1_500;

function positive(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}


async function getJson(options: AskContextOptions, url: string, init: RequestInit = {}): Promise<unknown> {
  const doFetch = options.fetch ?? fetch;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (init.body) headers['content-type'] = 'application/json';
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
  try {
    const response = await doFetch(url, { ...init, headers, signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS) });
    if (!response.ok) return null;
    return await response.json();
  } catch {
    return null;
  }
}

function sameModel(id: unknown, model: string): boolean {
  return typeof id === 'string' && (id === model || id === `${model}:latest` || `${id}:latest` === model);
}

/** An entry of an OpenAI-style model list that names its context length. */
function fromModelList(body: unknown, model: string, keys: Readonly<Record<string, string>>): ContextLength | null {
  if (!isRecord(body) || !Array.isArray(body.data)) return null;
  const entry = body.data.find((item) => isRecord(item) && sameModel(item.id, model));
  if (!isRecord(entry)) return null;
  for (const [key, server] of Object.entries(keys)) {
    const tokens = positive(entry[key]);
    if (tokens) return { tokens, source: `${server} ${key}` };
  }
  return null;
}

/** Keys in the order they are trusted: the window the server runs before the model's maximum. */
const OPENAI_LIST_KEYS = { max_model_len: 'vLLM', loaded_context_length: 'LM Studio', context_length: 'the server', max_context_length: 'LM Studio' };
const LM_STUDIO_KEYS = { loaded_context_length: 'LM Studio', max_context_length: 'LM Studio' };

async function askOllama(options: AskContextOptions, root: string): Promise<ContextLength | null> {
  const body = await getJson(options, `${root}/api/show`, { method: 'POST', body: JSON.stringify({ model: options.model }) });
  if (!isRecord(body)) return null;
  const match = typeof body.parameters === 'string' ? /(?:^|\n)\s*num_ctx\s+(\d+)/.exec(body.parameters) : null;
  if (match) return { tokens: Number(match[1]), source: 'Ollama num_ctx' };
  // A model Ollama knows: its window is the server default, however long the model could read.
  if (isRecord(body.model_info) || typeof body.modelfile === 'string') {
    return { tokens: OLLAMA_DEFAULT_CONTEXT, source: 'Ollama default num_ctx' };
  }
  return null;
}

async function askLlamaCpp(options: AskContextOptions, root: string): Promise<ContextLength | null> {
  const body = await getJson(options, `${root}/props`);
  if (!isRecord(body) || !isRecord(body.default_generation_settings)) return null;
  const tokens = positive(body.default_generation_settings.n_ctx);
  return tokens ? { tokens, source: 'llama.cpp n_ctx' } : null;
}

/** Asks the server behind `baseURL` how long a prompt `model` can take; null when it does not say. */
export async function askContextLength(options: AskContextOptions): Promise<ContextLength | null> {
  const base = options.baseURL.replace(/\/+$/, '');
  const root = serverRoot(base);
  const models = await getJson(options, `${base}/models`);
  const listed = fromModelList(models, options.model, OPENAI_LIST_KEYS);
  if (listed) return listed;
  // The OpenAI-compatible list said nothing: ask the servers' own endpoints, cheapest first.
  const [lmStudio, ollama, llamaCpp] = await Promise.all([
    getJson(options, `${root}/api/v0/models`).then((body) => fromModelList(body, options.model, LM_STUDIO_KEYS)),
    askOllama(options, root),
    askLlamaCpp(options, root),
  ]);
  return lmStudio ?? ollama ?? llamaCpp;
}
