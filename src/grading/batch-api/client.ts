// The openai client's Files and Batches APIs, with sdcoach's error messages: an endpoint
// without the Batch API (404 on /files or /batches) is said in one line, never a stack trace.
import type OpenAI from 'openai';
import { endpointHost } from '../../llm/endpoint.js';
import type { SdcoachPaths } from '../../storage/paths.js';
import type { GradeOptions } from '../grade-options.js';
import type { BatchManifest } from './manifest.js';
import { SdcoachError } from '../../errors.js';

/** The endpoint answered 404 where the Batch API should be. */
export class NoBatchApiError extends SdcoachError {
  constructor(message: string) {
    super(message, 1);
    this.name = 'NoBatchApiError';
  }
}


export async function batchApiClient(config: { baseURL: string; apiKey: string | null }): Promise<OpenAI> {
  const { createOpenAIClient } = await import('../../llm/openai-provider.js');
  // Uploads of tens of MB take a while; the Batch API is not interactive.
  return createOpenAIClient({
    baseURL: config.baseURL,
    apiKey: config.apiKey,
    timeoutMs: 600_000,
  });
}

/** Runs one Batch API call; a failure becomes one clear line naming the call and the host. */
export async function batchCall<T>(what: string, baseURL: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const { classifyError } = await import('../../llm/openai-provider.js');
    const { kind, status, message } = classifyError(error);
    const host = endpointHost(baseURL);
    if (status === 404 && !what.startsWith('GET /batches/')) {
      throw new NoBatchApiError(`${host} has no Batch API (404 on ${what}); grade without --batch-api to use the interactive judge`);
    }
    if (status === 404) throw new NoBatchApiError(`${host} does not know this batch, or has no Batch API (404 on ${what})`);
    if (kind === 'auth') throw new Error(`${host} refused the API key (${what}): ${message}`);
    throw new Error(`${what} at ${host} failed: ${message}`);
  }
}

/** The client for a recorded batch: its own endpoint, with the configured key when that is the same endpoint. */
export async function manifestClient(manifest: BatchManifest, options: Pick<GradeOptions, 'judgeConfig'>, paths: SdcoachPaths): Promise<OpenAI> {
  const config = options.judgeConfig ? await options.judgeConfig().catch(() => null) : null;
  const apiKey = config && config.baseURL === manifest.baseURL ? config.apiKey : null;
  if (config && config.baseURL !== manifest.baseURL) {
    process.stderr.write(
      `note: batch ${manifest.batchId} was sent to ${endpointHost(manifest.baseURL)}, not the configured ${endpointHost(config.baseURL)}: asking it without a key\n`,
    );
  }
  return batchApiClient({ baseURL: manifest.baseURL, apiKey });
}
