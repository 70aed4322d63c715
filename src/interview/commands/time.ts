import { formatClock } from '../session-clock.js';
import { phaseBudgetLine } from './phase.js';
import type { SlashCommand } from './types.js';

export const timeCommand: SlashCommand = {
  name: 'time',
  description: 'time used and left, and the budget per phase',
  run(context) {
    const left = context.remainingMs > 0 ? `${formatClock(context.remainingMs)} left` : `over by ${formatClock(-context.remainingMs)}`;
    const paused = context.paused ? ' (paused)' : '';
    context.say(
      `${formatClock(context.elapsedMs)} elapsed, ${left} of ${formatClock(context.budgetMs)}${paused}.\n${phaseBudgetLine(context)}`,
    );
  },
};
