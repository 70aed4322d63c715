// Real session files for sessions/progress tests: written by TranscriptWriter from the turns of a
// packaged example session, optionally with a grade event from the evidence grader.
import path from 'node:path';
import { gradeEvidence } from '../../src/grading/evidence-grader.js';
import { buildReport } from '../../src/grading/report.js';
import { loadRubric } from '../../src/content/rubric-loader.js';
import { loadProblem } from '../../src/content/problem-loader.js';
import type { GradeReport } from '../../src/schemas/report.js';
import type { Mode, TranscriptEventInput } from '../../src/schemas/transcript.js';
import { packagedDirs, resolvePaths } from '../../src/storage/paths.js';
import { readTranscript, TranscriptWriter } from '../../src/storage/transcript-store.js';

export interface SessionSpec {
  id: string;
  started: string;
  /** Which packaged example to take the turns from. */
  from?: 'example-url-shortener' | 'strong-payments' | 'pair-feed-no-observability' | 'mid-llm-chat';
  mode?: Mode;
  grade?: boolean;
  /** Leave the session without an end event (a crash). */
  noEnd?: boolean;
}

export async function writeSession(dir: string, spec: SessionSpec): Promise<{ file: string; report: GradeReport | null }> {
  const source = await readTranscript(path.join(packagedDirs().sessions, `${spec.from ?? 'example-url-shortener'}.jsonl`));
  const file = path.join(dir, `${spec.id}.jsonl`);
  const { type: _t, schemaVersion: _v, ...meta } = source.meta;
  const writer = await TranscriptWriter.create(file, { ...meta, id: spec.id, started: spec.started, mode: spec.mode ?? meta.mode });
  for (const event of source.events) {
    if (event.type === 'grade' || (spec.noEnd && event.type === 'end')) continue;
    await writer.append(event as TranscriptEventInput);
  }
  let report: GradeReport | null = null;
  if (spec.grade) {
    const transcript = await readTranscript(file);
    const paths = resolvePaths();
    const rubric = await loadRubric('default', paths);
    const problem = transcript.meta.problem ? await loadProblem(transcript.meta.problem, paths) : null;
    const input = { transcript, rubric, problem };
    report = buildReport(input, gradeEvidence(input), { file, grader: 'evidence', model: null, gradedAt: '2026-12-01T00:00:00.000Z' });
    await writer.append({ type: 'grade', report: report as unknown as Record<string, unknown> });
  }
  await writer.close();
  return { file, report };
}
