// The one interface every interviewer and judge goes through, model or not,
// so the UI and the grader have a single streaming path.
import type { Phase } from '../schemas/transcript.js';
import { SdcoachError } from '../errors.js';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  /** True when the endpoint sent no usage and the counts are our own estimate. */
  estimated: boolean;
}

export interface StreamRequest {
  messages: ChatMessage[];
  signal?: AbortSignal;
  temperature?: number;
  maxTokens?: number;
  /** Ask for JSON matching this schema (structured output) where the endpoint supports it. */
  jsonSchema?: { name: string; schema: Record<string, unknown>; strict?: boolean };
  /**
   * The session clock, for the builtin interviewer (it keeps time); models ignore it.
   * `elapsedMs[i]` is when the i-th non-system message was said; `nowMs` is now.
   */
  clock?: { elapsedMs: number[]; nowMs: number };
}

export type StreamEvent =
  | { type: 'delta'; text: string }
  /** A failed attempt that will be retried after `delayMs`; shown to the user, never fatal. */
  | { type: 'retry'; attempt: number; delayMs: number; reason: string; status?: number }
  /** Always the last event of a stream that completed. */
  | { type: 'usage'; usage: Usage; finishReason: string | null }
  /**
   * Only the builtin interviewer sends this, first: what its move is (kind, phase, topic, and
   * the pushback it makes, if any), so the session can record phase and pushback events.
   * Consumers that only want text ignore it.
   */
  | { type: 'move'; move: { kind: string; phase: Phase; topic: string; pushback?: { topic: string; expected: string } } };

export type ProviderId = 'builtin' | 'openai' | 'local';

export interface Provider {
  readonly id: ProviderId;
  readonly model: string;
  /** Human name for headers and reports, e.g. "builtin (rule-based, offline)". */
  readonly label: string;
  /** The local server behind an openai provider (ollama, lmstudio), for the practice header. */
  readonly server?: string;
  /** The model's context length in tokens, when known (the contextTokens setting): longer prompts are refused, not sent. */
  readonly contextTokens?: number;
  /** Where contextTokens came from ("--context", "Ollama default num_ctx"), for the message when a prompt is too long. */
  readonly contextSource?: string;
  stream(request: StreamRequest): AsyncIterable<StreamEvent>;
}

export type ProviderErrorKind =
  | 'auth'
  | 'not-found'
  | 'rate-limit'
  | 'server'
  | 'timeout'
  | 'network'
  | 'bad-request'
  | 'bad-response'
  | 'aborted';

/** Every failure a provider raises; `partialText` is whatever reply text arrived before it. */
export class ProviderError extends SdcoachError {
  readonly kind: ProviderErrorKind;
  readonly partialText: string;
  readonly status: number | undefined;
  constructor(
    kind: ProviderErrorKind,
    message: string,
    options: { partialText?: string; status?: number; cause?: unknown } = {},
  ) {
    super(message, 1, { cause: options.cause });
    this.name = 'ProviderError';
    this.kind = kind;
    this.partialText = options.partialText ?? '';
    this.status = options.status;
  }
}

/** The stream started and then broke: the text that arrived is kept in `partialText`. */
export class StreamInterruptedError extends ProviderError {
  constructor(
    kind: ProviderErrorKind,
    message: string,
    options: { partialText: string; status?: number; cause?: unknown },
  ) {
    super(kind, message, options);
    this.name = 'StreamInterruptedError';
  }
}

/** The caller's AbortSignal fired (Esc); `partialText` holds what arrived. */
export class AbortedError extends ProviderError {
  constructor(partialText: string) {
    super('aborted', 'The reply was cancelled.', { partialText });
    this.name = 'AbortedError';
  }
}

/**
 * A prompt longer than the model's context window, refused before it is sent: servers cut such a
 * prompt without saying so (Ollama keeps its end) and answer as if they had read it all.
 */
export class ContextTooLongError extends ProviderError {
  readonly promptTokens: number;
  readonly contextTokens: number;
  constructor(promptTokens: number, contextTokens: number, what: string) {
    const n = (value: number) => value.toLocaleString('en-US');
    super(
      'bad-request',
      `${what} is ~${n(Math.ceil(promptTokens / 100) * 100)} tokens, more than the model's ${n(contextTokens)}-token context; use a model with a longer context (or raise Ollama's num_ctx)`,
    );
    this.name = 'ContextTooLongError';
    this.promptTokens = promptTokens;
    this.contextTokens = contextTokens;
  }
}

/**
 * The same provider with some of its description set (its context, its server) or its stream
 * wrapped: every field it had is kept, so a wrapper never drops one the others added.
 */
export function providerWith(
  provider: Provider,
  changes: { contextTokens?: number; contextSource?: string; server?: string; stream?: Provider['stream'] },
): Provider {
  const { stream, ...described } = changes;
  return {
    id: provider.id,
    model: provider.model,
    label: provider.label,
    ...(provider.contextTokens ? { contextTokens: provider.contextTokens } : {}),
    ...(provider.contextSource ? { contextSource: provider.contextSource } : {}),
    ...(provider.server ? { server: provider.server } : {}),
    ...described,
    stream: stream ?? ((request) => provider.stream(request)),
  };
}

/** Drain a stream into its text and usage; convenient for judges and tests. */
export async function collect(
  stream: AsyncIterable<StreamEvent>,
): Promise<{ text: string; usage: Usage | null; finishReason: string | null; retries: number }> {
  let text = '';
  let usage: Usage | null = null;
  let finishReason: string | null = null;
  let retries = 0;
  for await (const event of stream) {
    if (event.type === 'delta') text += event.text;
    else if (event.type === 'retry') retries++;
    else if (event.type === 'usage') {
      usage = event.usage;
      finishReason = event.finishReason;
    }
  }
  return { text, usage, finishReason, retries };
}
