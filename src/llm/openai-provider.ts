// The openai provider: the real `openai` client against any OpenAI-compatible endpoint.
// Retries are ours (the client's are off) so they are visible as events, honour retry-after,
// and stop the moment anything has been shown: a reply that started is never silently redone.
// This module is only ever loaded by dynamic import (create-provider, doctor), so the static
// import of `openai` here does not slow down `sdcoach --help`.
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import {
  AbortedError,
  ProviderError,
  StreamInterruptedError,
  type Provider,
  type ProviderErrorKind,
  type StreamEvent,
  type StreamRequest,
} from './provider.js';
import { DEFAULT_BACKOFF, RETRYABLE_KINDS, backoffMs, retryAfterMs, type BackoffPolicy } from './retry.js';
import { sleep as realSleep, type Sleep } from './sleep.js';
import { estimateMessageTokens, estimateTokens } from './tokens.js';
import { chatCompletionBody } from './chat-body.js';

export interface OpenAIProviderOptions {
  baseURL: string;
  /** null: no Authorization header at all (local servers need none). */
  apiKey: string | null;
  model: string;
  /** No response headers, or no chunk mid-stream, for this long: the attempt is a timeout. */
  timeoutMs?: number;
  maxRetries?: number;
  backoff?: BackoffPolicy;
  sleep?: Sleep;
  random?: () => number;
  /** Ask for the final usage chunk (`stream_options.include_usage`); some old servers reject it. */
  includeUsage?: boolean;
}

const silentLogger = { error() {}, warn() {}, info() {}, debug() {} };

/** Build the client so it never reads OPENAI_* from the environment itself: config.ts decides. */
export function createOpenAIClient(options: { baseURL: string; apiKey: string | null; timeoutMs?: number }): OpenAI {
  return new OpenAI({
    baseURL: options.baseURL,
    // The client insists on a credential; with no key we send none by nulling the header.
    apiKey: options.apiKey ?? 'no-key',
    defaultHeaders: options.apiKey ? undefined : { Authorization: null },
    organization: null,
    project: null,
    adminAPIKey: null,
    maxRetries: 0,
    timeout: options.timeoutMs ?? 60_000,
    logger: silentLogger,
    logLevel: 'off',
  });
}

interface ErrorLike {
  message?: string;
  code?: string | null;
  headers?: Headers;
  cause?: unknown;
}

/** Map anything the client or the socket throws to our typed error kinds. */
export function classifyError(error: unknown): { kind: ProviderErrorKind; message: string; status?: number } {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof APIConnectionTimeoutError) return { kind: 'timeout', message: 'The request timed out.' };
  if (error instanceof APIConnectionError) {
    // fetch failed → its cause carries the system error code (ECONNREFUSED, ENOTFOUND…).
    const cause = (error.cause as ErrorLike | undefined)?.cause as ErrorLike | undefined;
    const detail = cause?.code ?? cause?.message ?? (error.cause as ErrorLike | undefined)?.message ?? message;
    return { kind: 'network', message: `Connection failed (${detail}).` };
  }
  if (error instanceof APIError && typeof error.status === 'number') {
    const status = error.status;
    if (status === 401 || status === 403) return { kind: 'auth', message, status };
    if (status === 404) return { kind: 'not-found', message, status };
    // insufficient_quota is a billing problem: waiting will not fix it.
    if (status === 429) return { kind: error.code === 'insufficient_quota' ? 'auth' : 'rate-limit', message, status };
    if (status === 408 || status === 409) return { kind: 'timeout', message, status };
    if (status >= 500) return { kind: 'server', message, status };
    return { kind: 'bad-request', message, status };
  }
  // An error event inside the stream (no HTTP status): the server failed mid-reply.
  if (error instanceof APIError) return { kind: 'server', message: `The endpoint reported an error mid-stream: ${message}` };
  if (error instanceof SyntaxError) return { kind: 'bad-response', message: `The endpoint sent a malformed chunk: ${message}` };
  // undici reports a socket closed mid-body as TypeError("terminated").
  return { kind: 'network', message };
}

class TimeoutSignal extends Error {
  constructor(ms: number) {
    super(`No data from the endpoint for ${Math.round(ms / 1000)} s.`);
    this.name = 'TimeoutSignal';
  }
}

/** Internal: the stream closed before a finish reason arrived (becomes a 'network' ProviderError). */
class StreamEnded extends Error {
  constructor() {
    super('The stream ended before the reply was complete.');
    this.name = 'StreamEnded';
  }
}

export async function createOpenAIProvider(options: OpenAIProviderOptions): Promise<Provider> {
  return new OpenAIProvider(createOpenAIClient(options), options);
}

export class OpenAIProvider implements Provider {
  readonly id = 'openai' as const;
  readonly model: string;
  readonly label: string;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly backoff: BackoffPolicy;
  private readonly sleep: Sleep;
  private readonly random: () => number;
  private readonly includeUsage: boolean;

  constructor(
    private readonly client: OpenAI,
    options: OpenAIProviderOptions,
  ) {
    this.model = options.model;
    this.label = `openai-compatible ${options.model} @ ${new URL(options.baseURL).host}`;
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.maxRetries = options.maxRetries ?? 4;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.sleep = options.sleep ?? realSleep;
    this.random = options.random ?? Math.random;
    this.includeUsage = options.includeUsage ?? true;
  }

  async *stream(request: StreamRequest): AsyncGenerator<StreamEvent> {
    const userSignal = request.signal;
    for (let attempt = 0; ; attempt++) {
      if (userSignal?.aborted) throw new AbortedError('');
      const attemptAbort = new AbortController();
      const onUserAbort = () => attemptAbort.abort(userSignal!.reason);
      userSignal?.addEventListener('abort', onUserAbort, { once: true });
      // One watchdog for "no headers yet" and "silent mid-stream": reset on every chunk.
      let timer: NodeJS.Timeout | undefined;
      let timedOut = false;
      const arm = () => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          timedOut = true;
          attemptAbort.abort(new TimeoutSignal(this.timeoutMs));
        }, this.timeoutMs);
      };
      let text = '';
      let finishReason: string | null = null;
      let usage: OpenAI.CompletionUsage | null = null;
      const usageEvent = (): StreamEvent => ({
        type: 'usage',
        usage: usage
          ? { inputTokens: usage.prompt_tokens, outputTokens: usage.completion_tokens, estimated: false }
          : { inputTokens: estimateMessageTokens(request.messages), outputTokens: estimateTokens(text), estimated: true },
        finishReason,
      });
      try {
        arm();
        const stream = await this.client.chat.completions.create(
          {
            ...chatCompletionBody(this.model, request),
            stream: true,
            ...(this.includeUsage ? { stream_options: { include_usage: true } } : {}),
          },
          { signal: attemptAbort.signal, maxRetries: 0, timeout: this.timeoutMs * 2 },
        );
        arm();
        for await (const chunk of stream) {
          arm();
          if (chunk.usage) usage = chunk.usage;
          // The usage chunk has `choices: []`; some servers also send empty keep-alive chunks.
          const choice = chunk.choices?.[0];
          if (!choice) continue;
          const delta = choice.delta?.content;
          if (delta) {
            text += delta;
            yield { type: 'delta', text: delta };
          }
          if (choice.finish_reason) finishReason = choice.finish_reason;
        }
        // An aborted stream ends the loop quietly: find out why it ended.
        if (userSignal?.aborted) throw new AbortedError(text);
        if (timedOut) throw new TimeoutSignal(this.timeoutMs);
        if (finishReason === null) {
          throw new StreamEnded();
        }
        yield usageEvent();
        return;
      } catch (error) {
        if (error instanceof AbortedError) throw error;
        if (userSignal?.aborted) throw new AbortedError(text);
        // The reply was complete (finish_reason seen); only the trailing usage chunk was lost.
        if (finishReason !== null) {
          yield usageEvent();
          return;
        }
        const failure =
          timedOut || error instanceof TimeoutSignal
            ? { kind: 'timeout' as const, message: new TimeoutSignal(this.timeoutMs).message }
            : error instanceof StreamEnded
              ? { kind: 'network' as const, message: error.message }
              : classifyError(error);
        if (text) {
          throw new StreamInterruptedError(
            failure.kind,
            `The reply was cut off after ${text.length} characters: ${failure.message}`,
            { partialText: text, status: failure.status, cause: error },
          );
        }
        const retryable = RETRYABLE_KINDS.has(failure.kind) && attempt < this.maxRetries;
        const asked = retryAfterMs((error as ErrorLike)?.headers);
        if (!retryable || (asked !== null && asked > this.backoff.maxRetryAfterMs)) {
          const tried = attempt > 0 ? ` (after ${attempt + 1} attempts)` : '';
          throw new ProviderError(failure.kind, `${failure.message}${tried}`, { status: failure.status, cause: error });
        }
        const delayMs = asked ?? backoffMs(attempt, this.backoff, this.random);
        yield { type: 'retry', attempt: attempt + 1, delayMs, reason: failure.message, status: failure.status };
        try {
          await this.sleep(delayMs, userSignal);
        } catch {
          throw new AbortedError('');
        }
      } finally {
        clearTimeout(timer);
        userSignal?.removeEventListener('abort', onUserAbort);
        // Closes the socket if the consumer stopped early or the attempt failed.
        attemptAbort.abort();
      }
    }
  }
}
