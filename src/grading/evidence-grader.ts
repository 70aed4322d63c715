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
import { Vocabulary } from '../reading/vocabulary.js';
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

/** How the candidate communicated, paced and held up, as opposed to what they designed. */
const PROCESS_ANALYZERS: readonly AnalyzerName[] = ['clarity', 'time_management', 'composure'];
/** A process dimension scores at most this much above the mean of the content dimensions. */
export const PROCESS_HEADROOM = 1;
/** Distinct candidate words at which a dimension can reach 5; fewer cap it in proportion. */
export const FULL_EVIDENCE_WORDS = 600;

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

/**
 * Two ceilings that keep a score tied to content. Thin evidence: a dimension cannot score above
 * 1 + 4 · distinct words / FULL_EVIDENCE_WORDS (the same paragraph pasted twenty times is one
 * paragraph). Nothing to be clear about: clarity, time management and composure score at most
 * PROCESS_HEADROOM above the mean of the content dimensions (a fluent list of negations, or
 * "yes" to an interviewer who says everything, communicates no design).
 */
function applyCeilings(ctx: EvidenceContext, rubric: GradeInput['rubric'], dimensions: Record<string, DimensionResult>): void {
  const distinct = ctx.distinctCandidateWords;
  const thinCap = round1(1 + 4 * Math.min(1, distinct / FULL_EVIDENCE_WORDS));
  for (const d of rubric.dimensions) {
    const r = dimensions[d.id]!;
    if (r.score !== null && r.score > thinCap) {
      r.score = thinCap;
      r.notes.push(`capped at ${thinCap.toFixed(1)}: only ${distinct} distinct candidate words (a score of 5 needs ${FULL_EVIDENCE_WORDS})`);
    }
  }
  const content = rubric.dimensions.filter((d) => !PROCESS_ANALYZERS.includes(analyzerFor(d))).map((d) => dimensions[d.id]!.score).filter((v): v is number => v !== null);
  if (content.length === 0) return;
  const mean = content.reduce((a, b) => a + b, 0) / content.length;
  const ceiling = round1(Math.min(5, mean + PROCESS_HEADROOM));
  for (const d of rubric.dimensions) {
    if (!PROCESS_ANALYZERS.includes(analyzerFor(d))) continue;
    const r = dimensions[d.id]!;
    if (r.score !== null && r.score > ceiling) {
      r.score = ceiling;
      r.notes.push(`capped at ${ceiling.toFixed(1)}: the design dimensions average ${mean.toFixed(1)}, and ${d.name.toLowerCase()} needs a design to carry`);
    }
  }
}

export interface EvidenceOptions {
  /** Apply the thin-evidence and content ceilings (default). Analyzer tests grade short snippets without them. */
  ceilings?: boolean;
  /**
   * The word ids to read with. A batch passes one for the whole run (one per worker), so what
   * the matchers learn about words carries from file to file; without it each call makes its own.
   */
  vocabulary?: Vocabulary;
}
/** Each analyzer's own score, without the session-level ceilings: for tests of one analyzer on a snippet. */
export const NO_CEILINGS: EvidenceOptions = { ceilings: false };

/** Grade a transcript against a rubric, offline and deterministically. */
export function gradeEvidence(input: GradeInput, options: EvidenceOptions = {}): Analysis {
  compileRubric(input.rubric);
  const ctx = new EvidenceContext(input, options.vocabulary ?? new Vocabulary());
  const dimensions: Record<string, DimensionResult> = {};
  for (const dimension of input.rubric.dimensions) dimensions[dimension.id] = gradeDimension(ctx, dimension);
  if (options.ceilings !== false) applyCeilings(ctx, input.rubric, dimensions);

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
