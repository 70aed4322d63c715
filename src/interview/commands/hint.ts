// /hint: what the candidate has not covered yet, from what they said so far: the problem's
// expected components never named, and the areas every design needs (numbers, data model,
// failures, monitoring, security). It points at gaps; it never gives the answer.
import { AREAS, areaCoverage, type AreaId } from '../engine/areas.js';
import { analyzeCandidateTurn } from '../engine/candidate-turn.js';
import { currentPhase, phaseGuide } from '../engine/index.js';
import { PHASE_ORDER, phaseBoundariesMs, phaseIndex } from '../engine/phases.js';
import { PHASE_NAMES } from '../phase-names.js';
import type { Phase } from '../../schemas/transcript.js';
import type { SlashCommand, SlashCommandContext } from './types.js';

/** How each probe area is put to the candidate. */
const AREA_HINTS: Record<AreaId, string> = {
  estimation: 'back-of-the-envelope numbers (QPS, storage)',
  'data-model': 'the data model and how it is partitioned',
  failure: 'what happens when a node or region fails',
  observability: 'monitoring: metrics, SLOs and alerts',
  security: 'security and abuse (auth, rate limits, privacy)',
};

/** The phase guide's line for `phase` ("Estimate: QPS, storage, bandwidth (until 10:00)"). */
function phaseHint(setup: SlashCommandContext['setup'], phase: Phase): string {
  return phaseGuide(setup, phaseBoundariesMs(setup.minutes)[phaseIndex(phase)]!).hint;
}

/**
 * The candidate's phase: in an interview the one the session recorded (what the engine read from
 * the conversation, shown in the status bar); a monologue's recorded phase is the clock's, so
 * there it is read from what was said.
 */
function candidatePhase(context: Pick<SlashCommandContext, 'setup' | 'turns' | 'elapsedMs'> & { phase?: Phase }): Phase {
  if (context.phase && context.setup.mode !== 'monologue') return context.phase;
  return currentPhase(context.setup, context.turns, context.elapsedMs);
}

export function hintFor(context: Pick<SlashCommandContext, 'setup' | 'turns' | 'elapsedMs'> & { phase?: Phase }): string {
  // What the candidate covered, read the way the interviewer reads it (so /hint points at
  // exactly what the interviewer would probe next).
  let covered = 0;
  let components = 0;
  for (const turn of context.turns) {
    if (turn.role !== 'candidate') continue;
    const reading = analyzeCandidateTurn(context.setup.problem, turn.text, context.setup.vocabulary);
    covered |= reading.covered;
    components |= reading.components;
  }
  const named = (index: number) => index < 31 && (components & (1 << index)) !== 0;
  const missingComponents = context.setup.problem.components
    .filter((_, index) => !named(index))
    .map((c) => c.name)
    .slice(0, 4);
  const areas = AREAS.filter((area) => areaCoverage(area, covered) === 0)
    .map((area) => AREA_HINTS[area])
    .slice(0, 3);
  // Where the candidate is, not where the clock is: a hint for a phase they have not reached
  // would tell them to skip ahead. The clock gets one line when it is further on.
  const phase = candidatePhase(context);
  const byClock = phaseGuide(context.setup, context.elapsedMs).phase;
  const lines = [`Now: ${phaseHint(context.setup, phase)}`];
  if (PHASE_ORDER.indexOf(byClock) > PHASE_ORDER.indexOf(phase)) lines.push(`The clock says ${PHASE_NAMES[byClock]} by now: move on when you can.`);
  if (areas.length) lines.push(`Not covered yet: ${areas.join('; ')}.`);
  if (missingComponents.length) lines.push(`Parts a design like this usually has that you have not named: ${missingComponents.join(', ')}.`);
  if (!areas.length && !missingComponents.length) lines.push('You have touched every area: go deeper on the riskiest component and its failure modes.');
  return lines.join('\n');
}

export const hintCommand: SlashCommand = {
  name: 'hint',
  description: 'what you have not covered yet',
  run(context) {
    context.say(hintFor(context));
  },
};
