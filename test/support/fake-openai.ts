/**
 * A local OpenAI-compatible server for tests and benchmarks.
 *
 * Plain `node:http`, bound to 127.0.0.1 on a random port. It speaks the subset of the
 * API that sdcoach uses (`GET /v1/models`, `GET /v1/models/{id}`, `POST /v1/chat/completions`)
 * with the exact wire shapes of the real API (validated against the official OpenAPI
 * description in test/openapi-conformance.test.ts), and it injects faults on demand:
 * error statuses, hung requests, streams that stall, drop or turn into garbage.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type FakeBehaviour =
  | {
      kind: 'reply';
      /** Scripted reply text; without it: a JSON echo for `response_format: json_schema`/`json_object`, else the server's default reply. */
      text?: string | ((req: RecordedRequest) => string);
      /** Split content into pieces of this many characters; default: one word (with its leading whitespace) per chunk. */
      chunkSize?: number;
      /** Stream the whole reply and its finish chunk, then reset the connection before usage and [DONE]. */
      dropAfterFinish?: boolean;
      /** Delay between content chunks; default: the server's `tokenDelayMs` option. */
      tokenDelayMs?: number;
      /** Time before the response starts (a model's time to first token); default: the server's `latencyMs`. */
      latencyMs?: number;
      finishReason?: 'stop' | 'length';
    }
  | { kind: 'status'; status: number; retryAfter?: string; retryAfterMs?: string; message?: string }
  | { kind: 'hang' }
  | { kind: 'hang-mid-stream'; afterChunks: number }
  | { kind: 'drop'; afterChunks: number }
  | { kind: 'malformed'; afterChunks: number };

export interface RecordedRequest {
  method: string;
  /** The request target as sent, e.g. `/v1/chat/completions` (query string included if any). */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body, or null when there is no body or it is not JSON. */
  body: any;
  /** Set when the client closed the connection before the response was complete. */
  closedByClient?: boolean;
}

export interface SentPayload {
  kind: 'chunk' | 'completion' | 'models' | 'model' | 'error';
  payload: unknown;
}

export interface FakeOpenAI {
  /** Base URL including /v1, e.g. http://127.0.0.1:43121/v1 */
  url: string;
  port: number;
  models: string[];
  /** Every request, in arrival order (recorded once its body has been read). */
  requests: RecordedRequest[];
  /** Every JSON payload written, in order (stream chunks one by one). The malformed line is not recorded. */
  sent: SentPayload[];
  /** Behaviours consumed one per `POST /v1/chat/completions`, in order. */
  enqueue(...behaviours: FakeBehaviour[]): void;
  /** Behaviour used when the queue is empty (initially a plain `reply`). */
  setDefault(behaviour: FakeBehaviour): void;
  /** Stops the server and destroys every connection, hung ones included. */
  close(): Promise<void>;
  /** Files and Batches behaviour; change its fields at any time. */
  batch: FakeBatchControl;
  /** Every Files/Batches object sent and every batch line read or written (validate with test/support/openapi.ts). */
  batchPayloads: BatchPayload[];
  /** Wall time spent inside the server's request handlers, in ms (for benchmarks: time outside = total − this). */
  serverMs(): number;
}

/** How the fake's Files and Batches endpoints behave (mutable: tests change it between steps). */
export interface FakeBatchControl {
  /** false: /v1/files and /v1/batches answer 404, like a server without the Batch API. */
  supported: boolean;
  /** GETs of a batch answered `in_progress` before it ends (0: it has ended at the first GET). */
  pollsToFinish: number;
  /** How a batch ends. expired/cancelled: only the first `completedBeforeEnd` requests ran. */
  outcome: 'completed' | 'expired' | 'cancelled' | 'failed';
  completedBeforeEnd: number;
  /** A request that fails inside the batch (its line goes to the error file), or null. */
  failRequest: (customId: string, index: number) => { status: number; message: string } | null;
  /** The reply content for a request; default: the same as a chat completion would get. */
  reply?: (body: any, customId: string) => string;
}

/** A Files/Batches payload the fake sent or received, with the schema of the API description it must match. */
export interface BatchPayload {
  schema: 'OpenAIFile' | 'Batch' | 'CreateBatchRequest' | 'BatchRequestInput' | 'BatchRequestOutput';
  payload: unknown;
}

export interface FakeOpenAIOptions {
  models?: string[];
  defaultReply?: string;
  tokenDelayMs?: number;
  /** Time before every reply starts, e.g. to benchmark a batch against a known latency. */
  latencyMs?: number;
  requireKey?: string;
  /** Port to listen on (127.0.0.1); default 0 = a random free port. */
  port?: number;
}

export const DEFAULT_MODELS = ['gpt-4o-mini', 'gpt-4o'];
export const DEFAULT_REPLY = 'Let us start with the requirements. Who are the users, and what scale should we design for?';
/** `created` of every model in /v1/models (a fixed, plausible timestamp). */
const MODEL_CREATED = 1721172741;
const SYSTEM_FINGERPRINT = 'fp_fake0openai';
const MALFORMED_LINE = 'data: {"id": broken\n\n';

/** Rough token estimate (≈ 4 characters per token), good enough for usage numbers. */
export function estimateTokens(text: string): number {
  return text.length === 0 ? 0 : Math.max(1, Math.ceil(text.length / 4));
}

/** Prompt tokens, counted roughly the way the real API does: content + ~4 per message + 3 to prime the reply. */
export function estimatePromptTokens(body: any): number {
  const messages: unknown[] = Array.isArray(body?.messages) ? body.messages : [];
  let total = 3;
  for (const message of messages) {
    total += 4;
    const content = (message as { content?: unknown })?.content;
    if (typeof content === 'string') total += estimateTokens(content);
    else if (Array.isArray(content)) {
      for (const part of content) if (typeof part?.text === 'string') total += estimateTokens(part.text);
    }
  }
  return total;
}

/** Split reply text the way the fake streams it: one word with its leading whitespace per piece, or fixed-size pieces. */
export function splitReply(text: string, chunkSize?: number): string[] {
  if (text === '') return [];
  if (chunkSize !== undefined && chunkSize > 0) {
    const chars = Array.from(text); // never split a surrogate pair
    const pieces: string[] = [];
    for (let i = 0; i < chars.length; i += chunkSize) pieces.push(chars.slice(i, i + chunkSize).join(''));
    return pieces;
  }
  return text.match(/\s*\S+|\s+$/g) ?? [text];
}

// ---------------------------------------------------------------------------------------------
// JSON Schema → minimal valid instance (for `response_format: json_schema` echo replies)
// ---------------------------------------------------------------------------------------------

type JsonSchema = boolean | { [key: string]: any };

/**
 * A minimal JSON value satisfying `schema`: objects with their required properties, strings `""`
 * (or the first enum value / const, padded to minLength, a sample for common formats), numbers at
 * their minimum or 0, booleans false, arrays with `minItems` elements, the first branch of
 * anyOf/oneOf, null for nullable type unions, `$ref` into `$defs`/`definitions`.
 */
export function exampleFromSchema(schema: JsonSchema, root: JsonSchema = schema, depth = 0): unknown {
  if (depth > 64) throw new Error('exampleFromSchema: schema recursion too deep');
  if (schema === true || schema === false || schema === undefined || schema === null) return null;
  const s = schema as Record<string, any>;
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
  if (typeof s.$ref === 'string') {
    const { $ref, ...rest } = s;
    const target = resolveLocalRef(root, $ref);
    const fromRef = exampleFromSchema(target, root, depth + 1);
    const siblings = Object.keys(rest).filter((k) => !ANNOTATIONS.has(k));
    if (siblings.length === 0) return fromRef;
    return mergeExamples(fromRef, exampleFromSchema(rest, root, depth + 1));
  }
  if (Array.isArray(s.allOf) && s.allOf.length > 0) {
    const { allOf, ...rest } = s;
    let value: unknown = Object.keys(rest).some((k) => !ANNOTATIONS.has(k))
      ? exampleFromSchema(rest, root, depth + 1)
      : undefined;
    for (const branch of allOf as JsonSchema[]) value = mergeExamples(value, exampleFromSchema(branch, root, depth + 1));
    return value ?? null;
  }
  const union = (s.anyOf ?? s.oneOf) as JsonSchema[] | undefined;
  if (Array.isArray(union) && union.length > 0) return exampleFromSchema(union[0]!, root, depth + 1);

  let type: string | undefined = s.type;
  if (Array.isArray(s.type)) type = s.type.includes('null') ? 'null' : s.type[0];
  if (type === undefined) {
    if (s.properties || s.required || s.additionalProperties !== undefined) type = 'object';
    else if (s.items || s.prefixItems) type = 'array';
    else return null;
  }
  switch (type) {
    case 'null':
      return null;
    case 'boolean':
      return false;
    case 'string':
      return exampleString(s);
    case 'number':
    case 'integer':
      return exampleNumber(s, type === 'integer');
    case 'array': {
      const min: number = s.minItems ?? 0;
      const prefix: JsonSchema[] = Array.isArray(s.prefixItems) ? s.prefixItems : [];
      const out: unknown[] = [];
      for (let i = 0; i < Math.max(min, prefix.length); i++) {
        const itemSchema = i < prefix.length ? prefix[i]! : (s.items ?? true);
        out.push(exampleFromSchema(itemSchema, root, depth + 1));
      }
      return out;
    }
    case 'object': {
      const out: Record<string, unknown> = {};
      const properties: Record<string, JsonSchema> = s.properties ?? {};
      for (const key of (s.required as string[] | undefined) ?? []) {
        out[key] = exampleFromSchema(properties[key] ?? true, root, depth + 1);
      }
      return out;
    }
    default:
      return null;
  }
}

const ANNOTATIONS = new Set(['description', 'title', 'default', 'examples', 'example', '$schema', '$id', '$comment', 'deprecated', 'readOnly', 'writeOnly', '$defs', 'definitions']);

function resolveLocalRef(root: JsonSchema, ref: string): JsonSchema {
  if (!ref.startsWith('#')) throw new Error(`exampleFromSchema: only local $ref is supported, got ${ref}`);
  const pointer = ref.slice(1);
  if (pointer === '') return root;
  let node: any = root;
  for (const raw of pointer.replace(/^\//, '').split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    node = node?.[key];
    if (node === undefined) throw new Error(`exampleFromSchema: unresolved $ref ${ref}`);
  }
  return node;
}

function mergeExamples(a: unknown, b: unknown): unknown {
  if (a === undefined) return b;
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    return { ...(a as object), ...(b as object) };
  }
  return b ?? a;
}

function exampleString(s: Record<string, any>): string {
  const byFormat: Record<string, string> = {
    email: 'user@example.com',
    uri: 'https://example.com/',
    url: 'https://example.com/',
    uuid: '00000000-0000-4000-8000-000000000000',
    'date-time': '2024-01-01T00:00:00Z',
    date: '2024-01-01',
    time: '00:00:00Z',
    ipv4: '127.0.0.1',
    ipv6: '::1',
    hostname: 'example.com',
  };
  let value = (typeof s.format === 'string' && byFormat[s.format]) || '';
  const minLength: number = s.minLength ?? 0;
  if (value.length < minLength) value += 'x'.repeat(minLength - value.length);
  return value;
}

function exampleNumber(s: Record<string, any>, integer: boolean): number {
  let value = 0;
  if (typeof s.minimum === 'number') value = s.minimum;
  else if (typeof s.exclusiveMinimum === 'number') value = integer ? Math.floor(s.exclusiveMinimum) + 1 : s.exclusiveMinimum + 1;
  else if (typeof s.maximum === 'number' && s.maximum < 0) value = s.maximum;
  else if (typeof s.exclusiveMaximum === 'number' && s.exclusiveMaximum <= 0) value = integer ? Math.ceil(s.exclusiveMaximum) - 1 : s.exclusiveMaximum - 1;
  if (integer) value = Math.ceil(value);
  if (typeof s.multipleOf === 'number' && s.multipleOf > 0 && value % s.multipleOf !== 0) {
    value = Math.ceil(value / s.multipleOf) * s.multipleOf;
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Server
// ---------------------------------------------------------------------------------------------

interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

function errorBody(message: string, type: string, code: string | null = null, param: string | null = null): OpenAIErrorBody {
  return { error: { message, type, param, code } };
}

/** The body the real API sends for a given status (message overridable). */
function errorForStatus(status: number, message: string | undefined, model: string): OpenAIErrorBody {
  switch (status) {
    case 400:
      return errorBody(message ?? 'Invalid request.', 'invalid_request_error');
    case 401:
      return errorBody(
        message ?? 'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.',
        'invalid_request_error',
        'invalid_api_key',
      );
    case 403:
      return errorBody(message ?? 'You are not allowed to sample from this model', 'invalid_request_error');
    case 404:
      return errorBody(message ?? `The model \`${model}\` does not exist or you do not have access to it.`, 'invalid_request_error', 'model_not_found');
    case 429:
      return errorBody(
        message ?? 'Rate limit reached for requests. Please try again in 1s.',
        'requests',
        'rate_limit_exceeded',
      );
    case 500:
      return errorBody(message ?? 'The server had an error while processing your request. Sorry about that!', 'server_error');
    case 502:
      return errorBody(message ?? 'Bad gateway.', 'server_error');
    case 503:
      return errorBody(message ?? 'The engine is currently overloaded, please try again later.', 'server_error');
    default:
      return errorBody(message ?? `Request failed with status ${status}.`, status >= 500 ? 'server_error' : 'invalid_request_error');
  }
}

function randomId(prefix: string, length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(length);
  let out = prefix;
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}

export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const models = [...(options.models ?? DEFAULT_MODELS)];
  const serverDelay = options.tokenDelayMs ?? 0;
  const requests: RecordedRequest[] = [];
  const sent: SentPayload[] = [];
  const queue: FakeBehaviour[] = [];
  let fallback: FakeBehaviour = { kind: 'reply' };
  const sockets = new Set<Socket>();
  const timers = new Map<NodeJS.Timeout, () => void>();
  let closing = false;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (ms <= 0 || closing) return resolve();
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.set(timer, resolve);
    });

  const modelObject = (id: string) => ({ id, object: 'model', created: MODEL_CREATED, owned_by: 'openai' });

  function sendJson(res: http.ServerResponse, status: number, kind: SentPayload['kind'], payload: unknown, headers: Record<string, string> = {}) {
    sent.push({ kind, payload });
    const text = JSON.stringify(payload);
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
      'x-request-id': randomId('req_', 32),
      'openai-version': '2020-10-01',
      'openai-processing-ms': '1',
      ...headers,
    });
    res.end(text);
  }

  function sendError(res: http.ServerResponse, status: number, body: OpenAIErrorBody, headers: Record<string, string> = {}) {
    sendJson(res, status, 'error', body, headers);
  }

  function authorised(req: http.IncomingMessage, res: http.ServerResponse): boolean {
    if (options.requireKey === undefined) return true;
    const auth = req.headers.authorization;
    if (auth === `Bearer ${options.requireKey}`) return true;
    const message = auth
      ? 'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.'
      : "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (i.e. username:YOUR_KEY) when using HTTP Basic auth.";
    sendError(res, 401, errorBody(message, 'invalid_request_error', 'invalid_api_key'));
    return false;
  }

  function replyText(behaviour: Extract<FakeBehaviour, { kind: 'reply' }> | undefined, record: RecordedRequest): string {
    const scripted = behaviour?.text;
    if (typeof scripted === 'function') return scripted(record);
    if (typeof scripted === 'string') return scripted;
    const format = record.body?.response_format;
    if (format?.type === 'json_schema' && format.json_schema?.schema) {
      return JSON.stringify(exampleFromSchema(format.json_schema.schema));
    }
    if (format?.type === 'json_object') return '{}';
    return options.defaultReply ?? DEFAULT_REPLY;
  }

  async function chatCompletions(req: http.IncomingMessage, res: http.ServerResponse, record: RecordedRequest) {
    res.on('close', () => {
      if (!res.writableFinished && !closing) record.closedByClient = true;
    });
    const body = record.body;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      return sendError(
        res,
        400,
        errorBody(
          "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble figuring out how to fix this, please contact us through our help center at help.openai.com.)",
          'invalid_request_error',
        ),
      );
    }
    if (typeof body.model !== 'string') {
      return sendError(res, 400, errorBody('you must provide a model parameter', 'invalid_request_error'));
    }
    if (!Array.isArray(body.messages)) {
      return sendError(res, 400, errorBody("Missing required parameter: 'messages'.", 'invalid_request_error', 'missing_required_parameter', 'messages'));
    }
    // Like Ollama, a listed "name:latest" also answers to plain "name".
    if (!models.includes(body.model) && !models.includes(`${body.model}:latest`)) {
      return sendError(
        res,
        404,
        errorBody(`The model \`${body.model}\` does not exist or you do not have access to it.`, 'invalid_request_error', 'model_not_found'),
      );
    }

    const behaviour = queue.length > 0 ? queue.shift()! : fallback;
    if (behaviour.kind === 'status') {
      const headers: Record<string, string> = {};
      if (behaviour.retryAfter !== undefined) headers['retry-after'] = behaviour.retryAfter;
      if (behaviour.retryAfterMs !== undefined) headers['retry-after-ms'] = behaviour.retryAfterMs;
      return sendError(res, behaviour.status, errorForStatus(behaviour.status, behaviour.message, body.model), headers);
    }
    if (behaviour.kind === 'hang') return; // never answer; close() destroys the socket

    const replyBehaviour = behaviour.kind === 'reply' ? behaviour : undefined;
    const latency = replyBehaviour?.latencyMs ?? options.latencyMs ?? 0;
    if (latency > 0) await sleep(latency);
    if (res.destroyed || closing) return;
    const text = replyText(replyBehaviour, record);
    const pieces = splitReply(text, replyBehaviour?.chunkSize);
    const delay = replyBehaviour?.tokenDelayMs ?? serverDelay;
    const finishReason = replyBehaviour?.finishReason ?? 'stop';
    const id = randomId('chatcmpl-', 29);
    const created = Math.floor(Date.now() / 1000);
    const promptTokens = estimatePromptTokens(body);
    const completionTokens = estimateTokens(text);
    const usage = {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    };
    const headers = {
      'x-request-id': randomId('req_', 32),
      'openai-version': '2020-10-01',
      'openai-processing-ms': '1',
    };

    if (body.stream !== true) {
      if (behaviour.kind !== 'reply') return brokenNonStreaming(res, behaviour, headers);
      if (delay > 0) await sleep(delay * pieces.length);
      if (res.destroyed || closing) return;
      return sendJson(res, 200, 'completion', {
        id,
        object: 'chat.completion',
        created,
        model: body.model,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: text, refusal: null, annotations: [] },
            logprobs: null,
            finish_reason: finishReason,
          },
        ],
        usage,
        service_tier: 'default',
        system_fingerprint: SYSTEM_FINGERPRINT,
      });
    }

    const includeUsage = body.stream_options?.include_usage === true;
    const chunk = (delta: Record<string, unknown>, finish: string | null) => ({
      id,
      object: 'chat.completion.chunk',
      created,
      model: body.model,
      service_tier: 'default',
      system_fingerprint: SYSTEM_FINGERPRINT,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      ...(includeUsage ? { usage: null } : {}),
    });

    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      ...headers,
    });
    res.flushHeaders();

    const write = (payload: unknown) =>
      new Promise<void>((resolve) => {
        if (res.destroyed || closing) return resolve();
        sent.push({ kind: 'chunk', payload });
        res.write(`data: ${JSON.stringify(payload)}\n\n`, () => resolve());
      });

    await write(chunk({ role: 'assistant', content: '', refusal: null }, null));

    const contentCount = behaviour.kind === 'reply' ? pieces.length : behaviour.afterChunks;
    const faultPieces = pieces.length > 0 ? pieces : splitReply(DEFAULT_REPLY);
    for (let i = 0; i < contentCount; i++) {
      if (i > 0) await sleep(delay);
      if (res.destroyed || closing) return;
      const piece = behaviour.kind === 'reply' ? pieces[i]! : faultPieces[i % faultPieces.length]!;
      await write(chunk({ content: piece }, null));
    }
    if (res.destroyed || closing) return;

    switch (behaviour.kind) {
      case 'hang-mid-stream':
        return; // headers and chunks sent; silence until close()
      case 'drop':
        res.socket?.destroy();
        return;
      case 'malformed':
        res.end(MALFORMED_LINE);
        return;
      case 'reply':
        break;
    }

    await write(chunk({}, finishReason));
    if (behaviour.dropAfterFinish) {
      res.socket?.destroy(); // the reply is complete; the usage chunk and [DONE] never come
      return;
    }
    if (includeUsage) {
      const { usage: _null, ...base } = chunk({}, null);
      await write({ ...base, choices: [], usage });
    }
    if (!res.destroyed) res.end('data: [DONE]\n\n');
  }

  /** Faults on a non-streaming request: headers and half a JSON body, then silence / a reset / garbage. */
  function brokenNonStreaming(res: http.ServerResponse, behaviour: FakeBehaviour, headers: Record<string, string>) {
    if (behaviour.kind === 'malformed') {
      const text = '{"id": broken';
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
      res.end(text);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', ...headers });
    res.write('{"id": "chatcmpl-partial", "object": "chat.completion", ', () => {
      if (behaviour.kind === 'drop') res.socket?.destroy();
    });
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const part of req) chunks.push(part as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: any = null;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw);
      } catch {
        body = null;
      }
    }
    const record: RecordedRequest = { method: req.method ?? 'GET', path: req.url ?? '/', headers: { ...req.headers }, body };
    requests.push(record);

    const pathname = new URL(record.path, 'http://localhost').pathname.replace(/\/+$/, '');
    const invalidUrl = () =>
      sendError(res, 404, errorBody(`Invalid URL (${record.method} ${pathname})`, 'invalid_request_error'));

    if (!pathname.startsWith('/v1/') && pathname !== '/v1') return invalidUrl();
    if (!authorised(req, res)) return;

    if (record.method === 'GET' && pathname === '/v1/models') {
      return sendJson(res, 200, 'models', { object: 'list', data: models.map(modelObject) });
    }
    if (record.method === 'GET' && pathname.startsWith('/v1/models/')) {
      const id = decodeURIComponent(pathname.slice('/v1/models/'.length));
      if (models.includes(id)) return sendJson(res, 200, 'model', modelObject(id));
      return sendError(
        res,
        404,
        errorBody(`The model '${id}' does not exist`, 'invalid_request_error', 'model_not_found', 'model'),
      );
    }
    if (record.method === 'POST' && pathname === '/v1/chat/completions') return chatCompletions(req, res, record);
    if (pathname === '/v1/files' || pathname.startsWith('/v1/files/') || pathname === '/v1/batches' || pathname.startsWith('/v1/batches/')) {
      if (!batch.supported) return invalidUrl();
      return batchApi(req, res, record, pathname, raw.length > 0 ? Buffer.concat(chunks) : Buffer.alloc(0));
    }
    return invalidUrl();
  }

  // -------------------------------------------------------------------------------------------
  // Files and Batches (the Batch API): uploads kept in memory, a batch runs at its last poll.
  // -------------------------------------------------------------------------------------------
  const batch: FakeBatchControl = {
    supported: true,
    pollsToFinish: 1,
    outcome: 'completed',
    completedBeforeEnd: 0,
    failRequest: () => null,
  };
  const batchPayloads: BatchPayload[] = [];
  const files = new Map<string, { object: Record<string, unknown>; content: string }>();
  const batches = new Map<string, { object: Record<string, any>; polls: number }>();
  const now = () => Math.floor(Date.now() / 1000);

  function storeFile(filename: string, purpose: string, content: string) {
    const object = { id: randomId('file-', 24), object: 'file', bytes: Buffer.byteLength(content), created_at: now(), filename, purpose, status: 'processed', expires_at: null as number | null, status_details: null };
    if (purpose === 'batch') object.expires_at = now() + 30 * 86_400;
    else delete (object as Partial<typeof object>).expires_at;
    files.set(object.id, { object, content });
    return object;
  }

  function sendBatchObject(res: http.ServerResponse, kind: 'OpenAIFile' | 'Batch', object: Record<string, unknown>) {
    // The description types these fields without null: a field with no value is left out.
    const payload = Object.fromEntries(Object.entries(object).filter(([, value]) => value !== null));
    batchPayloads.push({ schema: kind, payload });
    const text = JSON.stringify(payload);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'x-request-id': randomId('req_', 32) });
    res.end(text);
  }

  /** Runs every request of a batch as its ending says; writes the output and error files. */
  function finishBatch(entry: { object: Record<string, any> }) {
    const object = entry.object;
    const input = files.get(object.input_file_id)!.content.split('\n').filter((l) => l.trim());
    object.in_progress_at ??= now();
    if (batch.outcome === 'failed') {
      Object.assign(object, { status: 'failed', failed_at: now(), errors: { object: 'list', data: [{ code: 'invalid_request', message: 'The input file is not valid for this batch.', param: null, line: 1 }] } });
      return;
    }
    const runs = batch.outcome === 'completed' ? input.length : Math.min(batch.completedBeforeEnd, input.length);
    const output: string[] = [];
    const errors: string[] = [];
    let failed = 0;
    input.forEach((raw, index) => {
      const line = JSON.parse(raw);
      batchPayloads.push({ schema: 'BatchRequestInput', payload: line });
      const requestId = randomId('req_', 32);
      let out: Record<string, unknown>;
      if (index >= runs) {
        out = { id: randomId('batch_req_', 24), custom_id: line.custom_id, response: null, error: { code: 'batch_expired', message: 'This request could not be executed before the completion window expired.' } };
        errors.push(JSON.stringify(out));
        failed++;
      } else {
        const failure = batch.failRequest(line.custom_id, index);
        if (failure) {
          out = { id: randomId('batch_req_', 24), custom_id: line.custom_id, response: { status_code: failure.status, request_id: requestId, body: errorForStatus(failure.status, failure.message, line.body?.model ?? '') }, error: null };
          errors.push(JSON.stringify(out));
          failed++;
        } else {
          const record: RecordedRequest = { method: 'POST', path: line.url, headers: {}, body: line.body };
          const text = batch.reply ? batch.reply(line.body, line.custom_id) : replyText(undefined, record);
          const promptTokens = estimatePromptTokens(line.body);
          const completionTokens = estimateTokens(text);
          const body = {
            id: randomId('chatcmpl-', 29),
            object: 'chat.completion',
            created: now(),
            model: line.body.model,
            choices: [{ index: 0, message: { role: 'assistant', content: text, refusal: null, annotations: [] }, logprobs: null, finish_reason: 'stop' }],
            usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
            service_tier: 'default',
            system_fingerprint: SYSTEM_FINGERPRINT,
          };
          sent.push({ kind: 'completion', payload: body });
          out = { id: randomId('batch_req_', 24), custom_id: line.custom_id, response: { status_code: 200, request_id: requestId, body }, error: null };
          output.push(JSON.stringify(out));
        }
      }
      batchPayloads.push({ schema: 'BatchRequestOutput', payload: out });
    });
    if (output.length) object.output_file_id = storeFile(`batch_${object.id}_output.jsonl`, 'batch_output', output.join('\n') + '\n').id;
    if (errors.length) object.error_file_id = storeFile(`batch_${object.id}_error.jsonl`, 'batch_output', errors.join('\n') + '\n').id;
    object.request_counts = { total: input.length, completed: input.length - failed, failed };
    object.finalizing_at = now();
    if (batch.outcome === 'completed') Object.assign(object, { status: 'completed', completed_at: now() });
    else if (batch.outcome === 'expired') Object.assign(object, { status: 'expired', expired_at: now() });
    else Object.assign(object, { status: 'cancelled', cancelling_at: now(), cancelled_at: now() });
  }

  async function batchApi(req: http.IncomingMessage, res: http.ServerResponse, record: RecordedRequest, pathname: string, raw: Buffer) {
    const notFound = (what: string) => sendError(res, 404, errorBody(`No such ${what}: '${pathname.split('/')[3]}'`, 'invalid_request_error', null, 'id'));
    if (record.method === 'POST' && pathname === '/v1/files') {
      const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': String(req.headers['content-type'] ?? '') } }).formData();
      const upload = form.get('file');
      const purpose = form.get('purpose');
      if (!(upload instanceof Blob) || typeof purpose !== 'string') return sendError(res, 400, errorBody("Missing required parameter: 'file'.", 'invalid_request_error', null, 'file'));
      const name = (upload as File).name ?? 'upload.jsonl';
      return sendBatchObject(res, 'OpenAIFile', storeFile(name, purpose, await upload.text()));
    }
    const content = /^\/v1\/files\/([^/]+)\/content$/.exec(pathname);
    if (record.method === 'GET' && content) {
      const file = files.get(decodeURIComponent(content[1]!));
      if (!file) return notFound('file');
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': Buffer.byteLength(file.content) });
      return res.end(file.content);
    }
    if (record.method === 'POST' && pathname === '/v1/batches') {
      batchPayloads.push({ schema: 'CreateBatchRequest', payload: record.body });
      const input = files.get(record.body?.input_file_id);
      if (!input) return sendError(res, 400, errorBody(`Invalid 'input_file_id': '${record.body?.input_file_id}'.`, 'invalid_request_error', null, 'input_file_id'));
      const created = now();
      const object: Record<string, any> = {
        id: randomId('batch_', 24),
        object: 'batch',
        endpoint: record.body.endpoint,
        model: JSON.parse(input.content.split('\n')[0] || '{}')?.body?.model,
        errors: null,
        input_file_id: input.object.id,
        completion_window: record.body.completion_window,
        status: 'validating',
        output_file_id: null,
        error_file_id: null,
        created_at: created,
        in_progress_at: null,
        expires_at: created + 86_400,
        finalizing_at: null,
        completed_at: null,
        failed_at: null,
        expired_at: null,
        cancelling_at: null,
        cancelled_at: null,
        request_counts: { total: 0, completed: 0, failed: 0 },
        metadata: record.body.metadata ?? null,
      };
      const entry = { object, polls: 0 };
      batches.set(object.id, entry);
      if (batch.pollsToFinish <= 0) finishBatch(entry);
      return sendBatchObject(res, 'Batch', object);
    }
    const one = /^\/v1\/batches\/([^/]+)$/.exec(pathname);
    if (record.method === 'GET' && one) {
      const entry = batches.get(decodeURIComponent(one[1]!));
      if (!entry) return notFound('batch');
      const ended = ['completed', 'failed', 'expired', 'cancelled'].includes(entry.object.status);
      if (!ended) {
        entry.polls++;
        if (entry.polls > batch.pollsToFinish) finishBatch(entry);
        else {
          const total = files.get(entry.object.input_file_id)!.content.split('\n').filter((l) => l.trim()).length;
          Object.assign(entry.object, { status: 'in_progress', in_progress_at: entry.object.in_progress_at ?? now(), request_counts: { total, completed: Math.min(total, entry.polls - 1), failed: 0 } });
        }
      }
      return sendBatchObject(res, 'Batch', entry.object);
    }
    return sendError(res, 404, errorBody(`Invalid URL (${record.method} ${pathname})`, 'invalid_request_error'));
  }

  let serverTime = 0;
  const server = http.createServer((req, res) => {
    const started = performance.now();
    res.on('close', () => (serverTime += performance.now() - started));
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      sendError(res, 500, errorBody(`fake-openai internal error: ${String(error)}`, 'server_error'));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  let closed: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    port,
    models,
    requests,
    sent,
    enqueue: (...behaviours) => {
      queue.push(...behaviours);
    },
    setDefault: (behaviour) => {
      fallback = behaviour;
    },
    batch,
    batchPayloads,
    serverMs: () => serverTime,
    close: () => {
      closed ??= new Promise<void>((resolve) => {
        closing = true;
        for (const [timer, wake] of timers) {
          clearTimeout(timer);
          wake(); // pending streams see `closing` and stop
        }
        timers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      });
      return closed;
    },
  };
}
