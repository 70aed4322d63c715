// `sdcoach doctor`: is the configured provider usable, and how fast does it answer?
// Each check says what it found and, when it fails, what to do about it.
import { LOCAL_SERVER_URLS, type ResolvedProviderConfig } from './config.js';
import type { LocalServer } from './discovery.js';
import { ProviderError, type Provider } from './provider.js';
import { NODE_LLAMA_CPP_MISSING } from './node-llama-cpp.js';

export type CheckStatus = 'ok' | 'fail' | 'warn' | 'skip';

export interface DoctorCheck {
  id: 'provider' | 'key' | 'endpoint' | 'model' | 'streaming';
  status: CheckStatus;
  summary: string;
  advice?: string;
}

export interface DoctorReport {
  provider: ResolvedProviderConfig['provider'];
  model: string;
  baseURL: string | null;
  checks: DoctorCheck[];
  firstTokenMs: number | null;
  totalMs: number | null;
  ok: boolean;
  /** Model servers found running on this machine (Ollama, LM Studio, llama.cpp, vLLM); null: not looked for. */
  localServers: LocalServer[] | null;
  /** With the builtin provider and a server found: the command that practises with it. */
  localServerHint: string | null;
}

export interface DoctorOptions {
  createProvider: (config: ResolvedProviderConfig) => Promise<Provider>;
  /** Per network step; doctor should answer quickly even when the endpoint hangs. */
  timeoutMs?: number;
  now?: () => number;
  /** Looks for local model servers (in parallel with the checks); absent: not looked for. */
  discover?: () => Promise<LocalServer[]>;
}

const HEALTH_PROMPT = [
  { role: 'system' as const, content: 'You are a connectivity check. Answer with one word.' },
  { role: 'user' as const, content: 'Reply with the single word: ready' },
];

function ms(value: number): string {
  return `${Math.round(value)} ms`;
}

async function timeStream(provider: Provider, now: () => number, timeoutMs: number, maxTokens?: number) {
  const signal = AbortSignal.timeout(timeoutMs);
  const start = now();
  let firstTokenMs: number | null = null;
  let text = '';
  // No token cap: reasoning models reject max_tokens and may spend a small budget thinking.
  for await (const event of provider.stream({ messages: HEALTH_PROMPT, signal, ...(maxTokens ? { maxTokens } : {}) })) {
    if (event.type === 'delta') {
      if (firstTokenMs === null) firstTokenMs = now() - start;
      text += event.text;
    }
  }
  return { firstTokenMs, totalMs: now() - start, text };
}

function streamFailure(error: unknown, timeoutMs: number, config: ResolvedProviderConfig): DoctorCheck {
  if (error instanceof ProviderError && error.kind === 'aborted') {
    return {
      id: 'streaming',
      status: 'fail',
      summary: `no complete reply within ${ms(timeoutMs)}`,
      advice: 'The endpoint accepted the request but did not finish streaming. A large local model may still be loading: try again, or use a smaller model.',
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  let advice = 'Run again; if it persists, check the server log.';
  if (error instanceof ProviderError) {
    if (error.kind === 'bad-request') {
      advice = 'The endpoint rejected the streaming request. Check that it supports /chat/completions with stream: true.';
    } else if (['not-found', 'auth', 'network', 'timeout'].includes(error.kind)) {
      advice = endpointAdvice(error.kind, error.status, config);
    }
  }
  return { id: 'streaming', status: 'fail', summary: `streaming failed: ${message}`, advice };
}

function endpointAdvice(kind: string, status: number | undefined, config: ResolvedProviderConfig): string {
  if (kind === 'network' || kind === 'timeout') {
    return config.isOfficialEndpoint
      ? 'Check your network connection, or point sdcoach at a local server with OPENAI_BASE_URL.'
      : `Is the server running? Check the URL (--base-url or OPENAI_BASE_URL); Ollama listens on http://localhost:11434/v1, LM Studio on http://localhost:1234/v1, vLLM on http://localhost:8000/v1.`;
  }
  if (kind === 'auth') {
    return config.openAIKeyWithheld
      ? 'The endpoint wants a key. OPENAI_API_KEY is set but is not sent to a non-OpenAI URL: set SDCOACH_API_KEY for this endpoint, or SDCOACH_SHARE_OPENAI_KEY=1 to send it.'
      : 'The key was rejected. Check OPENAI_API_KEY (or SDCOACH_API_KEY for a custom endpoint).';
  }
  if (kind === 'not-found') return 'The server answered 404: the base URL usually ends in /v1 (e.g. http://localhost:11434/v1).';
  return `The endpoint answered ${status ?? 'with an error'}; check the server log.`;
}

export async function runDoctor(config: ResolvedProviderConfig, options: DoctorOptions): Promise<DoctorReport> {
  const servers = options.discover ? options.discover().catch(() => []) : Promise.resolve(null);
  const report = await checkProvider(config, options);
  const localServers = await servers;
  return { ...report, localServers, localServerHint: config.provider === 'builtin' ? serverHint(localServers ?? []) : null };
}

/** "practise with it: sdcoach practice --provider ollama --model llama3.2:3b" for the first server with a model. */
function serverHint(servers: LocalServer[]): string | null {
  const first = servers.find((s) => s.models.length > 0);
  if (!first) return null;
  const shorthand = first.kind === 'ollama' || first.kind === 'lmstudio' ? first.kind : null;
  const provider = shorthand
    ? `--provider ${shorthand}${LOCAL_SERVER_URLS[shorthand] === first.baseURL ? '' : ` --base-url ${first.baseURL}`}`
    : `--provider openai --base-url ${first.baseURL}`;
  return `practise with it: sdcoach practice ${provider} --model ${first.models[0]}`;
}

type ProviderChecks = Omit<DoctorReport, 'localServers' | 'localServerHint'>;

async function checkProvider(config: ResolvedProviderConfig, options: DoctorOptions): Promise<ProviderChecks> {
  const now = options.now ?? (() => performance.now());
  const timeoutMs = options.timeoutMs ?? 15_000;
  const checks: DoctorCheck[] = [];
  const report = (firstTokenMs: number | null, totalMs: number | null): ProviderChecks => ({
    provider: config.provider,
    model: config.model,
    baseURL: config.provider === 'openai' ? config.baseURL : null,
    checks,
    firstTokenMs,
    totalMs,
    ok: checks.every((check) => check.status !== 'fail'),
  });

  if (config.provider === 'builtin') {
    checks.push({
      id: 'provider',
      status: 'ok',
      summary: `builtin — the rule-based interviewer, works offline (${config.reason})`,
      advice: 'To practise against a model, set OPENAI_API_KEY, or OPENAI_BASE_URL for a local server (Ollama, LM Studio, vLLM); see the README.',
    });
    try {
      const timing = await timeStream(await options.createProvider(config), now, timeoutMs);
      checks.push({ id: 'streaming', status: 'ok', summary: `streaming works, first chunk after ${ms(timing.firstTokenMs ?? 0)}` });
      return report(timing.firstTokenMs, timing.totalMs);
    } catch (error) {
      checks.push(streamFailure(error, timeoutMs, config));
      return report(null, null);
    }
  }

  if (config.provider === 'local') {
    checks.push({ id: 'provider', status: 'ok', summary: `local model ${config.model} — ${config.modelPath} (${config.reason})` });
    try {
      // Loading is part of what is checked: the file, node-llama-cpp, memory.
      const start = now();
      const provider = await options.createProvider(config);
      checks.push({ id: 'model', status: 'ok', summary: `loaded in ${ms(now() - start)}, context ${provider.contextTokens?.toLocaleString('en-US') ?? '?'} tokens` });
      // A local model is ours to cap: a small one may not stop by itself within the timeout.
      const timing = await timeStream(provider, now, timeoutMs, 32);
      checks.push({ id: 'streaming', status: 'ok', summary: `streaming works: first token after ${ms(timing.firstTokenMs ?? 0)}, complete after ${ms(timing.totalMs)}` });
      return report(timing.firstTokenMs, timing.totalMs);
    } catch (error) {
      const loaded = checks.some((c) => c.id === 'model');
      checks.push({
        id: loaded ? 'streaming' : 'model',
        status: 'fail',
        summary: (error as Error).message,
        advice: loaded
          ? 'Run again; a model that loads but does not generate may be damaged: pull it again.'
          : (error as Error).message === NODE_LLAMA_CPP_MISSING
            ? 'It brings llama.cpp built for this machine (CPU, or GPU when there is one); then run this again.'
            : 'See `sdcoach models list`; pull a model with `sdcoach models pull OWNER/REPO/FILE.gguf`.',
      });
      return report(null, null);
    }
  }

  const where = config.server ? `${config.server} (${config.baseURL}, no key sent)` : `openai-compatible endpoint ${config.baseURL}`;
  checks.push({ id: 'provider', status: 'ok', summary: `${where} (${config.reason})` });

  if (config.server) {
    checks.push({ id: 'key', status: 'ok', summary: `no API key (a local server never gets one)` });
  } else if (config.apiKey) {
    checks.push({ id: 'key', status: 'ok', summary: `API key from ${config.keySource}` });
  } else if (config.isOfficialEndpoint) {
    checks.push({
      id: 'key',
      status: 'fail',
      summary: 'no API key',
      advice: 'export OPENAI_API_KEY=sk-… (or use a local server: export OPENAI_BASE_URL=http://localhost:11434/v1).',
    });
    return report(null, null);
  } else if (config.openAIKeyWithheld) {
    checks.push({
      id: 'key',
      status: 'warn',
      summary: `OPENAI_API_KEY is set but not sent to ${new URL(config.baseURL).host} (not api.openai.com)`,
      advice: 'Local servers need no key. If this endpoint needs one, set SDCOACH_API_KEY, or SDCOACH_SHARE_OPENAI_KEY=1 to send your OpenAI key there.',
    });
  } else {
    checks.push({ id: 'key', status: 'ok', summary: 'no API key (none needed by most local servers)' });
  }

  // Endpoint and model: one GET /models answers both.
  const { classifyError, createOpenAIClient } = await import('./openai-provider.js');
  let modelIds: string[] | null = null;
  const client = createOpenAIClient({ baseURL: config.baseURL, apiKey: config.apiKey, timeoutMs });
  const listStart = now();
  try {
    const page = await client.models.list({ timeout: timeoutMs, maxRetries: 0 });
    modelIds = page.data.map((model) => model.id);
    checks.push({
      id: 'endpoint',
      status: 'ok',
      summary: `reachable, answered in ${ms(now() - listStart)} (${modelIds.length} model${modelIds.length === 1 ? '' : 's'})`,
    });
  } catch (error) {
    const { kind, message, status } = classifyError(error);
    // Some servers have no /models; if the endpoint answered at all, streaming can still be tried.
    const answered = status !== undefined;
    checks.push({
      id: 'endpoint',
      status: answered && kind === 'not-found' ? 'warn' : 'fail',
      summary: answered ? `answered ${status} to GET /models: ${message}` : `unreachable: ${message}`,
      advice: endpointAdvice(kind, status, config),
    });
    if (!answered || kind === 'auth') return report(null, null);
  }

  // Ollama lists "llama3.1:latest" but answers to "llama3.1"; anything else unlisted is
  // only a warning until the streaming request shows whether the endpoint knows it.
  const listed = modelIds?.some((id) => id === config.model || id === `${config.model}:latest`);
  const available = modelIds ? modelIds.slice(0, 8).join(', ') + (modelIds.length > 8 ? ', …' : '') : '';
  if (!modelIds) {
    checks.push({ id: 'model', status: 'skip', summary: 'not checked (no model list)' });
  } else if (listed) {
    // The window prompts are checked against (a longer one is refused, never cut by the server).
    const window = config.contextTokens ? `, context ${config.contextTokens.toLocaleString('en-US')} tokens (${config.contextSource ?? 'given'})` : ', context not reported (set it with --context or the contextTokens setting)';
    checks.push({ id: 'model', status: 'ok', summary: `model "${config.model}" is available${window}` });
  } else {
    checks.push({
      id: 'model',
      status: 'warn',
      summary: `model "${config.model}" is not in the endpoint's model list`,
      advice: modelIds.length
        ? `Available: ${available}. Pick one with --model NAME or SDCOACH_MODEL=NAME.`
        : 'The endpoint lists no models: load or pull one first (e.g. `ollama pull llama3.1`).',
    });
  }
  const modelCheck = checks[checks.length - 1]!;

  try {
    const provider = await options.createProvider({ ...config, maxRetries: 0, timeoutMs });
    const timing = await timeStream(provider, now, timeoutMs);
    if (modelCheck.status === 'warn') {
      modelCheck.summary = `model "${config.model}" is not listed, but the endpoint answered with it`;
      delete modelCheck.advice;
    }
    if (timing.firstTokenMs === null) {
      // Reasoning models can spend the whole reply thinking; the endpoint still works.
      checks.push({
        id: 'streaming',
        status: 'warn',
        summary: `the stream completed with no text after ${ms(timing.totalMs)}`,
        advice: 'The model returned an empty reply; it may be a reasoning model, or try another model.',
      });
      return report(null, timing.totalMs);
    }
    checks.push({
      id: 'streaming',
      status: 'ok',
      summary: `streaming works: first token after ${ms(timing.firstTokenMs)}, complete after ${ms(timing.totalMs)}`,
    });
    return report(timing.firstTokenMs, timing.totalMs);
  } catch (error) {
    if (modelCheck.status === 'warn' && error instanceof ProviderError && error.kind === 'not-found') {
      modelCheck.status = 'fail';
      modelCheck.summary = `model "${config.model}" not found`;
      checks.push({ id: 'streaming', status: 'skip', summary: 'not possible without a model the endpoint knows' });
      return report(null, null);
    }
    checks.push(streamFailure(error, timeoutMs, config));
    return report(null, null);
  }
}
