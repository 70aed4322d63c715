// A slash command typed in the practice composer (`/time`, `/hint` …): one module each,
// with this small shape, gathered by index.ts. Commands talk to the session only through
// the context, so each can be tested on its own.
import type { Phase } from '../../schemas/transcript.js';
import type { EngineTurn, InterviewSetup } from '../engine/types.js';

export interface SlashCommandContext {
  /** Text after the command name. */
  args: string;
  setup: InterviewSetup;
  turns: readonly EngineTurn[];
  phase: Phase;
  elapsedMs: number;
  remainingMs: number;
  budgetMs: number;
  paused: boolean;
  /** Show a line to the candidate (not recorded in the transcript). */
  say: (text: string) => void;
  setPaused: (paused: boolean) => void;
  end: () => Promise<void>;
}

export interface SlashCommand {
  name: string;
  description: string;
  run: (context: SlashCommandContext) => void | Promise<void>;
}
