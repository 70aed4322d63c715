// Keeping time: each time check is said at most once, only while it is current (a check whose
// moment has passed because a later one is due is dropped, so a late turn never hears "ten
// minutes left" after "five minutes left"). The two "you're behind" checks are said only when
// the content shows the candidate is behind.
import { phaseIndex } from './phases.js';
import type { InterviewHistory } from './history.js';
import type { Pool } from './probes.js';

/** The pool entry of the time check due at `nowMs`, or null. */
export function dueTimeCheck(pool: Pool, history: InterviewHistory, nowMs: number): number | null {
  const checks = [...pool.timeChecks].sort((a, b) => pool.entries[a]!.timeCheck!.atMs - pool.entries[b]!.timeCheck!.atMs);
  let current: number | null = null;
  for (const i of checks) if (nowMs >= pool.entries[i]!.timeCheck!.atMs) current = i;
  // Once the wrap-up was asked for, the clock has nothing more to say.
  if (current === null || history.used[current] || history.wrapUpAsked) return null;
  const check = pool.entries[current]!.timeCheck!;
  if (check.id === 'behind-clarify' && history.contentPhase > phaseIndex('clarify')) return null;
  if (check.id === 'behind-design' && history.contentPhase >= phaseIndex('high-level')) return null;
  return current;
}

/** The session's time is up. */
export function isOvertime(minutes: number, nowMs: number): boolean {
  return nowMs >= minutes * 60_000;
}
