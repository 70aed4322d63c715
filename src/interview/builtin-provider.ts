// The builtin provider: a rule-based interviewer that works offline and is deterministic for
// a seed. It streams through the same interface as a model so the UI has one path. With a
// setup (problem, mode, minutes, level) the interviewer engine decides each move from the
// conversation and the session clock; without one, a few generic probes keep older callers working.
import type { EngineTurn, InterviewSetup, Move } from './engine/types.js';
import { nextMove } from './engine/next-move.js';
import { AbortedError, type ChatMessage, type Provider, type StreamEvent, type StreamRequest } from '../llm/provider.js';
import { BUILTIN_MODEL } from '../llm/config.js';
import { seededRandom } from './engine/random.js';
import { sleep as realSleep, type Sleep } from '../llm/sleep.js';
import { estimateMessageTokens, estimateTokens } from '../llm/tokens.js';

export interface BuiltinProviderOptions {
  seed?: number;
  /** Pause between streamed chunks, so it reads like a model; 0 in tests. */
  chunkDelayMs?: number;
  sleep?: Sleep;
  /** The interview to run; the provider's seed completes it. Without it, generic probes. */
  setup?: Omit<InterviewSetup, 'seed'>;
}

const GENERIC_PROBES = [
  'What are the functional requirements you are designing for, and what is explicitly out of scope?',
  'Give me a back-of-the-envelope estimate: peak requests per second, and storage growth per year.',
  'Walk me through the high-level components and how one request flows through them.',
  'What does your data model look like, and how would you partition it?',
  'What breaks first at 10x the traffic?',
  'A node dies in the middle of a request. What happens to that request, and what does the user see?',
  'How would you know this system is unhealthy at 3 a.m.? What do you measure and alert on?',
  'Where is the consistency-versus-availability tradeoff in your design, and which side did you pick?',
  'How do you protect this system from abuse, and who is allowed to see which data?',
  'Which part would you build first, and what would you leave out of version one?',
];

const CLOSING = 'We are close to time. Summarise your design in a few sentences and name the first thing you would change.';
const CLARIFY_ANSWER =
  "Good question. I don't have a number for that here: make a reasonable assumption, state it, and carry on.";
const VAGUE_FOLLOW_UP = 'Can you be more specific? How exactly would that work?';

function firstLine(text: string): string {
  return text.split('\n').find((line) => line.trim())?.trim() ?? '';
}

/** Deterministic order of the probes for a seed (Fisher–Yates with the seeded PRNG). */
function probeOrder(seed: number): string[] {
  const random = seededRandom(seed);
  const order = [...GENERIC_PROBES];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/** The interviewer's next line for this conversation; pure, so tests can check it directly. */
export function builtinReply(messages: readonly ChatMessage[], seed: number): string {
  const candidateTurns = messages.filter((m) => m.role === 'user');
  const asked = new Set(messages.filter((m) => m.role === 'assistant').map((m) => m.content.trim()));
  if (candidateTurns.length === 0) {
    const problem = firstLine(messages.find((m) => m.role === 'system')?.content ?? '');
    const opening = problem ? `Let's begin. ${problem}` : "Let's begin. Design a system of your choice.";
    return `${opening}\n\nStart wherever you like; most strong candidates clarify requirements first. Ask me anything you need to know.`;
  }
  const last = candidateTurns[candidateTurns.length - 1]!.content.trim();
  const unused = (text: string) => !asked.has(text);
  if (last.endsWith('?') && unused(CLARIFY_ANSWER)) return CLARIFY_ANSWER;
  if (last.split(/\s+/).filter(Boolean).length < 12 && unused(VAGUE_FOLLOW_UP)) return VAGUE_FOLLOW_UP;
  return probeOrder(seed).find(unused) ?? CLOSING;
}

/** Split text into chunks of one to three words, keeping every character. */
export function chunkText(text: string, random: () => number): string[] {
  const words = text.match(/\s*\S+/g) ?? [text];
  const chunks: string[] = [];
  for (let i = 0; i < words.length; ) {
    const take = 1 + Math.floor(random() * 3);
    chunks.push(words.slice(i, i + take).join(''));
    i += take;
  }
  const trailing = text.match(/\s+$/)?.[0];
  if (trailing) chunks.push(trailing);
  return chunks;
}

/**
 * The engine's view of a conversation: user → candidate, assistant → interviewer, system left
 * out; each turn's time from `clock.elapsedMs` (by position among non-system messages, 0 when
 * absent); now is `clock.nowMs`, else the last turn's time.
 */
export function engineTurnsFromRequest(request: Pick<StreamRequest, 'messages' | 'clock'>): { turns: EngineTurn[]; nowMs: number } {
  const turns: EngineTurn[] = [];
  let i = 0;
  for (const message of request.messages) {
    if (message.role === 'system') continue;
    const elapsedMs = request.clock?.elapsedMs[i] ?? 0;
    i++;
    turns.push({ role: message.role === 'user' ? 'candidate' : 'interviewer', text: message.content, elapsedMs });
  }
  const nowMs = request.clock?.nowMs ?? turns[turns.length - 1]?.elapsedMs ?? 0;
  return { turns, nowMs };
}

export function createBuiltinProvider(options: BuiltinProviderOptions = {}): Provider {
  const seed = options.seed ?? 1;
  const chunkDelayMs = options.chunkDelayMs ?? 0;
  const wait = options.sleep ?? realSleep;
  const setup: InterviewSetup | null = options.setup ? { ...options.setup, seed } : null;
  return {
    id: 'builtin',
    model: BUILTIN_MODEL,
    label: 'builtin (rule-based interviewer, offline — not a language model)',
    async *stream(request: StreamRequest): AsyncGenerator<StreamEvent> {
      const { signal } = request;
      let reply: string;
      if (setup) {
        const { turns, nowMs } = engineTurnsFromRequest(request);
        const move: Move = nextMove(setup, turns, nowMs);
        reply = move.text;
        yield {
          type: 'move',
          move: { kind: move.kind, phase: move.phase, topic: move.topic, ...(move.pushback ? { pushback: move.pushback } : {}) },
        };
      } else {
        reply = builtinReply(request.messages, seed);
      }
      const random = seededRandom(seed * 7919 + request.messages.length);
      let sent = '';
      for (const chunk of chunkText(reply, random)) {
        if (signal?.aborted) throw new AbortedError(sent);
        if (chunkDelayMs > 0) {
          try {
            await wait(chunkDelayMs, signal);
          } catch {
            throw new AbortedError(sent);
          }
        }
        sent += chunk;
        yield { type: 'delta', text: chunk };
      }
      yield {
        type: 'usage',
        usage: {
          inputTokens: estimateMessageTokens(request.messages),
          outputTokens: estimateTokens(reply),
          estimated: true,
        },
        finishReason: 'stop',
      };
    },
  };
}
