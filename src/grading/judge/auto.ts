// `grade --grader auto` (the default): the LLM judge when a model is configured and reachable,
// else the evidence grader. Decided once per batch from the resolved provider config and one
// GET /models with a short timeout (as `sdcoach doctor` checks an endpoint), never per file.
// The builtin provider is a rule-based interviewer, not a model: auto with it → evidence.
// The reason is said once on stderr; it names the endpoint's host only, never a key.
import type { ResolvedProviderConfig } from '../../llm/config.js';
import type { ProviderErrorKind } from '../../llm/provider.js';
import { endpointHost } from '../../llm/endpoint.js';

export const AUTO_PROBE_TIMEOUT_MS = 3_000;

export type ProbeResult =
  | { ok: true; models: string[] }
  | { ok: false; kind: ProviderErrorKind; status?: number };

/** Asks an endpoint for its models: reachable or not, and why. */
export type Probe = (config: ResolvedProviderConfig, timeoutMs: number) => Promise<ProbeResult>;

export interface GraderChoice {
  grader: 'evidence' | 'llm';
  /** Why, for the one line on stderr: "no model configured", "gpt-4o-mini at localhost:11434". */
  reason: string;
}

/** GET /models through the openai client: no retries, `timeoutMs` at most. */
export const probeModels: Probe = async (config, timeoutMs) => {
  const { classifyError, createOpenAIClient } = await import('../../llm/openai-provider.js');
  const client = createOpenAIClient({ baseURL: config.baseURL, apiKey: config.apiKey, timeoutMs });
  try {
    const page = await client.models.list({ timeout: timeoutMs, maxRetries: 0 });
    return { ok: true, models: page.data.map((model) => model.id) };
  } catch (error) {
    const { kind, status } = classifyError(error);
    return status === undefined ? { ok: false, kind } : { ok: false, kind, status };
  }
};


/** Which grader auto uses for this configuration. */
export async function chooseGrader(
  config: ResolvedProviderConfig,
  options: { probe?: Probe; timeoutMs?: number } = {},
): Promise<GraderChoice> {
  // A pulled local model runs in this process: nothing to probe (one that does not load is a one-line error).
  if (config.provider === 'local') return { grader: 'llm', reason: `the local model ${config.model}` };
  if (config.provider !== 'openai') {
    return {
      grader: 'evidence',
      reason: config.reason === 'no endpoint or API key configured' ? 'no model configured' : `the builtin provider is not a model (${config.reason})`,
    };
  }
  const where = endpointHost(config.baseURL);
  if (config.isOfficialEndpoint && !config.apiKey) return { grader: 'evidence', reason: `no API key for ${where}` };
  const probe = options.probe ?? probeModels;
  const result = await probe(config, options.timeoutMs ?? AUTO_PROBE_TIMEOUT_MS);
  const judge: GraderChoice = { grader: 'llm', reason: `${config.model} at ${where}` };
  if (result.ok) {
    if (result.models.length === 0) return { grader: 'evidence', reason: `${where} lists no models` };
    const listed = result.models.some((id) => id === config.model || id === `${config.model}:latest`);
    return listed ? judge : { grader: 'evidence', reason: `model "${config.model}" is not offered by ${where}` };
  }
  // Some servers have no /models; one that answers 404 to it still serves chat completions
  // (a file the judge then fails on falls back to the evidence grader with a flag).
  if (result.kind === 'not-found' && result.status !== undefined) return judge;
  if (result.kind === 'auth') return { grader: 'evidence', reason: `${where} refused the API key` };
  if (result.kind === 'network' || result.kind === 'timeout' || result.kind === 'aborted') {
    return { grader: 'evidence', reason: `no model reachable at ${where}` };
  }
  return { grader: 'evidence', reason: `${where} answered ${result.status ?? result.kind} when asked for its models` };
}

export function choiceMessage(choice: GraderChoice): string {
  return choice.grader === 'llm'
    ? `grading with the LLM judge (${choice.reason})`
    : `grading with the evidence grader (${choice.reason})`;
}
