// What the practice screen shows, as one reducer: the finished history (rendered once, in
// ink's <Static>), the live tail of the reply being streamed, and the status line. The
// controller (practice-session.ts) dispatches; the ink App and the plain `--script` printer
// both render from this state, so there is one path for both.
import type { GradeReport } from '../schemas/report.js';
import type { Phase } from '../schemas/transcript.js';
import { stripControls } from '../term/strip.js';
import { splitCommittable } from './stream-buffer.js';

export type NoticeTone = 'info' | 'warn' | 'error';

export type HistoryItem =
  | {
      kind: 'turn';
      id: number;
      role: 'candidate' | 'interviewer';
      text: string;
      /** A later paragraph of the same reply: no role label above it. */
      continued: boolean;
    }
  | { kind: 'notice'; id: number; tone: NoticeTone; text: string }
  | { kind: 'score'; id: number; report: GradeReport };

/** What the screen is waiting for. */
export type SessionStatus =
  /** Composer open, the candidate's turn. */
  | 'ready'
  /** A reply is streaming (Esc cancels). */
  | 'streaming'
  /** Ctrl+C was pressed once: a second one saves and quits. */
  | 'confirm-quit'
  /** The model failed: y continues with the builtin interviewer, n keeps trying the model. */
  | 'offer-fallback'
  /** Monologue over and its score card shown: y starts the adversarial replay, n finishes. */
  | 'offer-replay'
  | 'grading'
  | 'ended';

export interface UsageView {
  inputTokens: number;
  outputTokens: number;
  /** US dollars, null when the model's price is unknown. */
  costUsd: number | null;
}

export interface SessionView {
  items: HistoryItem[];
  /** The uncommitted tail of the reply being streamed. */
  live: string;
  /** The current reply already committed a paragraph to `items`. */
  replyHasItems: boolean;
  status: SessionStatus;
  /** The status to return to when a confirm prompt is dismissed. */
  resumeStatus: SessionStatus;
  phase: Phase;
  paused: boolean;
  providerLabel: string;
  /** The model failed and the builtin interviewer took over. */
  fallback: boolean;
  usage: UsageView | null;
  /** "retrying in 2s (HTTP 429)": shown while the provider backs off. */
  retry: string | null;
  /** Time is up and the interviewer asked for the wrap-up. */
  wrapUp: boolean;
  report: GradeReport | null;
  /** The candidate's own turns, oldest first, for the composer's Up key. */
  ownTurns: string[];
  /** Answers sent while the interviewer was talking: they go out when the reply ends. */
  queued: string[];
  nextId: number;
}

export type SessionAction =
  | { type: 'notice'; tone: NoticeTone; text: string }
  | { type: 'restore'; turns: { role: 'candidate' | 'interviewer'; text: string; partial?: boolean }[] }
  | { type: 'candidate'; text: string }
  /** A complete turn that was not streamed (a slash-command answer, the time-up prompt). */
  | { type: 'interviewer'; text: string }
  | { type: 'reply-start' }
  | { type: 'reply-delta'; text: string }
  | { type: 'reply-end'; partial: boolean }
  | { type: 'retry'; message: string | null }
  | { type: 'phase'; phase: Phase }
  | { type: 'usage'; usage: UsageView }
  | { type: 'paused'; paused: boolean }
  | { type: 'status'; status: SessionStatus }
  /** The Ctrl+C question was answered "carry on". */
  | { type: 'dismiss-quit' }
  | { type: 'provider'; label: string; fallback: boolean }
  | { type: 'wrap-up' }
  | { type: 'report'; report: GradeReport }
  | { type: 'queued'; texts: string[] };

export function initialView(options: { phase: Phase; providerLabel: string }): SessionView {
  return {
    items: [],
    live: '',
    replyHasItems: false,
    status: 'ready',
    resumeStatus: 'ready',
    phase: options.phase,
    paused: false,
    providerLabel: options.providerLabel,
    fallback: false,
    usage: null,
    retry: null,
    wrapUp: false,
    report: null,
    ownTurns: [],
    queued: [],
    nextId: 0,
  };
}

type NewItem = HistoryItem extends infer T ? (T extends HistoryItem ? Omit<T, 'id'> : never) : never;

/** History as every renderer prints it: turn and notice text never carries a control character to the terminal. */
function push(view: SessionView, ...items: NewItem[]): SessionView {
  let nextId = view.nextId;
  const added = items.map((item) => ({ ...item, ...(item.kind === 'score' ? {} : { text: stripControls(item.text) }), id: nextId++ }) as HistoryItem);
  return { ...view, items: [...view.items, ...added], nextId };
}

/**
 * Move whole paragraphs of the live reply into the history as soon as they are complete; the
 * rest stays live. A small live region is what keeps each repaint cheap (ink rewrites all of it).
 */
function commitParagraphs(view: SessionView): SessionView {
  const { committed, tail } = splitCommittable(view.live);
  if (!committed.trim()) return view;
  const next = push(view, { kind: 'turn', role: 'interviewer', text: committed.trimEnd(), continued: view.replyHasItems });
  return { ...next, live: tail, replyHasItems: true };
}

export function sessionReducer(view: SessionView, action: SessionAction): SessionView {
  switch (action.type) {
    case 'notice':
      return push(view, { kind: 'notice', tone: action.tone, text: action.text });
    case 'restore': {
      let next = view;
      for (const turn of action.turns) {
        next = push(next, { kind: 'turn', role: turn.role, text: turn.text, continued: false });
        if (turn.partial) next = push(next, { kind: 'notice', tone: 'warn', text: 'reply cut short (partial)' });
      }
      const ownTurns = action.turns.filter((t) => t.role === 'candidate').map((t) => t.text);
      return { ...next, ownTurns: [...view.ownTurns, ...ownTurns] };
    }
    case 'candidate':
      return { ...push(view, { kind: 'turn', role: 'candidate', text: action.text, continued: false }), ownTurns: [...view.ownTurns, action.text] };
    case 'interviewer':
      return push(view, { kind: 'turn', role: 'interviewer', text: action.text, continued: false });
    case 'reply-start':
      return { ...view, live: '', replyHasItems: false, status: view.status === 'confirm-quit' ? 'confirm-quit' : 'streaming', resumeStatus: 'streaming', retry: null };
    case 'reply-delta':
      return commitParagraphs({ ...view, live: view.live + action.text, retry: null });
    case 'reply-end': {
      let next: SessionView = view;
      if (view.live.trim()) {
        next = push(view, { kind: 'turn', role: 'interviewer', text: view.live.trimEnd(), continued: view.replyHasItems });
      }
      if (action.partial) next = push(next, { kind: 'notice', tone: 'warn', text: 'reply cut short: what arrived is kept (partial)' });
      // A pending Ctrl+C question stays up when the reply ends under it.
      const status = view.status === 'confirm-quit' ? 'confirm-quit' : 'ready';
      return { ...next, live: '', replyHasItems: false, status, resumeStatus: 'ready', retry: null };
    }
    case 'retry':
      return { ...view, retry: action.message };
    case 'phase':
      return { ...view, phase: action.phase };
    case 'usage':
      return { ...view, usage: action.usage };
    case 'paused':
      return { ...view, paused: action.paused };
    case 'status':
      // A confirm prompt remembers what to go back to.
      if (action.status === 'confirm-quit') return { ...view, status: action.status, resumeStatus: view.status === 'confirm-quit' ? view.resumeStatus : view.status };
      // Under a pending Ctrl+C question, only the end of the session replaces it.
      if (view.status === 'confirm-quit' && action.status !== 'ended' && action.status !== 'grading') return { ...view, resumeStatus: action.status };
      return { ...view, status: action.status, resumeStatus: action.status };
    case 'dismiss-quit':
      return view.status === 'confirm-quit' ? { ...view, status: view.resumeStatus } : view;
    case 'provider':
      return { ...view, providerLabel: action.label, fallback: action.fallback };
    case 'wrap-up':
      return { ...view, wrapUp: true };
    case 'report':
      return { ...push(view, { kind: 'score', report: action.report }), report: action.report };
    case 'queued':
      return { ...view, queued: action.texts };
  }
}
