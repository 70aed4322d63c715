// The local provider: a GGUF model run in this process by node-llama-cpp (llama.cpp), no
// server. Same interface as the others: delta events as tokens arrive, usage (real token
// counts) last, AbortedError with the partial text on Esc, a prompt longer than the context
// refused rather than silently cut, and a JSON-schema grammar when the judge asks for JSON.
// Loaded only by dynamic import (create-provider), and node-llama-cpp only inside it.
import path from 'node:path';
import type { ChatHistoryItem, LlamaChat, LlamaContext, LlamaGrammar, LlamaModel, Llama } from 'node-llama-cpp';
import { GgufHeaderError, readGgufHeader } from './gguf-header.js';
import { toGrammarSchema } from './grammar-schema.js';
import { localModelName } from './model-store.js';
import { llamaRuntime, loadNodeLlamaCpp, type ImportNodeLlamaCpp, type NodeLlamaCpp } from './node-llama-cpp.js';
import {
  AbortedError,
  ContextTooLongError,
  ProviderError,
  StreamInterruptedError,
  type ChatMessage,
  type Provider,
  type StreamEvent,
  type StreamRequest,
} from './provider.js';

/** Context used when the model was trained for more: the interview budget (~6k) plus a reply, without a multi-GB KV cache. */
export const DEFAULT_LOCAL_CONTEXT_TOKENS = 8192;
const DEFAULT_TEMPERATURE = 0.7;

export interface LocalProviderOptions {
  modelPath: string;
  /** Context size in tokens (the contextTokens setting); default: the model's, capped at DEFAULT_LOCAL_CONTEXT_TOKENS. */
  contextTokens?: number | null;
  /** CPU threads for generation; default: node-llama-cpp's choice (all cores). */
  threads?: number;
  gpu?: boolean;
  /** Sampling seed, for reproducible replies (tests). */
  seed?: number;
  importNodeLlamaCpp?: ImportNodeLlamaCpp;
}


/** Why a model did not load, in one line, from what node-llama-cpp or the file system said. */
function loadFailure(modelPath: string, error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  const name = path.basename(modelPath);
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'ENOENT') return new ProviderError('not-found', `model file not found: ${modelPath} (see \`sdcoach models list\`)`, { cause: error });
  if (code === 'EACCES' || code === 'EISDIR') return new ProviderError('not-found', `cannot read the model file ${modelPath} (${code})`, { cause: error });
  if (error instanceof GgufHeaderError) return new ProviderError('bad-response', `${name} is not a usable GGUF model: ${message}`, { cause: error });
  if ((error as Error)?.name === 'InsufficientMemoryError' || /memory/i.test(message)) {
    return new ProviderError('server', `not enough memory to load ${name}: try a smaller model or quantisation (e.g. Q4_K_M of a 1–3B model)`, { cause: error });
  }
  return new ProviderError('bad-response', `${name} failed to load: ${message.split('\n')[0]} (corrupt or unsupported GGUF?)`, { cause: error });
}

/** Our messages → node-llama-cpp's chat history: one leading system message (templates want at most one), then the turns. */
export function toChatHistory(messages: ChatMessage[]): ChatHistoryItem[] {
  const system = messages.filter((m) => m.role === 'system').map((m) => m.content);
  const history: ChatHistoryItem[] = system.length ? [{ type: 'system', text: system.join('\n\n') }] : [];
  for (const message of messages) {
    if (message.role === 'user') history.push({ type: 'user', text: message.content });
    else if (message.role === 'assistant') history.push({ type: 'model', response: [message.content] });
  }
  history.push({ type: 'model', response: [] });
  return history;
}

const FINISH_REASONS: Record<string, string> = {
  eogToken: 'stop',
  stopGenerationTrigger: 'stop',
  customStopTrigger: 'stop',
  maxTokens: 'length',
  functionCalls: 'stop',
};

/** Opens the model and a context on it; every failure becomes a one-line ProviderError. */
export async function createLocalProvider(options: LocalProviderOptions): Promise<LocalProvider> {
  const lib = await loadNodeLlamaCpp(options.importNodeLlamaCpp);
  let model: LlamaModel | undefined;
  try {
    // Our own header check first: a clear message for a truncated or non-GGUF file.
    await readGgufHeader(options.modelPath);
    const llama = await llamaRuntime(lib, { gpu: options.gpu });
    model = await llama.loadModel({ modelPath: options.modelPath });
    const contextSize = Math.min(model.trainContextSize, options.contextTokens ?? DEFAULT_LOCAL_CONTEXT_TOKENS);
    const context = await model.createContext({ contextSize, sequences: 1, ...(options.threads ? { threads: options.threads } : {}) });
    return new LocalProvider(lib, llama, model, context, options);
  } catch (error) {
    await model?.dispose().catch(() => {});
    throw loadFailure(options.modelPath, error);
  }
}

export class LocalProvider implements Provider {
  readonly id = 'local' as const;
  readonly model: string;
  readonly label: string;
  readonly contextTokens: number;
  private readonly chat: LlamaChat;
  private readonly grammars = new Map<string, Promise<LlamaGrammar>>();
  /** One sequence, one generation at a time: callers queue here. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    lib: NodeLlamaCpp,
    private readonly llama: Llama,
    private readonly llamaModel: LlamaModel,
    private readonly context: LlamaContext,
    private readonly options: LocalProviderOptions,
  ) {
    this.model = localModelName(options.modelPath);
    this.label = `local ${this.model} (on this machine)`;
    this.contextTokens = context.contextSize;
    this.chat = new lib.LlamaChat({ contextSequence: context.getSequence() });
  }

  /** Frees the model and its context (memory); the provider is unusable afterwards. */
  async dispose(): Promise<void> {
    await this.chat.dispose();
    await this.context.dispose();
    await this.llamaModel.dispose();
  }

  /** Tokens the prompt takes once the model's chat template has formatted it. */
  promptTokens(history: ChatHistoryItem[]): number {
    const { contextText } = this.chat.chatWrapper.generateContextState({ chatHistory: history });
    return contextText.tokenize(this.llamaModel.tokenizer).length;
  }

  private grammarFor(schema: Record<string, unknown>): Promise<LlamaGrammar> {
    const key = JSON.stringify(schema);
    let grammar = this.grammars.get(key);
    if (!grammar) {
      grammar = this.llama.createGrammarForJsonSchema(toGrammarSchema(schema) as never).catch((error: unknown) => {
        this.grammars.delete(key);
        throw new ProviderError('bad-request', `the JSON schema cannot be turned into a grammar: ${(error as Error).message}`, { cause: error });
      });
      this.grammars.set(key, grammar);
    }
    return grammar;
  }

  async *stream(request: StreamRequest): AsyncGenerator<StreamEvent> {
    const userSignal = request.signal;
    if (userSignal?.aborted) throw new AbortedError('');
    // Wait for our turn on the sequence (an aborted wait gives up its place).
    let release!: () => void;
    const previous = this.queue;
    this.queue = new Promise<void>((resolve) => (release = resolve));
    try {
      await previous;
      if (userSignal?.aborted) throw new AbortedError('');
      yield* this.generate(request);
    } finally {
      release();
    }
  }

  private async *generate(request: StreamRequest): AsyncGenerator<StreamEvent> {
    const userSignal = request.signal;
    const history = toChatHistory(request.messages);
    const inputTokens = this.promptTokens(history);
    const room = this.contextTokens - inputTokens;
    // A prompt that leaves no room for a reply would be cut by a context shift without a word.
    if (room < Math.min(request.maxTokens ?? 16, 16)) throw new ContextTooLongError(inputTokens, this.contextTokens, 'the prompt');
    const maxTokens = Math.min(request.maxTokens ?? room, room);
    const grammar = request.jsonSchema ? await this.grammarFor(request.jsonSchema.schema) : undefined;

    const stop = new AbortController();
    const onUserAbort = () => stop.abort(userSignal!.reason);
    userSignal?.addEventListener('abort', onUserAbort, { once: true });
    const pending: string[] = [];
    let outputTokens = 0;
    let settled: { ok: true; stopReason: string } | { ok: false; error: unknown } | null = null;
    let wake: (() => void) | null = null;
    const notify = () => {
      wake?.();
      wake = null;
    };
    const run = this.chat
      .generateResponse(history, {
        maxTokens,
        temperature: request.temperature ?? DEFAULT_TEMPERATURE,
        ...(this.options.seed !== undefined ? { seed: this.options.seed } : {}),
        ...(grammar ? { grammar } : {}),
        signal: stop.signal,
        stopOnAbortSignal: true,
        // Our prompt was measured to fit; never drop turns behind the caller's back.
        contextShift: { strategy: 'eraseFirstResponseAndKeepFirstSystem' },
        onTextChunk: (text) => {
          pending.push(text);
          notify();
        },
        onToken: (tokens) => {
          outputTokens += tokens.length;
        },
      })
      .then(
        (result) => {
          settled = { ok: true, stopReason: result.metadata.stopReason };
          notify();
        },
        (error: unknown) => {
          settled = { ok: false, error };
          notify();
        },
      );

    let text = '';
    try {
      for (;;) {
        if (pending.length) {
          const chunk = pending.splice(0).join('');
          if (!chunk) continue;
          text += chunk;
          yield { type: 'delta', text: chunk };
          continue;
        }
        if (settled) break;
        await new Promise<void>((resolve) => (wake = resolve));
      }
      const outcome = settled as { ok: true; stopReason: string } | { ok: false; error: unknown } | null;
      if (userSignal?.aborted || (outcome?.ok && outcome.stopReason === 'abort')) throw new AbortedError(text);
      if (outcome && !outcome.ok) {
        const message = `the local model failed: ${(outcome.error as Error)?.message ?? String(outcome.error)}`;
        if (text) throw new StreamInterruptedError('server', message, { partialText: text, cause: outcome.error });
        throw new ProviderError('server', message, { cause: outcome.error });
      }
      yield {
        type: 'usage',
        usage: { inputTokens, outputTokens, estimated: false },
        finishReason: FINISH_REASONS[(outcome as { stopReason: string }).stopReason] ?? 'stop',
      };
    } finally {
      userSignal?.removeEventListener('abort', onUserAbort);
      // A consumer that stopped reading ends the generation before the sequence is reused.
      stop.abort();
      await run;
    }
  }
}
