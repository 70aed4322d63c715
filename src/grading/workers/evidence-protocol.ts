// What the main thread and an evidence-grading worker send each other (structured clone).
import type { Level } from '../../schemas/transcript.js';
import type { CollectRequest } from '../batch-api/collect-file.js';
import type { FileRequest } from '../batch-api/request-file.js';
import type { GradedFile } from '../grade-file.js';

/** Sent once, as workerData: identities, not loaded objects (each worker loads its own). */
export interface EvidenceWorkerSetup {
  /** --rubric as given: a name or a YAML file (relative to the shared working directory). */
  rubric: string;
  /** The rubric must hash to this (a batch is collected against the rubric it was submitted with). */
  rubricSha256?: string;
  problemId: string | null;
  levelTarget: Level | null;
  /** The grade cache folder, or null for --no-cache. */
  cacheDir: string | null;
  /** Batch API work (`request` and `collect` tasks): the judge as cache keys and requests name it. */
  batch?: {
    model: string;
    providerLabel: string;
    contextTokens: number | null;
    /** collect: when the batch ended (ISO), the date its reports carry. */
    endedAt?: string;
  };
}

export type EvidenceWorkerRequest =
  /** `grade --jobs N`: grade a file with the evidence grader. */
  | { id: number; kind: 'grade'; file: string }
  /** `grade --batch-api`: a file's judge request (batch-api/request-file.ts). */
  | { id: number; kind: 'request'; file: string; index: number }
  /** `grade collect`: grade a file from the batch's reply (batch-api/collect-file.ts). */
  | { id: number; kind: 'collect'; file: string; request: CollectRequest };

export type EvidenceWorkerReply = { id: number; value: GradedFile | FileRequest } | { id: number; error: string };
