import { PHASE_NAMES } from '../phase-names.js';
import { phaseGuide } from '../engine/index.js';
import { PHASE_ORDER, phaseBoundariesMs } from '../engine/phases.js';
import { formatClock } from '../session-clock.js';
import type { SlashCommand, SlashCommandContext } from './types.js';

/** "Budget: clarify until 05:00 · estimate until 10:00 · …" for this session's length. */
export function phaseBudgetLine(context: Pick<SlashCommandContext, 'setup'>): string {
  const bounds = phaseBoundariesMs(context.setup.minutes);
  const parts = PHASE_ORDER.map((phase, i) => `${PHASE_NAMES[phase]} until ${formatClock(bounds[i + 1]!)}`);
  return `Budget: ${parts.join(' · ')}`;
}

export const phaseCommand: SlashCommand = {
  name: 'phase',
  description: 'the phase you are in and where the clock says you should be',
  run(context) {
    const byClock = phaseGuide(context.setup, context.elapsedMs);
    const behind = byClock.phase !== context.phase ? `\nBy the clock you should be in ${PHASE_NAMES[byClock.phase]}: ${byClock.hint}` : `\n${byClock.hint}`;
    context.say(`Phase: ${PHASE_NAMES[context.phase]}.${behind}`);
  },
};
