// From a grader's analysis to the GradeReport every renderer reads.
import { REPORT_SCHEMA_VERSION, type DimensionReport, type GradeReport } from '../schemas/report.js';
import { OFF_ESTIMATE, REDO_ARITHMETIC } from './evidence/estimation.js';
import { evidenceSize, levelFor, weightedOverall } from './levels.js';
import { rubricSha256 } from './rubric-loader.js';
import { turnsOf } from './turns.js';
import type { Analysis, GradeInput } from './types.js';

export interface ReportContext {
  file: string | null;
  grader: GradeReport['grader'];
  model: string | null;
  /** ISO time of grading; injected so reports are reproducible in tests. */
  gradedAt: string;
  /** From the LLM judge; the evidence grader derives them from scores. */
  strengths?: string[];
  toExpand?: string[];
}

const STRONG = 4;
const WEAK = 2.5;
const TO_EXPAND = 4;

/** Missing lines naming a wrong estimate (an arithmetic error, a figure 10x or more off the reference). */
function wrongEstimates(d: DimensionReport): string[] {
  return d.missing.filter((m) => m.startsWith(REDO_ARITHMETIC) || m.startsWith(OFF_ESTIMATE));
}

function derivedStrengths(dimensions: DimensionReport[]): string[] {
  return dimensions
    // A wrong estimate is never something that went well, whatever the rest of the score.
    .filter((d) => d.score !== null && d.score >= STRONG && wrongEstimates(d).length === 0)
    .sort((a, b) => b.score! - a.score! || b.weight - a.weight)
    .slice(0, 4)
    .map((d) => {
      const best = d.evidence[0];
      const why = best ? (best.note ?? `"${best.quote}"`) : 'consistently covered';
      return `${d.name} (${d.score!.toFixed(1)}): ${why}`;
    });
}

/** The weakest dimensions, and always one with a wrong estimate (named first in its line: what to redo). */
function derivedToExpand(dimensions: DimensionReport[]): string[] {
  const weak = dimensions
    .filter((d) => d.score !== null && (d.score <= WEAK || wrongEstimates(d).length > 0))
    .sort((a, b) => a.score! - b.score! || b.weight - a.weight);
  let chosen = weak.slice(0, TO_EXPAND);
  const wrong = weak.filter((d) => wrongEstimates(d).length > 0 && !chosen.includes(d));
  if (wrong.length > 0) chosen = [...chosen.slice(0, Math.max(0, TO_EXPAND - wrong.length)), ...wrong].sort((a, b) => a.score! - b.score! || b.weight - a.weight);
  return chosen.map((d) => {
    const lines = [...new Set([...wrongEstimates(d), ...d.missing])].slice(0, 2);
    return `${d.name} (${d.score!.toFixed(1)}): ${lines.join('; ') || 'go deeper'}`;
  });
}

export function buildReport(input: GradeInput, analysis: Analysis, context: ReportContext): GradeReport {
  const { transcript, rubric } = input;
  const dimensions: Record<string, DimensionReport> = {};
  for (const dimension of rubric.dimensions) {
    const result = analysis.dimensions[dimension.id] ?? {
      score: null,
      evidence: [],
      missing: [],
      notes: ['not graded'],
    };
    dimensions[dimension.id] = {
      id: dimension.id,
      name: dimension.name,
      weight: dimension.weight,
      score: result.score,
      evidence: result.evidence,
      missing: result.missing,
      notes: result.notes,
      samples: result.samples ?? null,
    };
  }
  const ordered = Object.values(dimensions);
  // Filled in a loop: Object.fromEntries measured slow here (and gave an object slow to read).
  // Same keys in the same order; no key can be __proto__, as `dimensions` is filled by assignment.
  const scores: Record<string, number | null> = {};
  for (const d of ordered) scores[d.id] = d.score;
  const overall = weightedOverall(rubric, scores);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    file: context.file,
    sessionId: transcript.meta.id,
    problem: input.problem?.id ?? transcript.meta.problem,
    mode: transcript.meta.mode,
    rubric: { name: rubric.name, version: rubric.version, sha256: rubricSha256(rubric) },
    grader: context.grader,
    model: context.model,
    overall,
    level: levelFor(rubric, overall, scores, evidenceSize(turnsOf(transcript), transcript.meta.timing === 'estimated')),
    dimensions,
    strengths: context.strengths ?? derivedStrengths(ordered),
    toExpand: context.toExpand ?? derivedToExpand(ordered),
    time: analysis.time,
    pushbacks: analysis.pushbacks,
    estimates: analysis.estimates,
    flags: analysis.flags,
    gradedAt: context.gradedAt,
  };
}
