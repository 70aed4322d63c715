// From a recorded session back to what a resumed PracticeSession needs: its turns, the
// pushbacks still waiting for an answer's label, the phase, and where the clock stopped.
import type { Level, Mode, Transcript } from '../schemas/transcript.js';
import type { RestoredSession, SessionTurn } from './practice-session.js';

export interface Resumable extends RestoredSession {
  /** Elapsed ms of the last recorded event: the clock continues from here. */
  offsetMs: number;
  problem: string | null;
  mode: Mode;
  minutes: number | null;
  level: Level | null;
  seed: number | null;
  provider: string;
  model: string | null;
  rubric: string | null;
  /** Why the recording ended, when it did. */
  endReason: string | null;
  graded: boolean;
}

export function restoreSession(transcript: Transcript): Resumable {
  const turns: SessionTurn[] = [];
  const pushbacks = new Map<number, { turn: number; topic: string; labelled: boolean }>();
  let offsetMs = 0;
  let phase: RestoredSession['phase'] = null;
  let endReason: string | null = null;
  let graded = false;
  for (const event of transcript.events) {
    if ('elapsedMs' in event && typeof event.elapsedMs === 'number') offsetMs = Math.max(offsetMs, event.elapsedMs);
    switch (event.type) {
      case 'turn':
        if (event.role === 'system') break;
        turns.push({ role: event.role, text: event.text, elapsedMs: event.elapsedMs, phase: event.phase, partial: event.partial });
        break;
      case 'phase':
        phase = event.phase;
        break;
      case 'pushback': {
        // The event first names the challenge, a later one the answer's label; keep the latest.
        const known = pushbacks.get(event.turn);
        pushbacks.set(event.turn, { turn: event.turn, topic: event.topic, labelled: Boolean(known?.labelled || event.label) });
        break;
      }
      case 'end':
        endReason = event.reason;
        break;
      case 'grade':
        graded = true;
        break;
    }
  }
  const { meta } = transcript;
  return {
    turns,
    pushbacks: [...pushbacks.values()],
    phase,
    offsetMs,
    problem: meta.problem,
    mode: meta.mode,
    minutes: meta.minutes ?? null,
    level: meta.levelTarget,
    seed: meta.seed ?? null,
    provider: meta.provider,
    model: meta.model,
    rubric: meta.rubric,
    endReason,
    graded,
  };
}
