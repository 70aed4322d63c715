// What a batch's status says: finished or not, and the one-line summary the progress line,
// `grade status` and `grade collect` print.
import type OpenAI from 'openai';

const FINISHED = new Set(['completed', 'failed', 'expired', 'cancelled']);

export function isFinished(batch: Pick<OpenAI.Batch, 'status'>): boolean {
  return FINISHED.has(batch.status);
}

/** "in_progress, 3/10 done, 1 failed". */
export function describeBatch(batch: OpenAI.Batch): string {
  const counts = batch.request_counts;
  return counts ? `${batch.status}, ${counts.completed}/${counts.total} done, ${counts.failed} failed` : batch.status;
}
