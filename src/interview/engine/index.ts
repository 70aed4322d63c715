// The builtin interviewer engine: pure functions over the transcript so far.
export type { EngineTurn, InterviewSetup, Move, MoveKind, PhaseGuide, PushbackOutcome } from './types.js';
export { currentPhase, nextMove } from './next-move.js';
export { labelAnswer, pushbackOutcomes } from './pushbacks.js';
export { monologueWrapUpPrompt, phaseGuide, replayChallenges } from './monologue.js';
export { phaseBoundariesMs } from './phases.js';
export { interviewSetup } from './setup.js';
