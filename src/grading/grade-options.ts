// What `sdcoach grade` was asked for: the command's options, shared by the command's action,
// the report pipeline (report-grades.ts) and the Batch API (batch-api/), so none imports another for them.
import type { ProviderFlags, ResolvedProviderConfig } from '../llm/config.js';
import type { Level } from '../schemas/transcript.js';

export type GradeFormat = 'table' | 'json' | 'jsonl' | 'md' | 'csv';

export interface GradeOptions {
  /** The rubric as resolved (runGrade fills in the setting when --rubric is not given). */
  rubric: string;
  /** auto: the LLM judge when a model is configured and reachable, else evidence (said on stderr). */
  grader: 'auto' | 'evidence' | 'llm';
  problem: string | null;
  concurrency: number;
  samples: number;
  format: GradeFormat;
  out: string | null;
  /** Overwrite an existing --out file (else it is refused). */
  force?: boolean;
  cache: boolean;
  providerFlags: ProviderFlags;
  /**
   * The judge's configuration, resolved by the command (config/provider.ts) from the flags,
   * environment and settings; the Batch API sends its requests to this model.
   */
  judgeConfig?: () => Promise<ResolvedProviderConfig>;
  /** --level: the level every report is measured against (else each session's own target). */
  level?: Level | null;
  /** --examples: also grade the package's own sessions/ folder (the shipped examples), from any directory. */
  examples?: boolean;
  /** --jobs: worker threads for the evidence grader (1: none, graded on the main thread). */
  jobs?: number;
  /** --jobs was given (else the default, the number of cores, applies only to big batches: workers/evidence-pool.ts poolSize). */
  jobsGiven?: boolean;
  /** --batch-api: submit the judge's requests as an OpenAI Batch API batch instead of asking interactively. */
  batchApi?: boolean;
  /** Colour the table: the command's one colour decision for stdout (config/colour.ts). */
  colour?: boolean;
  /** --wait (with --batch-api): poll until the batch ends, then collect it. */
  wait?: boolean;
}
