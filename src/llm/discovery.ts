// Finds model servers already running on this machine: Ollama (GET /api/tags), LM Studio,
// a llama.cpp server and vLLM (GET /v1/models, the OpenAI-compatible list), all at once, each
// with a short timeout, so `doctor` and `practice` can offer what is there. Never sends a key.
// SDCOACH_LOCAL_SERVERS=off turns it off; "ollama=http://127.0.0.1:5555,vllm=…" probes only
// those addresses (tests; servers on other ports or hosts).
import { serverRoot } from './endpoint.js';

export type LocalServerKind = 'ollama' | 'lmstudio' | 'llamacpp' | 'vllm';

export interface LocalServerSpec {
  kind: LocalServerKind;
  name: string;
  /** Where it listens by default, without /v1. */
  origin: string;
}

export const LOCAL_SERVER_SPECS: readonly LocalServerSpec[] = [
  { kind: 'ollama', name: 'Ollama', origin: 'http://127.0.0.1:11434' },
  { kind: 'lmstudio', name: 'LM Studio', origin: 'http://127.0.0.1:1234' },
  { kind: 'llamacpp', name: 'llama.cpp server', origin: 'http://127.0.0.1:8080' },
  { kind: 'vllm', name: 'vLLM', origin: 'http://127.0.0.1:8000' },
];

export const DISCOVERY_TIMEOUT_MS = 300;
/**
 * Servers named in SDCOACH_LOCAL_SERVERS are expected to be there (another host, a busy box):
 * they get longer to answer. The default probes stay short: an absent local server refuses the
 * connection at once, and a practice start must not wait on them.
 */
export const NAMED_DISCOVERY_TIMEOUT_MS = 2000;

export interface LocalServer {
  kind: LocalServerKind;
  name: string;
  /** The OpenAI-compatible base URL to use it with (…/v1). */
  baseURL: string;
  /** Model ids as the chat endpoint takes them; may be empty (a server with nothing loaded). */
  models: string[];
}

/** The servers to probe: the defaults, or the ones SDCOACH_LOCAL_SERVERS names; [] when it says off. */
export function discoveryTargets(env: NodeJS.ProcessEnv = process.env): LocalServerSpec[] {
  const raw = env.SDCOACH_LOCAL_SERVERS?.trim();
  if (!raw) return [...LOCAL_SERVER_SPECS];
  if (['off', 'none', '0', 'false'].includes(raw.toLowerCase())) return [];
  const targets: LocalServerSpec[] = [];
  for (const item of raw.split(',')) {
    const [kind, origin] = item.split('=').map((s) => s.trim());
    const spec = LOCAL_SERVER_SPECS.find((s) => s.kind === kind);
    if (spec && origin) targets.push({ ...spec, origin: serverRoot(origin) });
  }
  return targets;
}

async function getJson(url: string, timeoutMs: number, fetcher: typeof fetch): Promise<unknown> {
  // No Authorization header, ever: these are local servers and need no key.
  const response = await fetcher(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(`HTTP ${response.status}`);
  }
  return response.json();
}

/** Model ids from an OpenAI `/v1/models` body or an Ollama `/api/tags` body. */
export function modelIds(body: unknown): string[] {
  const data = (body as { data?: unknown })?.data;
  if (Array.isArray(data)) return data.map((m) => (m as { id?: unknown }).id).filter((id): id is string => typeof id === 'string');
  const models = (body as { models?: unknown })?.models;
  if (Array.isArray(models)) {
    return models.map((m) => (m as { name?: unknown; model?: unknown }).name ?? (m as { model?: unknown }).model).filter((id): id is string => typeof id === 'string');
  }
  return [];
}

async function probe(spec: LocalServerSpec, timeoutMs: number, fetcher: typeof fetch): Promise<LocalServer | null> {
  try {
    const path = spec.kind === 'ollama' ? '/api/tags' : '/v1/models';
    const body = await getJson(spec.origin + path, timeoutMs, fetcher);
    // Something else listening on the port answers, but not with a model list.
    if (typeof body !== 'object' || body === null || (!('data' in body) && !('models' in body))) return null;
    return { kind: spec.kind, name: spec.name, baseURL: `${spec.origin}/v1`, models: modelIds(body) };
  } catch {
    return null;
  }
}

export interface DiscoveryOptions {
  env?: NodeJS.ProcessEnv;
  targets?: LocalServerSpec[];
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** Every server that answered, in the order of LOCAL_SERVER_SPECS; all probed in parallel. */
export async function discoverLocalServers(options: DiscoveryOptions = {}): Promise<LocalServer[]> {
  const targets = options.targets ?? discoveryTargets(options.env);
  const named = !options.targets && Boolean((options.env ?? process.env).SDCOACH_LOCAL_SERVERS?.trim());
  const timeoutMs = options.timeoutMs ?? (named ? NAMED_DISCOVERY_TIMEOUT_MS : DISCOVERY_TIMEOUT_MS);
  const found = await Promise.all(targets.map((spec) => probe(spec, timeoutMs, options.fetch ?? fetch)));
  return found.filter((server): server is LocalServer => server !== null);
}

/** The models one OpenAI-compatible base URL serves (null: it did not answer). */
export async function listServerModels(baseURL: string, options: { timeoutMs?: number; fetch?: typeof fetch } = {}): Promise<string[] | null> {
  try {
    return modelIds(await getJson(`${baseURL.replace(/\/+$/, '')}/models`, options.timeoutMs ?? 2000, options.fetch ?? fetch));
  } catch {
    return null;
  }
}

/** "Ollama at 127.0.0.1:11434 (llama3.2:3b, qwen2.5:1.5b)". */
export function describeServer(server: LocalServer, maxModels = 4): string {
  const host = new URL(server.baseURL).host;
  const models = server.models.length
    ? server.models.slice(0, maxModels).join(', ') + (server.models.length > maxModels ? `, +${server.models.length - maxModels} more` : '')
    : 'no models loaded';
  return `${server.name} at ${host} (${models})`;
}
