// A session's grade for `sessions show|export` and `progress`: the last grade stored in the
// file when it is a valid report, else one computed now by the evidence grader (offline,
// deterministic, cached like `sdcoach grade`) and labelled as such; never written back.
import path from 'node:path';
import { GradeReport } from '../../schemas/report.js';
import { resolvePaths } from '../../storage/paths.js';

export type GradeSource = 'stored' | 'graded-now';

export interface SessionGrade {
  report: GradeReport;
  source: GradeSource;
}

export type SessionGrader = (file: string, stored: Record<string, unknown> | null) => Promise<SessionGrade>;

/** A grader bound to one rubric; problems are loaded once each. Rejects with a usage-style error for a bad rubric. */
export async function sessionGrader(rubricName: string): Promise<SessionGrader> {
  const [{ loadRubric }, { problemFinder }, { gradeFile }, { GradeCache }] = await Promise.all([
    import('../../content/rubric-loader.js'),
    import('../../content/problem-loader.js'),
    import('../../grading/grade-file.js'),
    import('../../grading/grade-cache.js'),
  ]);
  const paths = resolvePaths();
  const rubric = await loadRubric(rubricName, paths);
  const findProblem = problemFinder(paths);
  const cache = new GradeCache(path.join(paths.cacheDir, 'grades'));
  return async (file, stored) => {
    if (stored) {
      const parsed = GradeReport.safeParse(stored);
      if (parsed.success) return { report: parsed.data, source: 'stored' };
    }
    const { report } = await gradeFile(file, { rubric, grader: 'evidence', findProblem, cache, now: () => new Date() });
    return { report, source: 'graded-now' };
  };
}
