// Keeps a long model session affordable: the system prompt (persona + problem) and the latest
// turns go verbatim; older turns are folded into a running summary that fits its own budget.
// The summary is extractive (each older turn's first sentence and the sentences carrying
// numbers), not written by the model: it costs no extra request, cannot invent anything, and
// is the same every time for the same turns.
import type { ChatMessage } from './provider.js';

export interface ContextTurn {
  role: 'candidate' | 'interviewer';
  text: string;
}

export type CountTokens = (text: string) => number;

export interface ContextOptions {
  system: string;
  turns: readonly ContextTurn[];
  countTokens: CountTokens;
  /** Input tokens a request may use in all (system + summary + verbatim turns). */
  budgetTokens: number;
  /** Part of the budget kept for the summary of older turns. */
  summaryTokens?: number;
  /** Always keep at least this many latest turns verbatim, even over budget. */
  minRecentTurns?: number;
}

export interface ModelContext {
  messages: ChatMessage[];
  /** Older turns folded into the summary. */
  foldedTurns: number;
  summary: string | null;
  inputTokens: number;
}

/** Per-message overhead of the chat format (role markers), as OpenAI's cookbook counts it. */
const MESSAGE_OVERHEAD = 4;
const SUMMARY_SENTENCE_WORDS = 40;

function sentencesOf(text: string): string[] {
  return text
    .replace(/\s+/g, ' ')
    .split(/(?<=[.!?])\s+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

function clipWords(sentence: string, words: number): string {
  const parts = sentence.split(' ');
  return parts.length <= words ? sentence : `${parts.slice(0, words).join(' ')}…`;
}

/** One summary line per older turn: its first sentence plus any sentence with a number in it. */
export function summariseTurn(turn: ContextTurn): string {
  const sentences = sentencesOf(turn.text);
  const kept = sentences.filter((s, i) => i === 0 || /\d/.test(s)).slice(0, 4);
  const who = turn.role === 'candidate' ? 'Candidate' : 'Interviewer';
  return `${who}: ${kept.map((s) => clipWords(s, SUMMARY_SENTENCE_WORDS)).join(' ')}`;
}

/** A turn as a chat message: the candidate is the user, the interviewer the assistant. */
export function toMessage(turn: ContextTurn): ChatMessage {
  return { role: turn.role === 'candidate' ? 'user' : 'assistant', content: turn.text };
}

export function buildModelContext(options: ContextOptions): ModelContext {
  const { system, turns, countTokens, budgetTokens } = options;
  const summaryBudget = options.summaryTokens ?? Math.floor(budgetTokens / 5);
  const minRecent = options.minRecentTurns ?? 2;
  const systemTokens = countTokens(system) + MESSAGE_OVERHEAD;

  // Newest first, as many verbatim turns as fit beside the system prompt and the summary.
  let used = systemTokens;
  let firstVerbatim = turns.length;
  for (let i = turns.length - 1; i >= 0; i--) {
    const cost = countTokens(turns[i]!.text) + MESSAGE_OVERHEAD;
    const keptSoFar = turns.length - firstVerbatim;
    const room = i === 0 ? budgetTokens : budgetTokens - summaryBudget;
    if (used + cost > room && keptSoFar >= minRecent) break;
    used += cost;
    firstVerbatim = i;
  }

  let summary: string | null = null;
  if (firstVerbatim > 0) {
    // Drop the oldest summary lines first when even the summary does not fit.
    const lines = turns.slice(0, firstVerbatim).map(summariseTurn);
    let dropped = 0;
    const render = () =>
      `Summary of the earlier part of this interview (${firstVerbatim} turns, condensed; quote nothing from it as the candidate's exact words):\n` +
      (dropped > 0 ? `(${dropped} earliest turns omitted)\n` : '') +
      lines.slice(dropped).join('\n');
    summary = render();
    while (dropped < lines.length - 1 && countTokens(summary) > summaryBudget) {
      dropped++;
      summary = render();
    }
    used += countTokens(summary) + MESSAGE_OVERHEAD;
  }

  // One system message: some chat templates (llama.cpp, Jinja) refuse a second one.
  const messages: ChatMessage[] = [{ role: 'system', content: summary ? `${system}\n\n${summary}` : system }];
  messages.push(...turns.slice(firstVerbatim).map(toMessage));
  return { messages, foldedTurns: firstVerbatim, summary, inputTokens: used };
}
