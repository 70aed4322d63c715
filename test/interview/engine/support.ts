// Shared by the engine tests: the packaged problems (loaded with an empty SDCOACH_HOME, so a
// user's own problem files never interfere) and a scripted candidate fed turn by turn.
import { listProblems, loadProblem } from '../../../src/content/problem-loader.js';
import { nextMove } from '../../../src/interview/engine/index.js';
import type { EngineTurn, InterviewSetup, Move } from '../../../src/interview/engine/types.js';
import type { LoadedProblem } from '../../../src/schemas/problem.js';
import { resolvePaths } from '../../../src/storage/paths.js';
import { tempHome } from '../../support/env.js';
import { interviewSetup } from '../../../src/interview/engine/setup.js';

export async function withPackagedProblems<T>(fn: (load: (id: string) => Promise<LoadedProblem>, ids: string[]) => Promise<T>): Promise<T> {
  const home = await tempHome('sdcoach-engine-');
  const previous = process.env.SDCOACH_HOME;
  process.env.SDCOACH_HOME = home.dir;
  try {
    const paths = resolvePaths();
    const ids = (await listProblems(paths)).filter((l) => l.ok && l.source === 'packaged').map((l) => l.id);
    return await fn((id) => loadProblem(id, paths), ids);
  } finally {
    process.env.SDCOACH_HOME = previous;
    await home.cleanup();
  }
}

/** Every packaged problem, loaded once per test file. */
export async function packagedProblems(): Promise<Map<string, LoadedProblem>> {
  return withPackagedProblems(async (load, ids) => new Map(await Promise.all(ids.map(async (id) => [id, await load(id)] as const))));
}

export function setupFor(problem: LoadedProblem, overrides: Partial<InterviewSetup> = {}): InterviewSetup {
  return interviewSetup({ problem, mode: 'interview', minutes: 45, level: 'L5', seed: 1, ...overrides });
}

export const MINUTE = 60_000;

/** One scripted candidate line and when it is said. */
export interface ScriptLine {
  text: string;
  atMs: number;
}

/**
 * Plays a script: the opening, then for each candidate line the interviewer's move at that time.
 * Returns every turn and the moves in order (moves[0] is the opening).
 */
export function play(setup: InterviewSetup, script: readonly ScriptLine[]): { turns: EngineTurn[]; moves: Move[] } {
  const turns: EngineTurn[] = [];
  const moves: Move[] = [];
  const open = nextMove(setup, turns, 0);
  moves.push(open);
  turns.push({ role: 'interviewer', text: open.text, elapsedMs: 0 });
  for (const line of script) {
    turns.push({ role: 'candidate', text: line.text, elapsedMs: line.atMs });
    const move = nextMove(setup, turns, line.atMs);
    moves.push(move);
    turns.push({ role: 'interviewer', text: move.text, elapsedMs: line.atMs });
  }
  return { turns, moves };
}

/** Lines at a fixed pace: the i-th at `startMs + i * stepMs`. */
export function paced(texts: readonly string[], startMs = MINUTE, stepMs = MINUTE): ScriptLine[] {
  return texts.map((text, i) => ({ text, atMs: startMs + i * stepMs }));
}

/** The question sentences of an interviewer line. */
export function questionsIn(text: string): string[] {
  return (text.match(/(?:[^.?!\n]|\.(?=\S))+\?/g) ?? []).map((q) => q.trim());
}
