// The builtin interviewer engine's contract. The engine is a set of pure functions over the
// transcript so far: given the problem, the setup and the turns (with their elapsed times),
// it decides the interviewer's next move. No clock, no I/O, no randomness beyond the seed,
// so the same seed and turns always give the same interview.
import type { LoadedProblem } from '../../schemas/problem.js';
import type { Level, Mode, Phase, PushbackLabel } from '../../schemas/transcript.js';
import type { Vocabulary } from '../../reading/vocabulary.js';

export interface InterviewSetup {
  problem: LoadedProblem;
  mode: Mode;
  /** The time budget of the whole session. */
  minutes: number;
  /** The level the candidate is aiming at, if they said; shapes how hard the probes are. */
  level: Level | null;
  seed: number;
  /**
   * The word ids this session reads the candidate's turns with: one per session, so what the
   * reader learns about words carries from move to move and goes when the session ends.
   */
  vocabulary: Vocabulary;
}

/** One turn as the engine sees it (system turns are left out by the caller). */
export interface EngineTurn {
  role: 'candidate' | 'interviewer';
  text: string;
  elapsedMs: number;
}

export type MoveKind =
  /** The problem statement and the time budget. */
  | 'open'
  /** Answers a clarifying question from the fact sheet. */
  | 'fact'
  /** A clarifying question the fact sheet has no answer for: "make an assumption and state it". */
  | 'assume'
  /** Challenges a named technology or design choice with one of the problem's pushbacks. */
  | 'pushback'
  /** Probes an area the candidate has not covered (estimation, data model, failures, observability, security). */
  | 'probe'
  /** One of the problem's deep-dive topics. */
  | 'deep-dive'
  /** "What breaks at 10x?" style scale questions. */
  | 'scale'
  /** "How exactly?" after a vague answer. */
  | 'follow-up'
  /** Keeps time: "ten minutes left, pick one component to go deep on". */
  | 'time-check'
  /** Asks for the wrap-up summary. */
  | 'wrap-up'
  /** Nothing left to ask. */
  | 'close'
  /** Monologue mode, after the end: challenges one of the monologue's weakest claims. */
  | 'replay';

/** What the interviewer says next and why. */
export interface Move {
  kind: MoveKind;
  /** The full text the interviewer says (may combine a fact answer and a follow-up question). */
  text: string;
  /** The phase the interview is in once this move is made. */
  phase: Phase;
  /** Short human label of what the move is about ("ID generation", "Cassandra", "observability"). */
  topic: string;
  /** Set when the move challenges a choice: the session records a pushback event for it. */
  pushback?: { topic: string; expected: string };
}

/** A pushback and how the candidate answered it. */
export interface PushbackOutcome {
  /** Index in `turns` of the interviewer turn that pushed back. */
  interviewerTurn: number;
  topic: string;
  label: PushbackLabel;
}

/** What the monologue header shows: the phase the clock says the candidate should be in. */
export interface PhaseGuide {
  phase: Phase;
  /** e.g. "Estimate: QPS, storage, bandwidth (until 10:00)". */
  hint: string;
  /** Elapsed ms at which this phase's budget ends. */
  untilMs: number;
}
