// The offline, deterministic evidence grader: each rubric dimension goes to the analyzer its
// `analyzerFor` names (src/grading/evidence/), and the run also reports time per phase, the
// pushback table, the estimate checks and flags. No randomness, no clock: the same input gives
// the same Analysis. Only candidate turns earn credit.
import type { Flag } from '../schemas/report.js';
import { analyzerFor, type Analyzer as AnalyzerName, type Dimension } from '../schemas/rubric.js';
import type { Analysis, DimensionResult, GradeInput } from './types.js';
import { analyzeClarity } from './evidence/clarity.js';
import { analyzeComposure, analyzePushbacks } from './evidence/composure.js';
import { analyzeConcepts, compileRubric } from './evidence/concepts.js';
import { EvidenceContext, result, type Analyzer } from './evidence/context.js';
import { analyzeEstimates, analyzeEstimation } from './evidence/estimation.js';
import { analyzeTime, analyzeTimeManagement } from './evidence/time-management.js';
import { analyzeTradeoffs } from './evidence/tradeoffs.js';
import { analyzeRequirements } from './evidence/requirements.js';
import { analyzeDeepDive } from './evidence/deep-dive.js';

export const ANALYZERS: Record<AnalyzerName, Analyzer> = {
  concepts: analyzeConcepts,
  requirements: analyzeRequirements,
  deep_dive: analyzeDeepDive,
  estimation: analyzeEstimation,
  time_management: analyzeTimeManagement,
  tradeoffs: analyzeTradeoffs,
  composure: analyzeComposure,
  clarity: analyzeClarity,
};

function gradeDimension(ctx: EvidenceContext, dimension: Dimension): DimensionResult {
  if (!dimension.modes.includes(ctx.mode)) {
    return result(null, { notes: [`${dimension.name} applies to ${dimension.modes.join(' and ')} sessions only; this is a ${ctx.mode}`] });
  }
  if (ctx.candidate.length === 0) {
    return result(1, { missing: ['no candidate turns in the transcript'], notes: ['nothing the candidate said to grade'] });
  }
  return ANALYZERS[analyzerFor(dimension)](ctx, dimension);
}

/** Grade a transcript against a rubric, offline and deterministically. */
export function gradeEvidence(input: GradeInput): Analysis {
  compileRubric(input.rubric);
  const ctx = new EvidenceContext(input);
  const dimensions: Record<string, DimensionResult> = {};
  for (const dimension of input.rubric.dimensions) dimensions[dimension.id] = gradeDimension(ctx, dimension);

  const time = analyzeTime(ctx);
  const flags: Flag[] = [...time.flags];
  for (const problem of input.transcript.problems) flags.push({ kind: 'transcript-problem', message: problem.message });
  if (ctx.directives.length > 0) {
    const turns = [...new Set(ctx.directives.map((d) => d.turn))];
    const first = ctx.directives[0]!.sentence;
    flags.push({
      kind: 'transcript-problem',
      message:
        `${ctx.directives.length} sentence${ctx.directives.length === 1 ? '' : 's'} in candidate turn${turns.length === 1 ? '' : 's'} ${turns.join(', ')} ` +
        `address the grader and earn nothing (e.g. "${first.length > 80 ? `${first.slice(0, 77)}...` : first}")`,
    });
  }
  return {
    dimensions,
    time: time.report,
    pushbacks: analyzePushbacks(ctx).rows,
    estimates: analyzeEstimates(ctx).rows,
    flags,
  };
}
