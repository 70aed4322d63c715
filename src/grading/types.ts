// What graders take and give. A grader scores dimensions and gathers facts (time, pushbacks,
// estimates); report.ts turns that into overall, level and the rest of the GradeReport.
import type { LoadedProblem } from '../schemas/problem.js';
import type { EstimateRow, Evidence, Flag, PushbackRow, TimeReport } from '../schemas/report.js';
import type { Rubric } from '../schemas/rubric.js';
import type { Transcript } from '../schemas/transcript.js';

export interface GradeInput {
  transcript: Transcript;
  rubric: Rubric;
  /** Known problem (from the session meta or --problem), for reference estimates and components. */
  problem: LoadedProblem | null;
}

export interface DimensionResult {
  /** 1–5 (one decimal at most), or null when the dimension does not apply to this mode. */
  score: number | null;
  evidence: Evidence[];
  missing: string[];
  notes: string[];
  samples?: { scores: (number | null)[]; median: number | null; spread: number | null };
}

export interface Analysis {
  /** One entry per rubric dimension id. */
  dimensions: Record<string, DimensionResult>;
  time: TimeReport;
  pushbacks: PushbackRow[];
  estimates: EstimateRow[];
  flags: Flag[];
}
