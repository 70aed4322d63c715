// One practice session, without any UI: it records every turn, talks to the provider, keeps
// time, handles pushbacks, fallback to the builtin interviewer, the monologue replay and the
// grade at the end. The ink App and the `--script` printer both drive it and render its
// state (session-state.ts), so the recording rules live in one place:
//   - a candidate turn is appended (and flushed) before anything is sent to the provider;
//   - an interviewer turn is appended when it completes, or as `partial` when cut short;
//   - a provider failure never loses the candidate's text (it is already on disk);
//   - Enter while the interviewer talks never loses the text either: a slash command runs at
//     once, an answer is queued and sent when the reply ends (Esc ends it early), and a queued
//     answer still waiting when the session ends or quits is recorded before the end.
import { AbortedError, ContextTooLongError, ProviderError, type ChatMessage, type Provider, type StreamEvent } from '../llm/provider.js';
import { buildModelContext, toMessage, type CountTokens } from '../llm/context-window.js';
import { estimateCostUsd, type PriceTable } from '../llm/pricing.js';
import { estimateMessageTokens } from '../llm/tokens.js';
import type { GradeReport } from '../schemas/report.js';
import type { EndEvent, Phase, TranscriptEventInput } from '../schemas/transcript.js';
import type { TranscriptWriter } from '../storage/transcript-store.js';
import { isChallenge } from '../reading/challenges.js';
import { currentPhase, labelAnswer, monologueWrapUpPrompt, nextMove, phaseGuide, replayChallenges } from './engine/index.js';
import type { EngineTurn, InterviewSetup } from './engine/types.js';
import type { SessionClock } from './session-clock.js';
import { initialView, sessionReducer, type SessionAction, type SessionView } from './session-state.js';
import { findSlashCommand, type SlashCommand, type SlashCommandContext } from './commands/index.js';

export type EndReason = EndEvent['reason'];

/** A turn as the session keeps it (and as a resumed recording gives it back). */
export interface SessionTurn extends EngineTurn {
  partial?: boolean;
  phase: Phase | null;
}

export interface RestoredSession {
  turns: SessionTurn[];
  /** Interviewer turn indices (among turns) that pushed back, and whether the answer was labelled. */
  pushbacks: { turn: number; topic: string; labelled: boolean }[];
  phase: Phase | null;
}

export interface PracticeSessionOptions {
  setup: InterviewSetup;
  provider: Provider;
  /** The builtin interviewer, built when the model stays down and the candidate accepts it. */
  makeFallback: () => Promise<Provider>;
  writer: TranscriptWriter;
  clock: SessionClock;
  /** Grades the finished session file (evidence grader, or the LLM judge). */
  grade: (file: string) => Promise<GradeReport>;
  /** The score card as text, for the screen and the script runner (the command injects grading's renderer). */
  renderReport: (report: GradeReport, options: { colour: boolean; width?: number }) => string;
  /** Model sessions: the persona prompt for the current elapsed time. */
  systemPrompt?: (elapsedMs: number) => string | Promise<string>;
  /** Model sessions: a tokenizer for the context budget and the header's token count. */
  countTokens?: CountTokens;
  /** Input tokens per model request (system + summary + latest turns). */
  contextBudgetTokens?: number;
  /** Prices for the running cost estimate: the built-in table with the `prices` setting on top. */
  prices?: PriceTable;
  restored?: RestoredSession;
  /** Switch to the builtin interviewer without asking when the model fails (`--script`). */
  autoFallback?: boolean;
  /** Offer the adversarial replay after a monologue's score card (default true; the script runner answers no). */
  offerReplay?: boolean;
  /**
   * Model sessions: the adversarial replay by the model (prompts/monologue-evaluator.md): its
   * system prompt, and the user message that carries the monologue as delimited data.
   */
  modelReplay?: { systemPrompt: () => Promise<string>; monologueMessage: (monologue: string) => string };
}

/** Called on every change; `urgent` is false for a streamed delta, which a screen may paint later. */
type Listener = (urgent: boolean) => void;

/**
 * Where a session is. In order: live (the interview or monologue runs) → ending (end() records
 * the end and grades) → ended; a monologue that offers the replay goes ending → offer (its end
 * and score card are stored, the clock stopped) → replay (the engine's challenges, or a model's)
 * → ended. `scored`: the end and a card were stored before it closed (nothing more to record).
 */
type Stage =
  | { name: 'live' }
  | { name: 'ending' }
  | { name: 'offer' }
  | { name: 'replay'; from: number; challenges: string[] | null; model: { start: number; opening: string } | null }
  | { name: 'ended'; scored: boolean };

const TIME_UP_PROMPT =
  "Time's up. Give me your wrap-up: summarise the design in a few sentences, the main tradeoff you made, and the first thing you would change with more time.";
const DEFAULT_CONTEXT_BUDGET = 6000;
/** Room left in the model's window for the interviewer's reply. */
const REPLY_RESERVE_TOKENS = 512;
/** After the wrap-up is asked for, the session ends on its own this much later. */
const WRAP_UP_GRACE_MS = 5 * 60_000;

function providerLabel(provider: Provider): string {
  return provider.id === 'builtin' ? 'builtin (rule-based, offline)' : `${provider.server ?? provider.id} · ${provider.model}`;
}

export class PracticeSession {
  readonly setup: InterviewSetup;
  readonly clock: SessionClock;
  readonly #writer: TranscriptWriter;
  readonly #options: PracticeSessionOptions;
  #provider: Provider;
  #view: SessionView;
  #listeners = new Set<Listener>();
  #turns: SessionTurn[] = [];
  /** Turn events written so far: a pushback event names its interviewer turn by this index. */
  #pendingPushback: { turn: number; topic: string } | null = null;
  #phase: Phase | null = null;
  #abort: AbortController | null = null;
  #reply: Promise<void> | null = null;
  #endReason: EndReason | null = null;
  /** Where the session is (see Stage); the one place that says it. */
  #stage: Stage = { name: 'live' };
  /** A submit or an answer is being handled (its turn written, its reply started): one at a time. */
  #busy = false;
  /** Answers sent while the interviewer was talking, oldest first: one turn once the reply ends. */
  #queued: string[] = [];
  #usage = { inputTokens: 0, outputTokens: 0 };
  #resolveDone!: () => void;
  /** Resolves once the session has ended (and been graded, when it was). */
  readonly done: Promise<void>;

  constructor(options: PracticeSessionOptions) {
    this.#options = options;
    this.setup = options.setup;
    this.clock = options.clock;
    this.#writer = options.writer;
    this.#provider = options.provider;
    this.done = new Promise((resolve) => (this.#resolveDone = resolve));
    const firstPhase: Phase = options.setup.mode === 'monologue' ? phaseGuide(options.setup, this.clock.elapsedMs()).phase : 'clarify';
    this.#view = initialView({ phase: options.restored?.phase ?? firstPhase, providerLabel: providerLabel(options.provider) });
    if (options.restored) {
      this.#turns = [...options.restored.turns];
      this.#phase = options.restored.phase;
      const open = options.restored.pushbacks.filter((p) => !p.labelled).at(-1);
      if (open && open.turn === this.#turns.length - 1) this.#pendingPushback = { turn: open.turn, topic: open.topic };
      this.#dispatch({ type: 'restore', turns: this.#turns.map((t) => ({ role: t.role, text: t.text, partial: t.partial })) });
    }
  }

  get #ended(): boolean {
    return this.#stage.name === 'ended';
  }

  get #ending(): boolean {
    return this.#stage.name === 'ending';
  }

  /** A monologue's end and score card are stored: the offer, the replay, or closed after them. */
  get #scored(): boolean {
    const stage = this.#stage;
    return stage.name === 'offer' || stage.name === 'replay' || (stage.name === 'ended' && stage.scored);
  }

  get #replay(): Extract<Stage, { name: 'replay' }> | null {
    return this.#stage.name === 'replay' ? this.#stage : null;
  }

  // -------------------------------------------------------------------------
  // State for renderers (useSyncExternalStore-shaped)

  getState = (): SessionView => this.#view;

  subscribe = (listener: Listener): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  #dispatch(action: SessionAction): void {
    this.#view = sessionReducer(this.#view, action);
    // A streamed delta may wait for the screen's next paint (ui/usePaintedView.ts throttles
    // them); everything else is shown at once.
    const urgent = action.type !== 'reply-delta';
    for (const listener of this.#listeners) listener(urgent);
  }

  notice(text: string, tone: 'info' | 'warn' | 'error' = 'info'): void {
    this.#dispatch({ type: 'notice', tone, text });
  }

  get file(): string {
    return this.#writer.file;
  }

  get turns(): readonly SessionTurn[] {
    return this.#turns;
  }

  get phase(): Phase {
    return this.#view.phase;
  }

  /** The score card for a report, as the command that started the session renders it. */
  /** What the status bar shows as the phase: in a monologue, the time-based guide's hint ("High level: 8 min left"); in an interview, the phase. */
  phaseLabel(phase: Phase): string {
    return this.setup.mode === 'monologue' ? phaseGuide(this.setup, this.clock.elapsedMs()).hint : phase;
  }

  renderReport(report: GradeReport, options: { colour: boolean; width?: number }): string {
    return this.#options.renderReport(report, options);
  }

  get ended(): boolean {
    return this.#ended;
  }

  // -------------------------------------------------------------------------
  // Flow

  /** Opens the interview, or, on resume, answers a candidate turn the crash left unanswered. */
  async start(): Promise<void> {
    if (this.setup.mode === 'monologue') {
      await this.#updateMonologuePhase();
      if (this.#turns.length === 0) {
        await this.#openMonologue();
        const guide = phaseGuide(this.setup, 0);
        this.notice(`Talk through your design a paragraph at a time (Enter sends each).\nNow: ${guide.hint}`);
      } else {
        // A monologue recorded before it opened with the statement: show the problem again.
        if (this.#turns[0]?.role !== 'interviewer') this.notice(this.#problemNotice());
        this.notice('Resumed. Carry on where you stopped.');
      }
      return;
    }
    const last = this.#turns.at(-1);
    // A reply cut short by the crash or a hang-up is owed again, like an unanswered turn.
    if (this.#turns.length === 0 || last?.role === 'candidate' || last?.partial) await this.#startReply();
    else this.notice('Resumed. Your turn.');
    await this.#sendQueued();
  }

  /**
   * The candidate pressed Enter: a slash command, or a turn. While the interviewer is talking (or
   * the last turn is still being saved) a slash command runs at once and a turn is queued: it is
   * sent when the reply ends.
   */
  async submit(raw: string): Promise<void> {
    const text = raw.replace(/\s+$/, '');
    if (!text.trim() || this.#ended) return;
    const command = slashCommandOf(text);
    if (this.#busy || this.#view.status === 'streaming') {
      if (command) await this.#runSlashCommand(command, text);
      else this.#queue(text);
      return;
    }
    this.#busy = true;
    try {
      if (command) await this.#runSlashCommand(command, text);
      else await this.#submit(text);
    } finally {
      this.#busy = false;
    }
    await this.#sendQueued();
  }

  /** Text to send once the reply in flight ends. */
  #queue(text: string): void {
    this.#queued.push(text);
    this.#dispatch({ type: 'queued', texts: [...this.#queued] });
  }

  #takeQueued(): string | null {
    if (this.#queued.length === 0) return null;
    const text = this.#queued.join('\n\n');
    this.#queued = [];
    this.#dispatch({ type: 'queued', texts: [] });
    return text;
  }

  /** The reply ended: what was queued meanwhile goes out as one turn. */
  async #sendQueued(): Promise<void> {
    if (this.#queued.length === 0 || this.#ended || this.#ending || this.#busy || this.#view.status !== 'ready') return;
    const text = this.#takeQueued();
    if (text !== null) await this.submit(text);
  }

  /** The session ends or quits with an answer still queued: it is recorded (unanswered), never dropped. */
  async #recordQueued(): Promise<void> {
    const text = this.#takeQueued();
    if (text === null) return;
    const elapsedMs = this.clock.elapsedMs();
    await this.#append({ type: 'turn', role: 'candidate', text, elapsedMs, phase: this.#phase });
    this.#turns.push({ role: 'candidate', text, elapsedMs, phase: this.#phase });
    this.#dispatch({ type: 'candidate', text });
    await this.#labelPendingPushback(text, elapsedMs);
  }

  async #submit(text: string): Promise<void> {
    if (this.#stage.name === 'offer') {
      this.notice('The monologue is over: answer y or n to the replay offer.', 'warn');
      return;
    }
    // After the score card the clock stays stopped: the replay is not part of the monologue's time.
    if (this.clock.paused && !this.#scored) this.#setPaused(false);
    const elapsedMs = this.clock.elapsedMs();
    const turn: SessionTurn = { role: 'candidate', text, elapsedMs, phase: this.#phase };
    // On disk before anything else happens: a crash from here on keeps it.
    await this.#append({ type: 'turn', role: 'candidate', text, elapsedMs, phase: this.#phase });
    this.#turns.push(turn);
    this.#dispatch({ type: 'candidate', text });
    await this.#labelPendingPushback(text, elapsedMs);

    if (this.#replay?.model) {
      await this.#startReply();
      // Two challenges, then the evaluator's closing verdict line: the replay is done. (A model
      // that failed hands the replay to the engine: then there is no model here any more.)
      const model = this.#replay?.model;
      if (model && this.#turns.slice(model.start).filter((t) => t.role === 'interviewer' && !t.partial).length >= 3) {
        await this.#finishReplay();
      }
      return;
    }
    if (this.#replay?.challenges) {
      await this.#nextReplayChallenge();
      return;
    }
    if (this.#view.wrapUp) {
      await this.end(this.#endReason ?? 'time-up');
      return;
    }
    if (this.setup.mode === 'monologue') {
      await this.#updateMonologuePhase();
      return;
    }
    await this.#startReply();
  }

  /** Esc: stop the reply in flight; what arrived is kept as a partial turn. */
  cancelReply(): void {
    this.#abort?.abort();
  }

  /** The answer to a y/n offer (fallback to builtin, monologue replay). */
  async answer(yes: boolean): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      await this.#answer(yes);
    } finally {
      this.#busy = false;
    }
    await this.#sendQueued();
  }

  async #answer(yes: boolean): Promise<void> {
    const status = this.#view.status;
    if (status === 'offer-fallback') {
      this.#dispatch({ type: 'status', status: 'ready' });
      if (yes) {
        await this.#switchToFallback();
        // The failed reply is owed: the candidate's turn, or the partial the failure left.
        const last = this.#turns.at(-1);
        if (last?.role === 'candidate' || last?.partial) await this.#startReply();
      } else this.notice('Staying with the model: your next message tries it again.');
    } else if (status === 'offer-replay') {
      if (yes) await this.#startReplay();
      else await this.#finishReplay();
    }
  }

  /** Ctrl+C: the first press asks, the second saves and quits. Returns true when quitting. */
  async interrupt(): Promise<boolean> {
    if (this.#view.status !== 'confirm-quit') {
      this.#dispatch({ type: 'status', status: 'confirm-quit' });
      return false;
    }
    await this.quit();
    return true;
  }

  /** Dismiss the Ctrl+C question; an answer queued under it goes out now if the reply is over. */
  async keepGoing(): Promise<void> {
    this.#dispatch({ type: 'dismiss-quit' });
    await this.#sendQueued();
  }

  /** Save and stop without grading; `--resume` continues it. */
  async quit(): Promise<void> {
    if (this.#ended) return;
    this.#abort?.abort();
    await this.#reply?.catch(() => {});
    if (this.#ended) return;
    const scored = this.#scored;
    this.#stage = { name: 'ended', scored };
    await this.#recordQueued();
    if (scored) {
      // The end and the score card are stored already; replay answers so far are recorded too.
      this.notice('Saved. The score card above is the one stored with the session.');
    } else {
      await this.#append({ type: 'end', reason: 'interrupted', elapsedMs: this.clock.elapsedMs() });
      this.notice(`Saved. Continue later with: sdcoach practice --resume ${this.#sessionIdHint()}`);
    }
    await this.#close();
  }

  /** Called about once a second by the UI: time-up, the monologue phase guide. */
  async tick(): Promise<void> {
    // Time-up waits for the turn in hand: a wrap-up prompt never lands inside a reply.
    if (this.#ended || this.clock.paused || this.#busy || this.#abort || this.#queued.length > 0) return;
    if (this.#view.status !== 'ready') return;
    const remaining = this.clock.remainingMs();
    if (this.setup.mode === 'monologue') await this.#updateMonologuePhase();
    if (remaining <= 0 && !this.#view.wrapUp && !this.#replay?.challenges) {
      await this.#askForWrapUp();
    } else if (this.#view.wrapUp && remaining <= -WRAP_UP_GRACE_MS) {
      await this.end('time-up');
    }
  }

  /**
   * `/end`, time-up after the wrap-up: record the end and grade (the score card). A monologue
   * then offers the adversarial replay; `/end` during the offer or the replay closes it.
   */
  async end(reason: EndReason): Promise<void> {
    if (this.#ended || this.#ending) return;
    if (this.#scored) {
      this.#abort?.abort();
      await this.#reply?.catch(() => {});
      if (!this.#ended) await this.#recordQueued();
      await this.#finishReplay();
      return;
    }
    this.#stage = { name: 'ending' };
    try {
      this.#endReason = reason;
      this.#abort?.abort();
      await this.#reply?.catch(() => {});
      if (this.#ended) return;
      await this.#recordQueued();
      const hasCandidateText = this.#turns.some((t) => t.role === 'candidate');
      if (this.setup.mode !== 'monologue' || this.#options.offerReplay === false || !hasCandidateText) {
        await this.#finish();
        return;
      }
      // The score card first, then the offer. The clock stops: the replay is outside the monologue's time.
      if (!this.clock.paused) this.clock.pause();
      await this.#recordEndAndGrade();
      this.#stage = { name: 'offer' };
      this.#dispatch({ type: 'status', status: 'offer-replay' });
      this.notice('Want an adversarial replay? The interviewer challenges the two weakest claims of your monologue. Your answers are recorded and graded too. (y/n)');
    } finally {
      // Ended (or quit) meanwhile, or offering the replay: that stands. Else the session goes on.
      if (this.#stage.name === 'ending') this.#stage = { name: 'live' };
    }
  }

  // -------------------------------------------------------------------------
  // Internals

  #problemNotice(): string {
    return `The problem: ${this.setup.problem.title}\n\n${this.setup.problem.statement.trim()}`;
  }

  /** A monologue opens with the engine's opening move: the problem statement and the time budget. */
  async #openMonologue(): Promise<void> {
    const { text } = nextMove(this.setup, [], 0);
    const elapsedMs = this.clock.elapsedMs();
    await this.#append({ type: 'turn', role: 'interviewer', text, elapsedMs, phase: this.#phase });
    this.#turns.push({ role: 'interviewer', text, elapsedMs, phase: this.#phase });
    this.#dispatch({ type: 'interviewer', text });
  }

  #sessionIdHint(): string {
    const base = this.#writer.file.split(/[\\/]/).pop() ?? '';
    return base.replace(/\.jsonl$/, '');
  }

  async #append(event: TranscriptEventInput): Promise<void> {
    await this.#writer.append(event);
  }

  #setPaused(paused: boolean): void {
    if (paused) this.clock.pause();
    else this.clock.resume();
    this.#dispatch({ type: 'paused', paused });
  }

  async #setPhase(phase: Phase): Promise<void> {
    if (phase === this.#phase) return;
    this.#phase = phase;
    await this.#append({ type: 'phase', phase, elapsedMs: this.clock.elapsedMs() });
    this.#dispatch({ type: 'phase', phase });
  }

  async #updateMonologuePhase(): Promise<void> {
    const guide = phaseGuide(this.setup, this.clock.elapsedMs());
    if (guide.phase !== this.#phase) await this.#setPhase(guide.phase);
  }

  /** The candidate answered a pushback: record how (defended / revised / capitulated). */
  async #labelPendingPushback(answer: string, elapsedMs: number): Promise<void> {
    const pending = this.#pendingPushback;
    if (!pending) return;
    this.#pendingPushback = null;
    await this.#append({ type: 'pushback', turn: pending.turn, topic: pending.topic, label: labelAnswer(answer, this.setup.vocabulary, { problem: this.setup.problem, topic: pending.topic }), elapsedMs });
  }

  #engineTurns(): EngineTurn[] {
    return this.#turns.map(({ role, text, elapsedMs }) => ({ role, text, elapsedMs }));
  }

  /** The history a new reply answers: a reply the model failed to finish is owed again, not continued. */
  #turnsForReply(): SessionTurn[] {
    const turns = [...this.#turns];
    while (turns.at(-1)?.role === 'interviewer' && turns.at(-1)?.partial) turns.pop();
    return turns;
  }

  /** What the provider is sent: the builtin gets the whole history and the clock; a model a budgeted context. */
  async #request(): Promise<{ messages: ChatMessage[]; clock?: { elapsedMs: number[]; nowMs: number } }> {
    const nowMs = this.clock.elapsedMs();
    const turns = this.#turnsForReply();
    const model = this.#replay?.model;
    if (model && this.#options.modelReplay && this.#provider.id !== 'builtin') {
      const replay = turns.slice(model.start);
      return {
        messages: this.#fitsContext([
          { role: 'system', content: await this.#options.modelReplay.systemPrompt() },
          { role: 'user', content: model.opening },
          ...replay.map(toMessage),
        ]),
      };
    }
    if (this.#provider.id === 'builtin' || !this.#options.systemPrompt || !this.#options.countTokens) {
      const messages: ChatMessage[] = [
        { role: 'system', content: `${this.setup.problem.title}\n\n${this.setup.problem.statement}` },
        ...turns.map(toMessage),
      ];
      return { messages, clock: { elapsedMs: turns.map((t) => t.elapsedMs), nowMs } };
    }
    const system = await this.#options.systemPrompt(nowMs);
    const build = (budgetTokens: number): ChatMessage[] => {
      const { messages } = buildModelContext({ system, turns, countTokens: this.#options.countTokens!, budgetTokens });
      // Some servers (llama.cpp, some Ollama templates) refuse a conversation with no user turn.
      if (!messages.some((m) => m.role === 'user')) messages.push({ role: 'user', content: '(The candidate has joined. Open the interview.)' });
      return messages;
    };
    let budget = this.#budgetTokens();
    let messages = build(budget);
    // The summary keeps at least one line and the latest turns stay whole, so a small window can
    // be overshot: fold harder (a smaller budget) before giving up on the model.
    const window = this.#provider.contextTokens;
    for (let tries = 0; window && tries < 3; tries++) {
      const over = estimateMessageTokens(messages) + REPLY_RESERVE_TOKENS - window;
      if (over <= 0 || budget <= 1) break;
      budget = Math.max(1, budget - over);
      messages = build(budget);
    }
    return { messages: this.#fitsContext(messages) };
  }

  /** The request budget, inside the model's own window (less room for its reply) when that is known. */
  #budgetTokens(): number {
    const budget = this.#options.contextBudgetTokens ?? DEFAULT_CONTEXT_BUDGET;
    const window = this.#provider.contextTokens;
    return window ? Math.max(1, Math.min(budget, window - REPLY_RESERVE_TOKENS)) : budget;
  }

  /**
   * A request longer than the model's window would be cut by the server without a word (Ollama
   * keeps the end, dropping the persona and the problem): refuse it with the reason instead, so
   * the session offers the builtin interviewer and nothing the candidate said is lost.
   */
  #fitsContext(messages: ChatMessage[]): ChatMessage[] {
    const window = this.#provider.contextTokens;
    if (!window) return messages;
    const tokens = estimateMessageTokens(messages);
    if (tokens + REPLY_RESERVE_TOKENS <= window) return messages;
    throw new ContextTooLongError(tokens, window, 'the interviewer prompt');
  }

  #startReply(): Promise<void> {
    const reply = this.#streamReply();
    this.#reply = reply;
    return reply;
  }

  async #streamReply(): Promise<void> {
    // /end or a quit came in while the turn that owes this reply was being saved.
    if (this.#ended || this.#ending) return;
    const abort = new AbortController();
    this.#abort = abort;
    const startedMs = this.clock.elapsedMs();
    const provider = this.#provider;
    this.#dispatch({ type: 'reply-start' });
    let text = '';
    let move: Extract<StreamEvent, { type: 'move' }>['move'] | null = null;
    try {
      const request = await this.#request();
      for await (const event of provider.stream({ ...request, signal: abort.signal })) {
        if (event.type === 'move') move = event.move;
        else if (event.type === 'delta') {
          text += event.text;
          this.#dispatch({ type: 'reply-delta', text: event.text });
        } else if (event.type === 'retry') {
          const why = event.status ? `HTTP ${event.status}` : event.reason;
          this.#dispatch({ type: 'retry', message: `model busy (${why}): retrying in ${Math.ceil(event.delayMs / 1000)}s` });
        } else if (event.type === 'usage') this.#addUsage(event.usage.inputTokens, event.usage.outputTokens);
      }
      // An aborted openai stream can end the loop quietly instead of throwing.
      if (abort.signal.aborted) throw new AbortedError(text);
      await this.#completeReply(text, startedMs, move);
      this.#dispatch({ type: 'reply-end', partial: false });
    } catch (error) {
      const partial = error instanceof ProviderError ? error.partialText || text : text;
      if (partial.trim()) {
        await this.#append({ type: 'turn', role: 'interviewer', text: partial, elapsedMs: startedMs, phase: this.#phase, partial: true });
        this.#turns.push({ role: 'interviewer', text: partial, elapsedMs: startedMs, phase: this.#phase, partial: true });
      }
      this.#dispatch({ type: 'reply-end', partial: partial.trim().length > 0 });
      if (error instanceof AbortedError || abort.signal.aborted) {
        if (!partial.trim()) this.notice('Reply cancelled before it started.');
        // Cutting the opening short must not hide the problem for the whole session.
        if (!this.#ended && !this.#turns.some((t) => t.role === 'interviewer' && !t.partial)) {
          this.notice(this.#problemNotice());
        }
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      if (provider.id === 'builtin') {
        this.notice(`The builtin interviewer failed: ${message}`, 'error');
        return;
      }
      this.notice(
        error instanceof ContextTooLongError ? `Not sent: ${message}. Your text is saved.` : `The model is not answering (${message}). Your text is saved.`,
        'error',
      );
      if (this.#replay?.model) {
        this.notice('The builtin interviewer runs the replay instead.', 'warn');
        this.#provider = await this.#options.makeFallback();
        this.#dispatch({ type: 'provider', label: 'builtin — model unavailable, rule-based fallback', fallback: true });
        await this.#startEngineReplay();
        return;
      }
      if (this.#options.autoFallback) {
        await this.#switchToFallback();
        if (!this.#ended) await this.#streamReply();
      } else {
        this.#dispatch({ type: 'status', status: 'offer-fallback' });
        this.notice('Continue with the builtin interviewer? (y = switch, n = keep trying the model with your next message)');
      }
    } finally {
      if (this.#abort === abort) this.#abort = null;
    }
  }

  async #completeReply(text: string, startedMs: number, move: Extract<StreamEvent, { type: 'move' }>['move'] | null): Promise<void> {
    const turns = [...this.#engineTurns(), { role: 'interviewer' as const, text, elapsedMs: startedMs }];
    const phase = move?.phase ?? currentPhase(this.setup, turns, this.clock.elapsedMs());
    await this.#setPhase(phase);
    await this.#append({ type: 'turn', role: 'interviewer', text, elapsedMs: startedMs, phase: this.#phase });
    this.#turns.push({ role: 'interviewer', text, elapsedMs: startedMs, phase: this.#phase });
    const index = this.#turns.length - 1;
    // The builtin engine says when it pushes back; a model's challenge is recognised by its wording.
    // A model's challenge gets an empty topic: the grader then names it from the question itself.
    const pushbackTopic = move ? move.pushback?.topic : isChallenge(text) ? '' : undefined;
    if (pushbackTopic !== undefined) {
      await this.#append({ type: 'pushback', turn: index, topic: pushbackTopic, label: null, elapsedMs: startedMs });
      this.#pendingPushback = { turn: index, topic: pushbackTopic };
    }
  }

  #addUsage(inputTokens: number, outputTokens: number): void {
    if (this.#provider.id === 'builtin') return;
    this.#usage.inputTokens += inputTokens;
    this.#usage.outputTokens += outputTokens;
    const costUsd = estimateCostUsd(this.#provider.model, this.#usage.inputTokens, this.#usage.outputTokens, this.#options.prices);
    this.#dispatch({ type: 'usage', usage: { ...this.#usage, costUsd } });
  }

  async #switchToFallback(): Promise<void> {
    this.#provider = await this.#options.makeFallback();
    this.#dispatch({ type: 'provider', label: 'builtin — model unavailable, rule-based fallback', fallback: true });
    this.notice('Switched to the builtin interviewer (rule-based, offline). The session goes on.', 'warn');
  }

  async #askForWrapUp(): Promise<void> {
    const text = this.setup.mode === 'monologue' ? monologueWrapUpPrompt(this.setup) : TIME_UP_PROMPT;
    const elapsedMs = this.clock.elapsedMs();
    await this.#setPhase('wrap-up');
    await this.#append({ type: 'turn', role: 'interviewer', text, elapsedMs, phase: 'wrap-up' });
    this.#turns.push({ role: 'interviewer', text, elapsedMs, phase: 'wrap-up' });
    this.#dispatch({ type: 'wrap-up' });
    this.#dispatch({ type: 'interviewer', text });
  }

  async #startReplay(): Promise<void> {
    const from = this.#turns.length;
    if (this.#provider.id !== 'builtin' && this.#options.modelReplay) {
      const monologue = this.#turns.filter((t) => t.role === 'candidate').map((t) => t.text).join('\n\n');
      this.#stage = { name: 'replay', from, challenges: null, model: { start: from, opening: this.#options.modelReplay.monologueMessage(monologue) } };
      this.#dispatch({ type: 'status', status: 'ready' });
      await this.#startReply();
      return;
    }
    await this.#startEngineReplay();
  }

  /** The builtin replay: the engine picks the two weakest claims (also the fallback for a failed model). */
  async #startEngineReplay(): Promise<void> {
    const challenges = replayChallenges(this.setup, this.#engineTurns()).map((m) => m.text);
    // A model replay that failed keeps the turn where the replay began.
    this.#stage = { name: 'replay', from: this.#replay?.from ?? this.#turns.length, challenges, model: null };
    this.#dispatch({ type: 'status', status: 'ready' });
    if (challenges.length === 0) {
      this.notice('Nothing in the monologue to challenge.');
      await this.#finishReplay();
      return;
    }
    await this.#nextReplayChallenge();
  }

  async #nextReplayChallenge(): Promise<void> {
    const text = this.#replay?.challenges?.shift();
    if (text === undefined) {
      await this.#finishReplay();
      return;
    }
    const elapsedMs = this.clock.elapsedMs();
    await this.#append({ type: 'turn', role: 'interviewer', text, elapsedMs, phase: this.#phase });
    this.#turns.push({ role: 'interviewer', text, elapsedMs, phase: this.#phase });
    this.#dispatch({ type: 'interviewer', text });
  }

  /** End event, grade, score card, done. */
  async #finish(): Promise<void> {
    if (this.#ended) return;
    this.#stage = { name: 'ended', scored: false };
    await this.#recordEndAndGrade();
    await this.#close();
  }

  /** The end event, then the grade of the whole session: stored and shown as the score card. */
  async #recordEndAndGrade(): Promise<void> {
    const elapsedMs = this.clock.elapsedMs();
    await this.#append({ type: 'end', reason: this.#endReason ?? 'user-ended', elapsedMs });
    if (!this.#turns.some((t) => t.role === 'candidate')) {
      this.notice('Session ended before you said anything: nothing to grade.');
      return;
    }
    await this.#grade(elapsedMs);
  }

  async #grade(elapsedMs: number): Promise<GradeReport | null> {
    this.#dispatch({ type: 'status', status: 'grading' });
    try {
      const report = await this.#options.grade(this.#writer.file);
      await this.#append({ type: 'grade', report: report as unknown as Record<string, unknown>, elapsedMs });
      this.#dispatch({ type: 'report', report });
      return report;
    } catch (error) {
      this.notice(`Grading failed: ${(error as Error).message}. The session is saved; grade it later with sdcoach grade.`, 'error');
      return null;
    }
  }

  /**
   * The replay is over (or was refused). When the candidate answered in it, the session is graded
   * again with those answers and the new grade is appended after them: the last grade event in
   * the file is always the grade of everything in it, which is what `sessions show`, the session
   * list and `sdcoach grade` of the file agree on.
   */
  async #finishReplay(): Promise<void> {
    if (this.#ended) return;
    const from = this.#replay?.from ?? null;
    this.#stage = { name: 'ended', scored: true };
    const answered = from !== null && this.#turns.slice(from).some((t) => t.role === 'candidate');
    if (answered) {
      const before = this.#view.report;
      this.notice('The score card again, with your replay answers:');
      const after = await this.#grade(this.clock.elapsedMs());
      if (before && after) this.notice(gradeChange(before, after));
    }
    await this.#close();
  }

  async #close(): Promise<void> {
    this.#dispatch({ type: 'status', status: 'ended' });
    await this.#writer.close();
    this.#resolveDone();
  }

  async #runSlashCommand(command: SlashCommand, line: string): Promise<void> {
    const rest = line.slice(1).split(/\s+/).slice(1);
    const context: SlashCommandContext = {
      args: rest.join(' '),
      setup: this.setup,
      turns: this.#engineTurns(),
      phase: this.#view.phase,
      elapsedMs: this.clock.elapsedMs(),
      remainingMs: this.clock.remainingMs(),
      budgetMs: this.clock.budgetMs,
      paused: this.clock.paused,
      say: (text) => this.notice(text),
      setPaused: (paused) => this.#setPaused(paused),
      end: () => this.end('user-ended'),
    };
    await command.run(context);
  }
}

/** The slash command a line is, if any: only a known command is one ("/shorten is a POST endpoint" is an answer). */
function slashCommandOf(text: string): SlashCommand | undefined {
  return text.startsWith('/') && !text.includes('\n') ? findSlashCommand(text.slice(1).split(/\s+/)[0] ?? '') : undefined;
}

/** "Overall 2.43 → 2.61 · L3 → L3": the grade before the replay and after it. */
function gradeChange(before: GradeReport, after: GradeReport): string {
  const overall = (r: GradeReport) => (r.overall === null ? '–' : r.overall.toFixed(2));
  const changed = Object.entries(after.dimensions ?? {})
    .map(([id, d]) => ({ name: d.name, from: before.dimensions?.[id]?.score ?? null, to: d.score }))
    .filter((d) => d.from !== d.to)
    .map((d) => `${d.name} ${d.from === null ? '–' : d.from.toFixed(1)} → ${d.to === null ? '–' : d.to.toFixed(1)}`);
  return (
    `After the replay: overall ${overall(before)} → ${overall(after)} · ${before.level.label} → ${after.level.label}` +
    (changed.length ? ` (${changed.join(', ')})` : ' (no dimension changed)')
  );
}
