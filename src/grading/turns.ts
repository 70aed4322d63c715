// Turns with their index among turn events: the index evidence quotes and pushbacks refer to.
import type { Role, Phase, Transcript } from '../schemas/transcript.js';

export interface IndexedTurn {
  index: number;
  role: Role;
  text: string;
  elapsedMs: number;
  phase: Phase | null;
  partial: boolean;
}

export function turnsOf(transcript: Transcript): IndexedTurn[] {
  const turns: IndexedTurn[] = [];
  for (const event of transcript.events) {
    if (event.type !== 'turn') continue;
    turns.push({
      index: turns.length,
      role: event.role,
      text: event.text,
      elapsedMs: event.elapsedMs,
      phase: event.phase,
      partial: event.partial === true,
    });
  }
  return turns;
}
