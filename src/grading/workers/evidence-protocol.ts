// What the main thread and an evidence-grading worker send each other (structured clone).
import type { Level } from '../../schemas/transcript.js';
import type { GradedFile } from '../grade-file.js';

/** Sent once, as workerData: identities, not loaded objects (each worker loads its own). */
export interface EvidenceWorkerSetup {
  /** --rubric as given: a name or a YAML file (relative to the shared working directory). */
  rubric: string;
  problemId: string | null;
  levelTarget: Level | null;
  /** The grade cache folder, or null for --no-cache. */
  cacheDir: string | null;
}

export interface EvidenceWorkerRequest {
  id: number;
  file: string;
}

export type EvidenceWorkerReply = { id: number; value: GradedFile } | { id: number; error: string };
