// From a grader's analysis to the GradeReport every renderer reads.
import { REPORT_SCHEMA_VERSION, type DimensionReport, type GradeReport, type LevelTargetReport, type TargetShortfall } from '../schemas/report.js';
import type { Rubric } from '../schemas/rubric.js';
import { Level } from '../schemas/transcript.js';
import { OFF_ESTIMATE, REDO_ARITHMETIC } from './evidence/estimation.js';
import { evidenceSize, levelFor, round, targetGap, weightedOverall, type EvidenceSize } from './levels.js';
import { rubricSha256 } from '../content/rubric-loader.js';
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
  /** `grade --level`: the level to report against, over the session's own target (meta.levelTarget). */
  levelTarget?: Level | null;
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

/** The level to report against: the --level option, else the level target the session recorded, else none. */
export function targetOf(input: GradeInput, option: Level | null | undefined): { level: Level; source: 'option' | 'session' } | null {
  if (option) return { level: option, source: 'option' };
  const recorded = input.transcript.meta.levelTarget;
  return recorded ? { level: recorded, source: 'session' } : null;
}

/** The one missing item most worth naming for a dimension: a wrong estimate first, else the first. */
function mostUseful(d: DimensionReport | undefined): string | null {
  if (!d) return null;
  return wrongEstimates(d)[0] ?? d.missing[0] ?? null;
}

/** Dimensions whose improvement would lift the overall most (lowest score, heaviest weight first). */
function weakest(dimensions: DimensionReport[], count: number): DimensionReport[] {
  return dimensions
    .filter((d) => d.score !== null)
    .sort((a, b) => (5 - b.score!) * b.weight - (5 - a.score!) * a.weight || a.score! - b.score!)
    .slice(0, count);
}

/**
 * The target section: whether the achieved level reaches `target`, and if not, each thing still
 * missing for it as a sentence (the target rule's overall and minimums, with the dimension's most
 * useful missing item, and thin evidence when it caps the level below the target).
 */
export function targetReport(
  rubric: Rubric,
  report: Pick<GradeReport, 'overall' | 'level' | 'dimensions'>,
  size: EvidenceSize | null,
  target: { level: Level; source: 'option' | 'session' },
): LevelTargetReport {
  const order = Level.options;
  const achieved = report.level.level;
  const met = achieved !== null && order.indexOf(achieved) >= order.indexOf(target.level);
  const result: LevelTargetReport = { level: target.level, source: target.source, met, missing: [] };
  if (met) return result;
  const none = { dimension: null, score: null, needed: null, gap: null };
  const missing = result.missing;
  if (report.overall === null) {
    missing.push({ kind: 'overall', ...none, text: `nothing was graded: no dimension has a score, and ${target.level} needs them` });
    return result;
  }
  const scores: Record<string, number | null> = {};
  for (const d of Object.values(report.dimensions)) scores[d.id] = d.score;
  const gap = targetGap(rubric, target.level, report.overall, scores, size);
  if (gap.ruleIndex < 0) {
    missing.push({ kind: 'undefined', ...none, text: `the rubric ${rubric.name}@${rubric.version} has no rule for ${target.level}` });
    return result;
  }
  const overall = gap.shortfalls.filter((s) => s.kind === 'overall');
  // The biggest gaps first; equal gaps in the rule's order.
  const minimums = gap.shortfalls.filter((s) => s.kind === 'minimum').sort((a, b) => round(b.gap, 2) - round(a.gap, 2));
  for (const s of overall) {
    const lift = weakest(Object.values(report.dimensions), 2).map((d) => `${d.name} ${d.score!.toFixed(1)}`);
    missing.push({
      kind: 'overall',
      dimension: null,
      score: s.score,
      needed: s.needed,
      gap: round(s.gap, 2),
      text: `Overall ${s.score.toFixed(2)} → needs ${s.needed} for ${target.level}${lift.length ? `: lift the weakest (${lift.join(', ')})` : ''}`,
    });
  }
  for (const s of minimums) {
    const d = report.dimensions[s.dimension!];
    const hint = mostUseful(d);
    missing.push({
      kind: 'minimum',
      dimension: s.dimension,
      score: s.score,
      needed: s.needed,
      gap: round(s.gap, 2),
      text: `${d?.name ?? s.dimension} ${s.score.toFixed(1)} → needs ${s.needed} for ${target.level}${hint ? `: ${hint}` : ''}`,
    });
  }
  if (gap.cap) {
    const c = gap.cap;
    const m = c.minutes === null ? 0 : Math.max(1, Math.round(c.minutes));
    const over = c.minutes === null ? '' : ` over ${m} minute${m === 1 ? '' : 's'}`;
    const need = c.minutes === null ? `at least ${c.wordsNeeded} candidate words` : `at least ${c.wordsNeeded} candidate words and ${c.minutesNeeded} minutes`;
    missing.push({
      kind: 'evidence',
      ...none,
      text: `A fuller session: ${c.candidateWords} candidate words${over} caps the level at ${c.level} (thin evidence); ${target.level} needs ${need}`,
    });
  }
  if (missing.length === 0) missing.push({ kind: 'overall', ...none, text: `${target.level} not reached: ${report.level.label}` });
  return result;
}

/** `report` with its target section computed afresh (a cached report graded under another target). */
export function withTarget(report: GradeReport, input: GradeInput, option: Level | null | undefined): GradeReport {
  const target = targetOf(input, option);
  const size = evidenceSize(turnsOf(input.transcript), input.transcript.meta.timing === 'estimated');
  return { ...report, target: target ? targetReport(input.rubric, report, size, target) : null };
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
  const size = evidenceSize(turnsOf(transcript), transcript.meta.timing === 'estimated');
  const level = levelFor(rubric, overall, scores, size);
  const target = targetOf(input, context.levelTarget);
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
    level,
    dimensions,
    strengths: context.strengths ?? derivedStrengths(ordered),
    toExpand: context.toExpand ?? derivedToExpand(ordered),
    time: analysis.time,
    pushbacks: analysis.pushbacks,
    estimates: analysis.estimates,
    flags: analysis.flags,
    gradedAt: context.gradedAt,
    target: target ? targetReport(rubric, { overall, level, dimensions }, size, target) : null,
  };
}
